"""A stand-in for ``python -m yt_dlp`` that writes live chat the way yt-dlp does, then dies or finishes.

Usage: ``fake_ytdlp.py OUTPUT_TEMPLATE [options]``. Like yt-dlp it appends one JSON action per line to
``<template with %(ext)s = live_chat.json>.part``, flushing each line, prints its usual chatter, and
renames the ``.part`` file to the final name when it ends normally. Standalone on purpose: it does not
use Tyndau's own writer, so a bug there cannot hide a parser bug.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time


def action_line(message_id: str, text: str, usec: int, offset_ms: int, live: bool) -> str:
    """One line in yt-dlp's live form (or replay form)."""
    action = {
        "addChatItemAction": {
            "item": {
                "liveChatTextMessageRenderer": {
                    "message": {"runs": [{"text": text}]},
                    "authorName": {"simpleText": f"viewer {message_id}"},
                    "id": message_id,
                    "timestampUsec": str(usec),
                    "authorExternalChannelId": f"UC{message_id}",
                }
            },
            "clientId": message_id,
        }
    }
    if live:
        obj = {
            "replayChatItemAction": {"actions": [action]},
            "videoOffsetTimeMsec": str(offset_ms),
            "isLive": True,
        }
    else:
        obj = {"replayChatItemAction": {"actions": [action], "videoOffsetTimeMsec": str(offset_ms)}}
    return json.dumps(obj, ensure_ascii=False) + "\n"


def main() -> int:
    """Write the chat, then crash, hang or finish as told."""
    ap = argparse.ArgumentParser()
    ap.add_argument("template")
    ap.add_argument("--lines", type=int, default=5)
    ap.add_argument("--start", type=int, default=0, help="first message number")
    ap.add_argument("--die-after", type=int, default=None, help="crash after this many lines")
    ap.add_argument("--exit-code", type=int, default=1)
    ap.add_argument("--interval", type=float, default=0.01)
    ap.add_argument("--replay", action="store_true", help="write the replay form (stream is over)")
    ap.add_argument("--partial", action="store_true", help="leave half a line when crashing")
    ap.add_argument("--hang", action="store_true", help="keep running without writing")
    ap.add_argument("--garbage", action="store_true", help="write a malformed line first")
    args = ap.parse_args()

    final = args.template.replace("%(ext)s", "live_chat.json")
    part = final + ".part"
    print("[youtube] Extracting URL", flush=True)
    print(f"[info] Writing video subtitles to: {final}", flush=True)
    base_usec = 1_763_700_000_000_000
    with open(part, "ab") as out:
        if args.garbage:
            out.write(b'{"this is": not json\n')
            out.flush()
        for i in range(args.start, args.start + args.lines):
            line = action_line(
                f"msg{i}", f"сообщение {i} <b>ok</b>", base_usec + i * 1_000_000, i * 1000, not args.replay
            )
            out.write(line.encode("utf-8"))
            out.flush()
            if args.die_after is not None and i - args.start + 1 >= args.die_after:
                if args.partial:
                    out.write(line.encode("utf-8")[:40])
                    out.flush()
                print("ERROR: [youtube] stream dropped (fake)", flush=True)
                os._exit(args.exit_code)
            time.sleep(args.interval)
    if args.hang:
        print("[youtube_live_chat] waiting", flush=True)
        while True:
            time.sleep(1)
    os.replace(part, final)
    print("[youtube_live_chat] Downloaded live chat", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
