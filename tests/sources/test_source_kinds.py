"""A kind's options are its one schema: they check a config (defaults in, other keys out), name what is
wrong, hide secrets from pages and describe the form the console draws."""

from __future__ import annotations

from pathlib import Path

import pytest

from tyndau.live.source_kinds import Option, SourceConfigError, SourceKind, SourceKinds, build_source, builtin_kinds


def test_the_built_in_kinds_are_found_in_their_modules_in_the_consoles_order():
    kinds = builtin_kinds()
    assert kinds.names[:3] == ("youtube", "telegram", "facebook") and kinds.names[-1] == "replay"
    assert {"instagram_webhook", "facebook_webhook"} <= set(kinds.names)
    assert [k.name for k in kinds if k.push] == ["facebook_webhook", "instagram_webhook"]
    assert builtin_kinds() is not kinds  # each server gets its own registry


def test_a_config_is_checked_by_the_options_with_defaults_and_other_keys_dropped():
    telegram = builtin_kinds().get("telegram")
    assert telegram.check({"token": " 1:abc ", "chat_id": -1001, "channel_post_id": "7", "stray": "x"}) == {
        "token": "1:abc", "chat_id": "-1001", "channel_post_id": 7, "mode": "polling"}
    with pytest.raises(SourceConfigError) as err:
        telegram.check({"token": "", "chat_id": "group", "mode": "push", "channel_post_id": True})
    message = str(err.value)
    assert "config.token is required" in message and "config.chat_id: the group's id (-100…) or @username" in message
    assert "config.mode" in message and "config.channel_post_id" in message
    with pytest.raises(SourceConfigError, match="config must be an object"):
        telegram.check(["token"])  # type: ignore[arg-type]


def test_secrets_never_reach_a_page_and_the_form_lists_only_form_options():
    kinds = builtin_kinds()
    assert kinds.public("telegram", {"token": "1:abc", "chat_id": "-1"}) == {"token": "***", "chat_id": "-1"}
    assert kinds.public("gone_kind", {"token": "t", "secret": "s", "id": 1}) == {"token": "***", "secret": "***", "id": 1}
    form = next(f for f in kinds.as_json() if f["kind"] == "telegram")
    assert [o["name"] for o in form["options"]] == ["token", "chat_id", "channel_post_id", "mode"]  # api_base, channel_id: API only
    assert form["options"][0] == {"name": "token", "type": "secret", "required": True}
    assert form["options"][3]["choices"] == ["polling", "webhook"] and form["options"][3]["default"] == "polling"


def test_an_added_kind_is_built_through_the_registry_and_an_unknown_one_is_refused(tmp_path: Path):
    made: list[dict] = []

    def build(config, given):  # type: ignore[no-untyped-def]
        made.append(dict(config))
        return object()

    kinds = SourceKinds([SourceKind("echo", (Option("word", required=True), Option("times", "number", whole=True, default=1)), build)])
    from tyndau.live.source_kinds import SourceContext

    build_source("echo", {"word": "hi"}, checkpoint=None, work_dir=tmp_path, context=SourceContext(kinds=kinds))
    assert made == [{"word": "hi", "times": 1}]
    with pytest.raises(SourceConfigError, match="unknown source kind 'youtube'; one of echo"):
        build_source("youtube", {"url": "https://x"}, checkpoint=None, work_dir=tmp_path, context=SourceContext(kinds=kinds))
    with pytest.raises(ValueError, match="already registered"):
        kinds.add(SourceKind("echo", (), build))
