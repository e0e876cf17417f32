"""The text of YouTube chat nodes: ``simpleText`` or runs of text, links (their full URL) and emoji."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tyndau.domain.text_safety import storable


def _str(value: Any) -> str:
    return storable(value) if isinstance(value, (str, int, float)) else ""


def text_of(node: Any) -> str:
    """The text of a YouTube text node: ``simpleText`` or ``runs`` (text and emoji runs)."""
    if not isinstance(node, Mapping):
        return ""
    if "simpleText" in node:
        return _str(node.get("simpleText"))
    runs = node.get("runs")
    if not isinstance(runs, list):
        return ""
    return "".join(run_text(run) for run in runs)


def link_target(run: Mapping[str, Any]) -> str | None:
    """The full URL of a link run (YouTube shows it cut short): ``urlEndpoint.url``, unwrapped from ``/redirect?q=``."""
    endpoint = run.get("navigationEndpoint")
    url = endpoint.get("urlEndpoint", {}).get("url") if isinstance(endpoint, Mapping) and isinstance(endpoint.get("urlEndpoint"), Mapping) else None
    if not isinstance(url, str) or not url:
        return None
    parsed = urlsplit(url)
    if parsed.path == "/redirect" and (not parsed.netloc or parsed.netloc.endswith("youtube.com")):
        target = parse_qs(parsed.query).get("q")
        return storable(target[0]) if target else None
    return storable("https://www.youtube.com" + url if url.startswith("/") else url)


def run_text(run: Any) -> str:
    """One run: its text (a link's full URL), or for an emoji the unicode character, else its first shortcut."""
    if not isinstance(run, Mapping):
        return ""
    if "text" in run:
        return link_target(run) or _str(run.get("text"))
    emoji = run.get("emoji")
    if not isinstance(emoji, Mapping):
        return ""
    emoji_id = _str(emoji.get("emojiId"))
    if emoji_id and not emoji.get("isCustomEmoji") and not emoji_id.isascii():
        return emoji_id
    shortcuts = emoji.get("shortcuts")
    if isinstance(shortcuts, list) and shortcuts and isinstance(shortcuts[0], str):
        return storable(shortcuts[0])
    return _label(emoji.get("image")) or emoji_id


def _label(node: Any) -> str:
    if not isinstance(node, Mapping):
        return ""
    data = node.get("accessibility", {})
    data = data.get("accessibilityData", {}) if isinstance(data, Mapping) else {}
    return _str(data.get("label")) if isinstance(data, Mapping) else ""
