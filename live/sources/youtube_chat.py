"""Parse the JSON lines yt-dlp writes for ``--sub-langs live_chat`` into :class:`IncomingComment`.

yt-dlp (``yt_dlp/downloader/youtube_live_chat.py``) writes one JSON object per line, UTF-8, in one of
two shapes:

* replay (a finished stream): each line is one continuation action as YouTube sent it,
  ``{"replayChatItemAction": {"actions": [...], "videoOffsetTimeMsec": "101308"}}``;
* live: each action is wrapped for compatibility,
  ``{"replayChatItemAction": {"actions": [action]}, "videoOffsetTimeMsec": "1000", "isLive": true}``,
  where the offset is measured from when yt-dlp started capturing (it may be negative).

Pure functions only: no I/O except :func:`parse_file`. A malformed line is skipped, counted and
reported with its line number; nothing here raises on bad input.
"""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tyndau.domain.comments import IncomingComment
from tyndau.domain.text_safety import storable
from tyndau.live.sources.common import Clock
from tyndau.live.sources.youtube_text import _label, _str, link_target, run_text, text_of  # noqa: F401 - re-exported
from tyndau.timeutil import utcnow

MAX_LINE_BYTES = 1 << 20
"""A yt-dlp line is a few kilobytes; anything above a mebibyte is not chat."""

RENDERER_KINDS = {
    "liveChatTextMessageRenderer": "text",
    "liveChatPaidMessageRenderer": "paid",
    "liveChatPaidStickerRenderer": "sticker",
    "liveChatMembershipItemRenderer": "membership",
    "liveChatPlaceholderItemRenderer": "placeholder",
}
ITEM_ACTIONS = {"addChatItemAction": "item", "replaceChatItemAction": "replacementItem"}
DELETE_ONE = ("markChatItemAsDeletedAction", "removeChatItemAction")
DELETE_AUTHOR = ("markChatItemsByAuthorAsDeletedAction", "removeChatItemByAuthorAction")
BANNER = "addBannerToLiveChatCommand"
"""The pinned message shown above the chat: its contents are an ordinary text message renderer."""


class MalformedLine(ValueError):
    """A line that is not one of yt-dlp's chat actions."""


@dataclass(frozen=True, slots=True)
class LineProblem:
    """One bad line: where it is, why, and what it started with."""

    line: int
    reason: str
    excerpt: str = ""
    skipped: bool = True


@dataclass(slots=True)
class ParseReport:
    """What a parse did: lines seen, comments made, lines skipped (with numbers), actions ignored."""

    lines: int = 0
    comments: int = 0
    problems: list[LineProblem] = field(default_factory=list)
    ignored: Counter[str] = field(default_factory=Counter)

    @property
    def skipped(self) -> int:
        """How many lines were dropped."""
        return sum(1 for p in self.problems if p.skipped)

    @property
    def skipped_lines(self) -> list[int]:
        """The numbers of the dropped lines."""
        return [p.line for p in self.problems if p.skipped]

    def summary(self) -> str:
        """One line for logs and the console."""
        text = f"{self.lines} lines, {self.comments} comments, {self.skipped} skipped"
        if self.skipped:
            shown = ", ".join(str(n) for n in self.skipped_lines[:10])
            text += f" (lines {shown}{', …' if self.skipped > 10 else ''})"
        return text


@dataclass(frozen=True, slots=True)
class ChatLine:
    """One parsed line: its comments and its timing."""

    number: int
    comments: tuple[IncomingComment, ...]
    offset_ms: int | None
    is_live: bool
    ignored: tuple[str, ...] = ()


def split_lines(data: bytes) -> list[bytes]:
    """Split on ``\\n`` only: a comment may contain U+2028 or a lone ``\\r``, which are not line ends."""
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    return lines


def decode_line(raw: bytes | str) -> tuple[str, bool]:
    """Decode one line as UTF-8; invalid bytes become U+FFFD and the line is flagged as repaired."""
    if isinstance(raw, str):
        return raw, False
    try:
        return raw.decode("utf-8"), False
    except UnicodeDecodeError:
        return raw.decode("utf-8", "replace"), True


def _excerpt(text: str, limit: int = 120) -> str:
    return storable(text[:limit])


def _usec_time(value: Any) -> datetime | None:
    try:
        usec = int(value)
        if usec <= 0:
            return None
        return datetime.fromtimestamp(usec / 1_000_000, tz=UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return None


def _int_or_none(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _badges(renderer: Mapping[str, Any]) -> tuple[list[str], bool]:
    """The author's badge names, and whether one is the channel owner's (the page's own message)."""
    out, owner = [], False
    for badge in renderer.get("authorBadges") or ():
        inner = badge.get("liveChatAuthorBadgeRenderer") if isinstance(badge, Mapping) else None
        if not isinstance(inner, Mapping):
            continue
        if isinstance(inner.get("tooltip"), str):
            out.append(storable(inner["tooltip"]))
        icon = inner.get("icon")
        owner = owner or (isinstance(icon, Mapping) and icon.get("iconType") == "OWNER")
    return out, owner


class ChatParser:
    """Parses lines one by one, remembering the last message time (deletions carry none)."""

    def __init__(
        self,
        *,
        source: str = "youtube",
        clock: Clock = utcnow,
        max_line_bytes: int = MAX_LINE_BYTES,
    ) -> None:
        self.source = source
        self.clock = clock
        self.max_line_bytes = max_line_bytes
        self.report = ParseReport()
        self.last_time: datetime | None = None

    def feed(self, raw: bytes | str, number: int) -> ChatLine | None:
        """Parse one line; a bad line is recorded in :attr:`report` and gives None."""
        size = len(raw) if isinstance(raw, bytes) else len(raw.encode("utf-8", "surrogatepass"))
        if not raw.strip():
            return None
        self.report.lines += 1
        if size > self.max_line_bytes:
            self._problem(number, f"line too long ({size} bytes)", raw[:120])
            return None
        text, repaired = decode_line(raw)
        try:
            parsed = self.parse(text, number)
        except MalformedLine as exc:
            self._problem(number, str(exc), text)
            return None
        except Exception as exc:  # noqa: BLE001 - a parser never raises on input
            self._problem(number, f"unexpected structure ({type(exc).__name__}: {exc})", text)
            return None
        if repaired:
            self.report.problems.append(
                LineProblem(number, "invalid UTF-8 replaced with U+FFFD", _excerpt(text), skipped=False)
            )
        self.report.comments += len(parsed.comments)
        self.report.ignored.update(parsed.ignored)
        return parsed

    def _problem(self, number: int, reason: str, raw: bytes | str) -> None:
        excerpt = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw
        self.report.problems.append(LineProblem(number, reason, _excerpt(excerpt)))

    def parse(self, text: str, number: int = 0) -> ChatLine:
        """Parse one decoded line; raises :class:`MalformedLine`."""
        try:
            obj = json.loads(text)
        except ValueError as exc:
            raise MalformedLine(f"invalid JSON: {exc.args[0] if exc.args else exc}") from None
        if not isinstance(obj, dict):
            raise MalformedLine(f"expected a JSON object, got {type(obj).__name__}")
        is_live = obj.get("isLive") is True
        if "replayChatItemAction" in obj:
            wrapper = obj["replayChatItemAction"]
            if not isinstance(wrapper, dict) or not isinstance(wrapper.get("actions"), list):
                raise MalformedLine("replayChatItemAction without an actions list")
            actions = wrapper["actions"]
            offset = _int_or_none(wrapper.get("videoOffsetTimeMsec", obj.get("videoOffsetTimeMsec")))
        elif any(k in obj for k in (*ITEM_ACTIONS, *DELETE_ONE, *DELETE_AUTHOR, BANNER)):
            actions, offset = [obj], _int_or_none(obj.get("videoOffsetTimeMsec"))
        else:
            raise MalformedLine("not a yt-dlp live_chat action")
        comments: list[IncomingComment] = []
        ignored: list[str] = []
        for action in actions:
            self._action(action, offset, is_live, comments, ignored)
        return ChatLine(number, tuple(comments), offset, is_live, tuple(ignored))

    def _action(
        self,
        action: Any,
        offset: int | None,
        is_live: bool,
        out: list[IncomingComment],
        ignored: list[str],
    ) -> None:
        if not isinstance(action, dict):
            ignored.append(type(action).__name__)
            return
        names = [k for k in action if k != "clickTrackingParams"]
        name = names[0] if names else "empty"
        body = action.get(name)
        if not isinstance(body, dict):
            ignored.append(name)
            return
        base: dict[str, Any] = {}
        if offset is not None:
            base["offset_ms"] = offset
        if is_live:
            base["live"] = True
        if name in ITEM_ACTIONS:
            item = body.get(ITEM_ACTIONS[name])
            comment = self._item(item, base, ignored)
            if comment is not None:
                out.append(comment)
        elif name in DELETE_ONE or name in DELETE_AUTHOR:
            out.append(self._deletion(name, body, base))
        elif name == BANNER:
            banner = body.get("bannerRenderer", {}).get("liveChatBannerRenderer") if isinstance(body.get("bannerRenderer"), dict) else None
            contents = banner.get("contents") if isinstance(banner, dict) else None
            comment = self._item(contents, {**base, "pinned": True}, ignored) if isinstance(contents, dict) else None
            if comment is None:
                ignored.append(name)
            else:
                out.append(comment)
        else:
            ignored.append(name)

    def _item(self, item: Any, base: dict[str, Any], ignored: list[str]) -> IncomingComment | None:
        if not isinstance(item, dict) or not item:
            ignored.append("emptyItem")
            return None
        name = next(iter(item))
        renderer = item[name]
        kind = RENDERER_KINDS.get(name)
        if kind is None or not isinstance(renderer, dict):
            ignored.append(name)
            return None
        created = _usec_time(renderer.get("timestampUsec"))
        if created is not None:
            self.last_time = created if self.last_time is None else max(self.last_time, created)
        extra = dict(base)
        channel = _str(renderer.get("authorExternalChannelId"))
        if channel:
            extra["author_channel_id"] = channel
        badges, owner = _badges(renderer)
        if badges:
            extra["badges"] = badges
        if owner:
            extra["own"] = "channel_owner"
        text = text_of(renderer.get("message"))
        if kind in ("paid", "sticker"):
            extra["amount"] = text_of(renderer.get("purchaseAmountText"))
        if kind == "sticker":
            extra["sticker"] = _label(renderer.get("sticker"))
        if kind == "membership":
            header = " ".join(
                t
                for t in (text_of(renderer.get("headerPrimaryText")), text_of(renderer.get("headerSubtext")))
                if t
            )
            if header:
                extra["header"] = header
        ext_id = _str(renderer.get("id")) or None
        if kind == "placeholder" and ext_id:
            ext_id = f"placeholder:{ext_id}"  # the real message later reuses the same id
        return IncomingComment(
            source=self.source,
            external_id=ext_id,
            author=text_of(renderer.get("authorName")),
            text=text,
            created_at=created or self.last_time or self.clock(),
            kind=kind,
            extra=extra,
        )

    def _deletion(self, name: str, body: Mapping[str, Any], base: dict[str, Any]) -> IncomingComment:
        extra = dict(base)
        extra["action"] = name
        reason = text_of(body.get("deletedStateMessage"))
        if reason:
            extra["reason"] = reason
        if name in DELETE_ONE:
            target = _str(body.get("targetItemId"))
            extra["target_id"] = target
            ext_id = f"deleted:{target}"
        else:
            target = _str(body.get("externalChannelId"))
            extra["target_author_id"] = target
            ext_id = f"deleted-author:{target}"
        return IncomingComment(
            source=self.source,
            external_id=ext_id if target else None,
            author="",
            text="",
            created_at=self.last_time or self.clock(),
            kind="deleted",
            extra=extra,
        )


def parse_line(raw: bytes | str, number: int = 0, *, source: str = "youtube") -> ChatLine:
    """Parse one line on its own; raises :class:`MalformedLine` for a bad one."""
    text, _ = decode_line(raw)
    return ChatParser(source=source).parse(text, number)


def parse_lines(
    lines: Iterable[bytes | str],
    *,
    first_line: int = 1,
    source: str = "youtube",
    clock: Clock = utcnow,
) -> tuple[list[IncomingComment], ParseReport]:
    """Parse many lines; returns the comments in order and the report."""
    parser = ChatParser(source=source, clock=clock)
    comments: list[IncomingComment] = []
    for number, raw in enumerate(lines, start=first_line):
        parsed = parser.feed(raw, number)
        if parsed is not None:
            comments.extend(parsed.comments)
    return comments, parser.report


def parse_bytes(data: bytes, *, source: str = "youtube") -> tuple[list[IncomingComment], ParseReport]:
    """Parse a whole ``.live_chat.json`` held in memory."""
    return parse_lines(split_lines(data), source=source)


async def parse_file(path: Path, *, source: str = "youtube") -> tuple[list[IncomingComment], ParseReport]:
    """Read and parse a saved ``*.live_chat.json`` (or ``.part``) file."""
    data = await asyncio.to_thread(Path(path).read_bytes)
    return parse_bytes(data, source=source)
