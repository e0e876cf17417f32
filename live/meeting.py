"""Meeting rules from the 2022 decree: akim levels, announcement notice, planned duration."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Mapping

from tyndau.timeutil import ALMATY, as_utc, parse_iso

# Announcement notice by akim level: 14 days for region, city and district akims;
# 7 days for village, settlement, rural district and city-district akims.
NOTICE_DAYS: dict[str, int] = {
    "region": 14,
    "republican_city": 14,
    "district": 14,
    "regional_city": 14,
    "district_city": 14,
    "rural_district": 7,
    "village": 7,
    "city_district": 7,
    # The first head of a central executive body (2024 resolution; calendar_rules.CENTRAL_LEVEL). The
    # resolution as issue 14 quotes it names no notice period: we ask for the longest one, 14 days.
    "central": 14,
}
CENTRAL_LEVEL = "central"
AKIM_LEVELS = tuple(level for level in NOTICE_DAYS if level != CENTRAL_LEVEL)  # the akims' own levels
MEETING_LEVELS = tuple(NOTICE_DAYS)  # who may hold a meeting: an akim of a level, or a central body's first head

MIN_PLANNED_MINUTES = 1
MAX_PLANNED_MINUTES = 720
MAX_TITLE = 300
MAX_PLACE = 300
MAX_LINKS = 20
MAX_LINK = 2000
# The fields the timing record and the decree checks are measured against: after the meeting has
# ended they change only as a visible amendment (who, when, why), never silently.
PLAN_FIELDS = ("planned_minutes", "starts_at", "akim_level", "announced_at")


class MeetingInvalid(ValueError):
    """Field errors in a meeting; ``fields`` maps a field name to a message."""

    def __init__(self, fields: Mapping[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in fields.items()))
        self.fields = dict(fields)


@dataclass(frozen=True, slots=True)
class MeetingDraft:
    """Validated fields of a meeting as a user gave them."""

    title: str
    akim_level: str
    place: str
    starts_at: datetime
    planned_minutes: int
    announced_at: datetime | None
    stream_links: tuple[str, ...]
    akim_name: str = ""
    attendance: int | None = None
    online_reach: int | None = None
    title_kk: str = ""


@dataclass(frozen=True, slots=True)
class AnnouncementCheck:
    """Whether the announcement went out early enough for this akim level."""

    notice_days: int
    deadline: date
    announced_on: date | None
    days_ahead: int | None
    met: bool | None


def check_announcement(akim_level: str, starts_at: datetime, announced_at: datetime | None) -> AnnouncementCheck:
    """Compare the announcement date with the decree's notice, in calendar days in Almaty."""
    notice = NOTICE_DAYS[akim_level]
    meeting_day = as_utc(starts_at).astimezone(ALMATY).date()
    deadline = meeting_day - timedelta(days=notice)
    if announced_at is None:
        return AnnouncementCheck(notice, deadline, None, None, None)
    announced_day = as_utc(announced_at).astimezone(ALMATY).date()
    ahead = (meeting_day - announced_day).days
    return AnnouncementCheck(notice, deadline, announced_day, ahead, ahead >= notice)


def validate_meeting(data: Mapping[str, Any], *, partial: bool = False, base: MeetingDraft | None = None) -> MeetingDraft:
    """Check a meeting payload; raises :class:`MeetingInvalid` with every field error at once."""
    errors: dict[str, str] = {}
    merged: dict[str, Any] = {}
    if base is not None:
        merged.update(
            title=base.title, akim_level=base.akim_level, place=base.place,
            starts_at=base.starts_at, planned_minutes=base.planned_minutes,
            announced_at=base.announced_at, stream_links=list(base.stream_links),
            akim_name=base.akim_name, attendance=base.attendance, online_reach=base.online_reach,
            title_kk=base.title_kk,
        )
    known = {"title", "title_kk", "akim_level", "place", "starts_at", "planned_minutes", "announced_at", "stream_links",
             "akim_name", "attendance", "online_reach"}
    for key in data:
        if key not in known:
            errors[key] = "unknown field"
    merged.update({k: v for k, v in data.items() if k in known})

    title = merged.get("title")
    if not isinstance(title, str) or not title.strip():
        errors["title"] = "required, a non-empty string"
    elif len(title) > MAX_TITLE:
        errors["title"] = f"at most {MAX_TITLE} characters"

    title_kk = merged.get("title_kk") or ""
    if not isinstance(title_kk, str):
        errors["title_kk"] = "a string"
    elif len(title_kk) > MAX_TITLE:
        errors["title_kk"] = f"at most {MAX_TITLE} characters"

    level = merged.get("akim_level")
    if level not in NOTICE_DAYS:
        errors["akim_level"] = "one of " + ", ".join(MEETING_LEVELS)

    place = merged.get("place", "")
    if place is None:
        place = ""
    if not isinstance(place, str):
        errors["place"] = "a string"
    elif len(place) > MAX_PLACE:
        errors["place"] = f"at most {MAX_PLACE} characters"

    minutes = merged.get("planned_minutes")
    if isinstance(minutes, bool) or not isinstance(minutes, int):
        errors["planned_minutes"] = "required, a whole number of minutes"
    elif not MIN_PLANNED_MINUTES <= minutes <= MAX_PLANNED_MINUTES:
        errors["planned_minutes"] = f"between {MIN_PLANNED_MINUTES} and {MAX_PLANNED_MINUTES} minutes"

    starts_at = _instant(merged.get("starts_at"), "starts_at", errors, required=True)
    announced_at = _instant(merged.get("announced_at"), "announced_at", errors, required=False)
    if starts_at and announced_at and announced_at > starts_at:
        errors["announced_at"] = "cannot be after the meeting starts"

    links_raw = merged.get("stream_links", []) or []
    links: list[str] = []
    if isinstance(links_raw, str):
        links_raw = [line for line in links_raw.splitlines()]
    if not isinstance(links_raw, list):
        errors["stream_links"] = "a list of URLs"
    else:
        for link in links_raw:
            if not isinstance(link, str):
                errors["stream_links"] = "a list of URLs"
                break
            link = link.strip()
            if not link:
                continue
            if len(link) > MAX_LINK or not link.startswith(("http://", "https://")):
                errors["stream_links"] = f"not an http(s) URL: {link[:80]}"
                break
            links.append(link)
        if len(links) > MAX_LINKS:
            errors["stream_links"] = f"at most {MAX_LINKS} links"

    akim_name = merged.get("akim_name") or ""
    if not isinstance(akim_name, str) or len(akim_name) > 200:
        errors["akim_name"] = "a name of at most 200 characters"
    counts: dict[str, int | None] = {}
    for name in ("attendance", "online_reach"):
        value = merged.get(name)
        if value is None or value == "":
            counts[name] = None
        elif isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100_000_000:
            errors[name] = "a whole number, not negative"
        else:
            counts[name] = value

    if errors:
        raise MeetingInvalid(errors)
    assert starts_at is not None and isinstance(title, str) and isinstance(minutes, int)
    return MeetingDraft(
        title=title.strip(), akim_level=str(level), place=str(place).strip(), starts_at=starts_at,
        planned_minutes=minutes, announced_at=announced_at, stream_links=tuple(links),
        akim_name=str(akim_name).strip(), attendance=counts["attendance"], online_reach=counts["online_reach"],
        title_kk=str(title_kk).strip(),
    )


def _instant(value: Any, name: str, errors: dict[str, str], *, required: bool) -> datetime | None:
    if value is None or value == "":
        if required:
            errors[name] = "required, ISO 8601 with offset"
        return None
    if isinstance(value, datetime):
        return as_utc(value)
    if not isinstance(value, str):
        errors[name] = "ISO 8601 date-time with offset, e.g. 2026-12-01T10:00:00+05:00"
        return None
    try:
        return parse_iso(value)
    except ValueError as exc:
        errors[name] = f"ISO 8601 date-time with offset ({exc})"
        return None
