"""Write chat lines in yt-dlp's ``live_chat`` format: for fakes, fixtures and bundled demo chats."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any


def text_message_line(
    *,
    message_id: str,
    author: str,
    text: str,
    timestamp: datetime,
    offset_ms: int,
    channel_id: str = "",
    amount: str | None = None,
    live: bool = True,
) -> str:
    """One line in yt-dlp's format (live or replay form): for fakes, fixtures and bundled demo chats."""
    name = "liveChatPaidMessageRenderer" if amount else "liveChatTextMessageRenderer"
    renderer: dict[str, Any] = {
        "message": {"runs": [{"text": text}]},
        "authorName": {"simpleText": author},
        "id": message_id,
        "timestampUsec": str(int(timestamp.timestamp() * 1_000_000)),
        "authorExternalChannelId": channel_id,
    }
    if amount:
        renderer["purchaseAmountText"] = {"simpleText": amount}
    action = {"addChatItemAction": {"item": {name: renderer}, "clientId": message_id}}
    if live:
        obj: dict[str, Any] = {
            "replayChatItemAction": {"actions": [action]},
            "videoOffsetTimeMsec": str(offset_ms),
            "isLive": True,
        }
    else:
        obj = {"replayChatItemAction": {"actions": [action], "videoOffsetTimeMsec": str(offset_ms)}}
    return json.dumps(obj, ensure_ascii=False)
