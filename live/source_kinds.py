"""Every kind of source the server can run, and how a stored row's config becomes a source object.

This is the one place that knows each platform's options; a bad option raises
:class:`SourceConfigError` naming the field, before anything is stored.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tyndau.live.sources.base import CommentSource

KINDS = ("youtube", "telegram", "facebook", "replay", "instagram_webhook", "facebook_webhook")
PUSH_KINDS = {"instagram_webhook": "Instagram", "facebook_webhook": "Facebook"}
MAX_ID = 10**15
"""Platform ids fit in 64 bits; a longer "id" is a mistake, not a post."""


class SourceConfigError(ValueError):
    """A source cannot be built from this configuration; the message names the field."""


@dataclass(frozen=True, slots=True)
class SourceContext:
    """What the server knows that a source may need: its id, the public URL, the webhook secrets."""

    source_id: int = 0
    public_url: str = ""
    telegram_secret: str = ""
    meta_ready: bool = True
    data_dir: Path | None = None

    def telegram_webhook_url(self) -> str | None:
        """The URL Telegram should push this source's updates to (None without a public URL)."""
        if not self.public_url or not self.source_id:
            return None
        return f"{self.public_url.rstrip('/')}/webhooks/telegram/{self.source_id}"


def _need(config: Mapping[str, Any], name: str) -> str:
    value = config.get(name)
    if not isinstance(value, (str, int)) or isinstance(value, bool) or str(value).strip() == "":
        raise SourceConfigError(f"config.{name} is required")
    text = str(value).strip()
    if len(text) > 500:
        raise SourceConfigError(f"config.{name} is too long")
    return text


def _int(config: Mapping[str, Any], name: str) -> int | None:
    value = config.get(name)
    if value in (None, ""):
        return None
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        raise SourceConfigError(f"config.{name} must be a whole number") from None
    if isinstance(value, bool) or not -MAX_ID < number < MAX_ID:
        raise SourceConfigError(f"config.{name} is out of range")
    return number


def replay_file(value: str, data_dir: Path) -> Path:
    """A replay may read only a file in the data directory (relative paths start there) or the shipped demo chat."""
    from tyndau.config import path as shipped
    from tyndau.security import confined

    raw = Path(value).expanduser()
    found = confined(raw if raw.is_absolute() else data_dir / raw, [data_dir, Path(str(shipped("demo")))])
    if found is None:
        raise SourceConfigError(f"config.path must name a file inside the data directory ({data_dir}); put the recording there first")
    return found


def build_source(kind: str, config: Mapping[str, Any], *, checkpoint: Any, work_dir: Path,
                 context: SourceContext | None = None) -> CommentSource:
    """The source object for a stored row."""
    ctx = context or SourceContext()
    if kind == "youtube":
        from tyndau.live.sources.youtube import YouTubeLiveSource

        url = _need(config, "url")
        if not url.startswith(("http://", "https://")):
            raise SourceConfigError("config.url must be an http(s) URL of a YouTube stream")
        return YouTubeLiveSource(url, work_dir, checkpoint=checkpoint)
    if kind == "telegram":
        from tyndau.live.sources.telegram import API_BASE, MODES, TelegramSource

        mode = str(config.get("mode") or "polling")
        if mode not in MODES:
            raise SourceConfigError(f"config.mode must be one of {', '.join(MODES)}")
        chat_id = _need(config, "chat_id")
        if not (chat_id.startswith("@") or chat_id.lstrip("-").isdigit()) or len(chat_id) > 40:
            raise SourceConfigError("config.chat_id must be the group's id (-100…) or @username")
        return TelegramSource(
            _need(config, "token"), chat_id, str(config.get("api_base") or API_BASE), mode=mode,
            webhook_url=ctx.telegram_webhook_url(), secret_token=ctx.telegram_secret,
            channel_post_id=_int(config, "channel_post_id"), channel_id=_int(config, "channel_id"),
            checkpoint=checkpoint,
        )
    if kind == "facebook":
        from tyndau.live.sources.meta import GRAPH_BASE, FacebookCommentPoller

        return FacebookCommentPoller(_need(config, "video_id"), _need(config, "token"),
                                     str(config.get("graph_base") or GRAPH_BASE), checkpoint=checkpoint)
    if kind in PUSH_KINDS:
        from tyndau.live.sources.push import PushSource

        object_id = _need(config, "object_id")
        if not object_id.replace("_", "").isdigit():
            raise SourceConfigError("config.object_id must be the numeric id Meta sends (media id, or post id as PAGE_POST)")
        return PushSource(PUSH_KINDS[kind], object_id, missing_setting=None if ctx.meta_ready else "meta_app_secret")
    if kind == "replay":
        from tyndau.live.sources.replay import ReplaySource

        path = replay_file(_need(config, "path"), ctx.data_dir or work_dir.parent)
        try:
            speed = float(config.get("speed", 1.0))
        except (TypeError, ValueError):
            raise SourceConfigError("config.speed must be a number") from None
        if not 0 <= speed <= 1000:
            raise SourceConfigError("config.speed must be between 0 (as fast as possible) and 1000")
        return ReplaySource(path, speed, checkpoint=checkpoint, max_gap=config.get("max_gap"))
    raise SourceConfigError(f"unknown source kind {kind!r}; one of {', '.join(KINDS)}")
