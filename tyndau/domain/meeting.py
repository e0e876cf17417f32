"""Meeting rules from the 2022 decree: akim levels, announcement notice, planned duration.

The limits here are what the meeting schema (``tyndau.actions.meetings``) checks and documents.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from tyndau.timeutil import ALMATY, as_utc

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
