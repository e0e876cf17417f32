"""Telegram Bot API updates → comments: the discussion-thread filter and every message type, decided.

Comments under a channel post live in the channel's linked discussion group: Telegram copies the post
into the group as an *automatic forward* (``is_automatic_forward``), and every comment is a group
message in that forward's thread (``message_thread_id`` = the forward's ``message_id``; a direct
comment also has ``reply_to_message`` = the forward, a reply to a comment has the comment there).

Every message gets a decision: a comment (text, a caption, or a placeholder text that says what was
sent — a voice message, a location, a poll …, ``kind="media"``), or an ignore reason
(``IGNORE_REASONS``). The page's own posts — the linked channel posting as itself, an anonymous
group admin — are comments marked ``extra["own"]`` and kept out of the NLP problem list.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from tyndau.domain.comments import IncomingComment
from tyndau.domain.text_safety import storable
from tyndau.live.sources.common import as_mapping
from tyndau.timeutil import utcnow

ANONYMOUS_ADMIN_BOT = 1087968824
"""``@GroupAnonymousBot``: the ``from`` of a message an anonymous admin writes in a group."""

IGNORE_REASONS = {
    "not_a_message": "the update carries no new message (an edit, a reaction, a member change …)",
    "other_chat": "the message is not in the source's discussion group",
    "channel_post_copy": "the automatic copy of the channel post itself, not a comment",
    "other_thread": "a comment under another channel post",
    "thread_unknown": "the post's thread is not known yet (its automatic forward was not seen)",
    "service_message": "a service message (joins, pins, title changes …)",
    "bot": "written by a bot",
    "game": "a dice, game or other interactive message, not a comment",
    "empty": "no text",
    "bad_message": "the message lacks its chat or id",
}
SERVICE_KEYS = frozenset({
    "new_chat_members", "left_chat_member", "new_chat_title", "new_chat_photo", "delete_chat_photo",
    "group_chat_created", "supergroup_chat_created", "channel_chat_created", "message_auto_delete_timer_changed",
    "migrate_to_chat_id", "migrate_from_chat_id", "pinned_message", "forum_topic_created", "forum_topic_edited",
    "forum_topic_closed", "forum_topic_reopened", "general_forum_topic_hidden", "general_forum_topic_unhidden",
    "video_chat_scheduled", "video_chat_started", "video_chat_ended", "video_chat_participants_invited",
    "boost_added", "chat_background_set", "write_access_allowed", "users_shared", "chat_shared",
    "proximity_alert_triggered", "giveaway_created", "giveaway_completed", "successful_payment",
    "refunded_payment", "web_app_data", "connected_website", "passport_data",
})
GAME_KEYS = ("dice", "game", "invoice", "giveaway", "giveaway_winners")
MEDIA_MARKS = {
    "photo": "🖼", "video": "🎬", "animation": "🎞", "voice": "🎤", "video_note": "📹", "audio": "🎵",
    "document": "📄", "story": "📖", "paid_media": "⭐",
}


@dataclass(frozen=True, slots=True)
class Decision:
    """What one update became: a comment, or why nothing was stored."""

    comment: IncomingComment | None
    reason: str = ""


def _forwarded_post_id(message: Mapping[str, Any]) -> int | None:
    """The channel post id an automatic forward copies (``forward_origin`` or the older fields)."""
    origin = message.get("forward_origin")
    if isinstance(origin, Mapping) and isinstance(origin.get("message_id"), int):
        return origin["message_id"]
    legacy = message.get("forward_from_message_id")
    return legacy if isinstance(legacy, int) else None


def _forward_channel_id(message: Mapping[str, Any]) -> Any:
    origin = as_mapping(message.get("forward_origin"))
    chat = as_mapping(origin.get("chat")) or as_mapping(message.get("forward_from_chat")) or as_mapping(message.get("sender_chat"))
    return chat.get("id")


class DiscussionFilter:
    """Keeps the group's comments (optionally only under one channel post) and learns the thread.

    What it learns — the thread id of the post and the linked channel's id — is its :meth:`state`,
    which the source keeps in its checkpoint, so webhook requests and restarts share it.
    """

    def __init__(
        self, chat_id: int | str, *, channel_post_id: int | None = None, thread_id: int | None = None,
        channel_id: int | str | None = None,
    ) -> None:
        self.chat_id = str(chat_id)
        self.channel_post_id = channel_post_id
        self.thread_id = thread_id
        self.channel_id = None if channel_id in (None, "") else str(channel_id)
        self.group_id: str | None = self.chat_id if self.chat_id.lstrip("-").isdigit() else None

    def state(self) -> dict[str, Any]:
        """What was learnt, for the checkpoint."""
        return {"thread_id": self.thread_id, "channel_id": self.channel_id, "group_id": self.group_id}

    def restore(self, state: Mapping[str, Any]) -> None:
        """Take back what an earlier run learnt (configured values win)."""
        if self.thread_id is None and isinstance(state.get("thread_id"), int):
            self.thread_id = state["thread_id"]
        if self.channel_id is None and state.get("channel_id") not in (None, ""):
            self.channel_id = str(state["channel_id"])
        if self.group_id is None and state.get("group_id") not in (None, ""):
            self.group_id = str(state["group_id"])

    def _same_chat(self, chat: Any) -> bool:
        if not isinstance(chat, Mapping):
            return False
        if str(chat.get("id")) == self.chat_id:
            return True
        username = chat.get("username")
        if isinstance(username, str) and f"@{username}".lower() == self.chat_id.lower():
            self.group_id = str(chat.get("id"))
            return True
        return False

    def _learn_forward(self, forward: Mapping[str, Any]) -> None:
        if not forward.get("is_automatic_forward"):
            return
        channel = _forward_channel_id(forward)
        if channel is not None and self.channel_id is None:
            self.channel_id = str(channel)
        if self.channel_post_id is not None and _forwarded_post_id(forward) == self.channel_post_id:
            if isinstance(forward.get("message_id"), int):
                self.thread_id = forward["message_id"]

    def check(self, message: Mapping[str, Any]) -> str:
        """"" when this message is a comment we want, else the ignore reason."""
        if not self._same_chat(message.get("chat")):
            return "other_chat"
        if message.get("is_automatic_forward"):
            self._learn_forward(message)
            return "channel_post_copy"
        reply = message.get("reply_to_message")
        if isinstance(reply, Mapping):
            self._learn_forward(reply)
        if self.channel_post_id is None:
            return ""
        if self.thread_id is None:
            return "thread_unknown"
        return "" if message.get("message_thread_id") == self.thread_id else "other_thread"

    def own_reason(self, message: Mapping[str, Any]) -> str | None:
        """Why this message is the page's own post (the channel itself, an anonymous admin), or None."""
        sender_chat = as_mapping(message.get("sender_chat"))
        if not sender_chat:
            return None
        chat_id = str(as_mapping(message.get("chat")).get("id"))
        if str(sender_chat.get("id")) == chat_id:
            return "anonymous_admin"
        if self.channel_id is not None and str(sender_chat.get("id")) == self.channel_id:
            return "channel"
        return None


def _author(message: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
    sender_chat = message.get("sender_chat")
    user = message.get("from")
    extra: dict[str, Any] = {}
    if isinstance(sender_chat, Mapping):
        extra["sender_chat_id"] = sender_chat.get("id")
        name = storable(sender_chat.get("title") or sender_chat.get("username") or "")
        return name, extra
    if not isinstance(user, Mapping):
        return "", extra
    extra["user_id"] = user.get("id")
    if user.get("username"):
        extra["username"] = storable(user["username"])
    name = " ".join(storable(user.get(k) or "") for k in ("first_name", "last_name")).strip()
    return name, extra


def _duration(seconds: Any) -> str:
    if isinstance(seconds, bool) or not isinstance(seconds, int) or seconds < 0:
        return ""
    return f" {seconds // 60}:{seconds % 60:02d}"


def _placeholder(message: Mapping[str, Any], extra: dict[str, Any]) -> tuple[str, str] | None:
    """(kind, text) for a message without text or caption: what was sent, never an empty comment."""
    sticker = as_mapping(message.get("sticker"))
    if sticker:
        extra["media"] = "sticker"
        return "sticker", storable(sticker.get("emoji") or "") or "🏷"
    for key, mark in MEDIA_MARKS.items():
        if key in message:
            extra["media"] = key
            body = as_mapping(message.get(key))
            if key in ("voice", "video_note", "audio", "video"):
                return "media", mark + _duration(body.get("duration"))
            if key == "document" and isinstance(body.get("file_name"), str):
                return "media", f"{mark} {storable(body['file_name'])[:200]}"
            return "media", mark
    venue, location = as_mapping(message.get("venue")), as_mapping(message.get("location"))
    if venue or location:
        point = as_mapping(venue.get("location")) or location
        extra["media"] = "venue" if venue else "location"
        lat, lon = point.get("latitude"), point.get("longitude")
        if isinstance(lat, (int, float)) and isinstance(lon, (int, float)):
            extra["latitude"], extra["longitude"] = lat, lon
            where = f"{lat:.6f}, {lon:.6f}"
        else:
            where = ""
        words = ", ".join(storable(venue.get(k)) for k in ("title", "address") if venue.get(k))
        return "media", "📍 " + (words or where).strip()
    contact = as_mapping(message.get("contact"))
    if contact:
        extra["media"] = "contact"
        if contact.get("phone_number"):
            extra["contact"] = storable(contact["phone_number"])  # private: never shown or published
        name = " ".join(storable(contact.get(k) or "") for k in ("first_name", "last_name")).strip()
        return "media", f"☎ {name}".strip()
    poll = as_mapping(message.get("poll"))
    if poll:
        extra["media"] = "poll"
        options = [storable(as_mapping(o).get("text") or "") for o in poll.get("options") or ()]
        question = storable(poll.get("question") or "")
        return "media", f"📊 {question}" + (f": {' / '.join(o for o in options if o)}" if options else "")
    checklist = as_mapping(message.get("checklist"))
    if checklist:
        extra["media"] = "checklist"
        return "media", f"☑ {storable(checklist.get('title') or '')}".strip()
    return None


def decide_message(message: Mapping[str, Any], own: str | None = None) -> Decision:
    """A group message as a comment, or the reason it is none (see :data:`IGNORE_REASONS`)."""
    chat = as_mapping(message.get("chat"))
    chat_id, message_id = chat.get("id"), message.get("message_id")
    if chat_id is None or not isinstance(message_id, int) or isinstance(message_id, bool):
        return Decision(None, "bad_message")
    user = as_mapping(message.get("from"))
    if user.get("is_bot") and not message.get("sender_chat"):
        return Decision(None, "bot")
    author, extra = _author(message)
    extra.update({"chat_id": chat_id, "message_id": message_id})
    text = message.get("text") if isinstance(message.get("text"), str) else message.get("caption")
    kind = "text"
    if isinstance(text, str) and text.strip():
        media = next((k for k in (*MEDIA_MARKS, "sticker") if k in message), None)
        if media:
            extra["media"] = media
    else:
        if any(k in message for k in GAME_KEYS):
            return Decision(None, "game")
        if any(k in message for k in SERVICE_KEYS):
            return Decision(None, "service_message")
        placed = _placeholder(message, extra)
        if placed is None:
            return Decision(None, "empty" if "text" in message else "service_message")
        kind, text = placed
    if isinstance(message.get("message_thread_id"), int):
        extra["thread_id"] = message["message_thread_id"]
    reply = message.get("reply_to_message")
    if isinstance(reply, Mapping) and isinstance(reply.get("message_id"), int):
        extra["reply_to"] = reply["message_id"]
    if own:
        extra["own"] = own
    try:
        created = datetime.fromtimestamp(int(message.get("date", 0)), tz=UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        created = utcnow()
    return Decision(IncomingComment(
        source="telegram", external_id=f"{chat_id}:{message_id}", author=author, text=storable(text),
        created_at=created, kind=kind, extra=extra,
    ))


def message_to_comment(message: Mapping[str, Any]) -> IncomingComment | None:
    """A group message as a comment (no thread filter); None for what is not one."""
    return decide_message(message).comment


def decide_update(update: Mapping[str, Any], flt: DiscussionFilter) -> Decision:
    """One Update object: its ``message`` as a comment if the filter keeps it, else why not."""
    message = update.get("message") if isinstance(update, Mapping) else None
    if not isinstance(message, Mapping):
        return Decision(None, "not_a_message")
    reason = flt.check(message)
    if reason:
        return Decision(None, reason)
    return decide_message(message, flt.own_reason(message))


def parse_update(update: Mapping[str, Any], flt: DiscussionFilter) -> IncomingComment | None:
    """One Update object as a comment, or None."""
    return decide_update(update, flt).comment
