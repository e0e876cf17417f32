"""The yt-dlp live_chat parser, on the shared recordings and on hostile lines."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.sources.chat_writer import text_message_line
from tyndau.live.sources.youtube_chat import (
    ChatParser,
    MalformedLine,
    parse_bytes,
    parse_file,
    parse_line,
    parse_lines,
    run_text,
    split_lines,
)

CHAT_DIR = Path("/work/shared/data/chat")
REPLAY = CHAT_DIR / "chatreplay_49msgs.live_chat.json"
LIVE = CHAT_DIR / "test_stream_live_dummy.live_chat.json"
FIXED = datetime(2026, 11, 21, 10, 0, tzinfo=UTC)


def live_line(action: dict, offset: int = 0) -> str:
    """Wrap one action the way yt-dlp's live downloader does."""
    return json.dumps(
        {"replayChatItemAction": {"actions": [action]}, "videoOffsetTimeMsec": str(offset), "isLive": True}
    )


def add_item(name: str, renderer: dict) -> dict:
    return {"addChatItemAction": {"item": {name: renderer}, "clientId": "c"}}


def text_renderer(runs: list, **fields) -> dict:
    base = {"message": {"runs": runs}, "authorName": {"simpleText": "Айдос"}, "id": "ID1",
            "timestampUsec": "1763719200000000", "authorExternalChannelId": "UCx"}
    base.update(fields)
    return base


async def test_replay_recording_parses_every_line():
    comments, report = await parse_file(REPLAY)
    assert report.lines == 49 and report.skipped == 0
    assert len(comments) == 49
    first = comments[0]
    assert first.source == "youtube"
    assert first.external_id.startswith("CjoKGkNMYXBzZTdudHVV")
    assert first.author == "だにょぉぉーん Frisk"
    assert first.text == "や"
    assert first.created_at == datetime.fromtimestamp(1571985910682806 / 1e6, tz=UTC)
    assert first.extra["offset_ms"] == 101308
    assert "live" not in first.extra
    kinds = {c.kind for c in comments}
    assert kinds == {"text", "paid", "placeholder"}
    paid = next(c for c in comments if c.kind == "paid")
    assert paid.author == "Svatopluk Čech" and paid.extra["amount"] == "CZK\xa020.00"
    assert paid.text == "Hello from Czech Republic"
    assert any("шалом🕎" == c.text for c in comments)


async def test_live_recording_parses_live_form():
    comments, report = await parse_file(LIVE)
    assert report.lines == 7 and report.skipped == 0
    assert report.ignored["addLiveChatTickerItemAction"] == 2  # tickers repeat items already delivered
    assert [c.kind for c in comments] == ["text", "text", "placeholder", "paid", "sticker"]
    assert all(c.extra["live"] is True for c in comments)
    assert [c.extra["offset_ms"] for c in comments] == [0, 1000, 2000, 4000, 5000]
    assert comments[1].extra["badges"] == ["メンバー（2 か月）"]
    sticker = comments[4]
    assert (
        sticker.text == ""
        and sticker.extra["amount"] == "￥150"
        and sticker.extra["sticker"] == "___sticker_label___"
    )
    assert comments[2].external_id == "placeholder:dummy_id"


def test_emoji_runs_become_text():
    runs = [
        {"text": "Салем "},
        {"emoji": {"emojiId": "👋", "shortcuts": [":wave:"], "isCustomEmoji": False}},
        {"text": " "},
        {"emoji": {"emojiId": "UCkszU2WH9gy1mb0dV-11UJg/CIW60IPp_dYCFcuqTgodEu4IlQ",
                   "shortcuts": [":hand-pink-waving:", ":waving:"], "isCustomEmoji": True}},
        {"emoji": {"emojiId": "1\ufe0f\u20e3", "shortcuts": [":one:"]}},
    ]
    line = parse_line(live_line(add_item("liveChatTextMessageRenderer", text_renderer(runs))))
    assert line.comments[0].text == "Салем 👋 :hand-pink-waving:1\ufe0f\u20e3"
    assert (
        run_text(
            {
                "emoji": {
                    "emojiId": "UCx/abc",
                    "image": {"accessibility": {"accessibilityData": {"label": "yt"}}},
                }
            }
        )
        == "yt"
    )


def test_membership_item():
    renderer = {"id": "M1", "timestampUsec": "1763719200000000", "authorName": {"simpleText": "Dana"},
                "headerPrimaryText": {"runs": [{"text": "Member for "}, {"text": "6"}, {"text": " months"}]},
                "message": {"runs": [{"text": "Рахмет!"}]}}
    comment = parse_line(live_line(add_item("liveChatMembershipItemRenderer", renderer))).comments[0]
    assert comment.kind == "membership" and comment.text == "Рахмет!"
    assert comment.extra["header"] == "Member for 6 months"
    welcome = {"id": "M2", "timestampUsec": "1763719200000000", "authorName": {"simpleText": "Erlan"},
               "headerSubtext": {"runs": [{"text": "Welcome to "}, {"text": "Akimat"}, {"text": "!"}]}}
    comment = parse_line(live_line(add_item("liveChatMembershipItemRenderer", welcome))).comments[0]
    assert comment.text == "" and comment.extra["header"] == "Welcome to Akimat!"


def test_deletions_reference_their_target_and_take_the_last_seen_time():
    parser = ChatParser(clock=lambda: FIXED)
    parser.feed(live_line(add_item("liveChatTextMessageRenderer", text_renderer([{"text": "spam"}]))), 1)
    one = {"markChatItemAsDeletedAction": {"deletedStateMessage": {"runs": [{"text": "[message deleted]"}]},
                                           "targetItemId": "ID1"}}
    by_author = {"markChatItemsByAuthorAsDeletedAction": {
        "deletedStateMessage": {"runs": [{"text": "[message deleted by "}, {"text": "Mod"}, {"text": "]"}]},
        "externalChannelId": "UCspammer"}}
    deleted = parser.feed(live_line(one, 5), 2).comments[0]
    assert deleted.kind == "deleted" and deleted.external_id == "deleted:ID1"
    assert deleted.extra["target_id"] == "ID1" and deleted.extra["reason"] == "[message deleted]"
    assert deleted.created_at == datetime.fromtimestamp(1763719200, tz=UTC)
    banned = parser.feed(live_line(by_author), 3).comments[0]
    assert banned.external_id == "deleted-author:UCspammer"
    assert banned.extra["target_author_id"] == "UCspammer"
    assert banned.extra["reason"] == "[message deleted by Mod]"
    fresh = ChatParser(clock=lambda: FIXED).feed(live_line(one), 1).comments[0]
    assert fresh.created_at == FIXED  # nothing seen yet: the parser's clock


def test_replace_action_delivers_the_replacement():
    action = {"replaceChatItemAction": {"targetItemId": "P1", "replacementItem": {
        "liveChatTextMessageRenderer": text_renderer([{"text": "late"}], id="P1")}}}
    comment = parse_line(live_line(action)).comments[0]
    assert comment.external_id == "P1" and comment.text == "late"


def test_html_and_script_pass_through_as_text():
    hostile = '<script>alert("x")</script><img src=x onerror=alert(1)> & &amp; \u202eevil\u200b'
    line = live_line(add_item("liveChatTextMessageRenderer", text_renderer([{"text": hostile}])))
    comment = parse_line(line).comments[0]
    assert comment.text == hostile


def test_malformed_lines_are_skipped_counted_and_reported():
    good = live_line(add_item("liveChatTextMessageRenderer", text_renderer([{"text": "ok"}])))
    lines = [
        good,
        '{"replayChatItemAction": {"actions": [',  # truncated
        "[1, 2, 3]",
        '{"unrelated": true}',
        '{"replayChatItemAction": {"actions": "nope"}}',
        "",
        "   ",
        good.replace("ID1", "ID2"),
    ]
    comments, report = parse_lines(lines)
    assert [c.external_id for c in comments] == ["ID1", "ID2"]
    assert report.skipped_lines == [2, 3, 4, 5]
    assert report.lines == 6  # blank lines are not counted
    assert "invalid JSON" in report.problems[0].reason
    assert "4 skipped" in report.summary() and "lines 2, 3, 4, 5" in report.summary()
    with pytest.raises(MalformedLine):
        parse_line("{oops")


def test_invalid_utf8_is_repaired_not_fatal():
    raw = live_line(add_item("liveChatTextMessageRenderer", text_renderer([{"text": "ab"}]))).encode()
    raw = raw.replace(b'"ab"', b'"a\xff\xfeb"')
    comments, report = parse_lines([raw])
    assert comments[0].text == "a\ufffd\ufffdb"
    assert report.skipped == 0 and report.problems[0].skipped is False


def test_lone_surrogates_and_nul_are_neutralised():
    line = live_line(add_item("liveChatTextMessageRenderer", text_renderer([{"text": "x"}])))
    line = line.replace('"x"', '"a\\ud800b\\u0000c"')
    assert parse_line(line).comments[0].text == "a\ufffdb\ufffdc"


def test_empty_text_and_missing_fields_do_not_break():
    bare = {"id": "E1"}
    comment = parse_line(live_line(add_item("liveChatTextMessageRenderer", bare))).comments[0]
    assert comment.text == "" and comment.author == "" and comment.external_id == "E1"
    weird = text_renderer({"not": "a list"}, authorName="str", timestampUsec="soon")  # type: ignore[arg-type]
    comment = parse_line(live_line(add_item("liveChatTextMessageRenderer", weird))).comments[0]
    assert comment.text == "" and comment.author == ""


def test_huge_line_is_skipped():
    huge = live_line(add_item("liveChatTextMessageRenderer", text_renderer([{"text": "я" * 700_000}])))
    comments, report = parse_lines([huge])
    assert comments == [] and report.skipped_lines == [1]
    assert "too long" in report.problems[0].reason
    # over-long but under the line limit: kept in full (the console clips the display)
    long_text = "ж" * 100_000
    ok = live_line(add_item("liveChatTextMessageRenderer", text_renderer([{"text": long_text}])))
    assert parse_line(ok).comments[0].text == long_text


def test_unknown_actions_are_ignored_not_errors():
    banner = {"addBannerToLiveChatCommand": {"bannerRenderer": {}}}
    engagement = add_item("liveChatViewerEngagementMessageRenderer", {"id": "x"})
    comments, report = parse_lines([live_line(banner), live_line(engagement)])
    assert comments == [] and report.skipped == 0
    assert report.ignored == {"addBannerToLiveChatCommand": 1, "liveChatViewerEngagementMessageRenderer": 1}


def test_split_lines_only_on_newline():
    data = 'a\u2028b\rc\n{"x":1}\n'.encode()
    assert split_lines(data) == ["a\u2028b\rc".encode(), b'{"x":1}']
    comments, report = parse_bytes(REPLAY.read_bytes())
    assert len(comments) == 49


def test_writer_round_trips_in_both_forms():
    for live in (True, False):
        line = text_message_line(
            message_id="m1",
            author="Асель",
            text="Когда починят дорогу?",
            timestamp=FIXED,
            offset_ms=1500,
            amount="1 000 ₸" if live else None,
            live=live,
        )
        parsed = parse_line(line)
        comment = parsed.comments[0]
        assert (parsed.offset_ms, parsed.is_live) == (1500, live)
        assert comment.text == "Когда починят дорогу?" and comment.author == "Асель"
        assert comment.created_at == FIXED and comment.kind == ("paid" if live else "text")
