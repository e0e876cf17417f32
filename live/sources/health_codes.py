"""Why a source is in its state: machine codes with parameters, rendered by the console in ru/kk.

Each code has an English template here (for logs and the API's ``detail``); the console renders
``sources.code_<code>`` from ``config/i18n/{ru,kk}.json`` with the same parameters. A test checks that
both catalogues have every code.
"""

from __future__ import annotations

from typing import Any, Mapping

CODES: dict[str, str] = {
    "starting": "starting",
    "stopped": "stopped",
    "elsewhere": "running in another server process",
    "polling": "polling {platform}",
    "api_error": "{platform} API error {status}: {description}; retrying in {retry_in} s",
    "auth_error": "{platform} refused the token ({status}: {description}); retrying in {retry_in} s",
    "rate_limited": "{platform} rate limit (429): retrying in {retry_in} s",
    "network_error": "network error ({error}); retrying in {retry_in} s",
    "store_unavailable": "store unavailable ({error}); retrying",
    "telegram_webhook_active": "a webhook ({url}) is set for this bot, so getUpdates is refused; "
                               "switch the source to webhook mode or delete the webhook",
    "telegram_conflict": "another program polls this bot (409: {description}); stop it; retrying in {retry_in} s",
    "telegram_webhook_set": "webhook set to {url}; waiting for Telegram's first push",
    "telegram_webhook_missing": "no webhook is set for this bot: call setWebhook with {url} (or set public_url to https)",
    "telegram_webhook_other": "the bot's webhook points elsewhere ({url}), not at this source",
    "telegram_webhook_error": "Telegram could not deliver: {message} ({pending} update(s) waiting)",
    "push_waiting": "waiting for the first {platform} push",
    "push_receiving": "receiving {platform} pushes",
    "push_not_configured": "{platform} pushes cannot be accepted: set {setting}",
    "push_bad_signature": "a {platform} push with a bad signature was refused at {at}; check {setting}",
    "ytdlp_started": "yt-dlp started",
    "ytdlp_running": "yt-dlp running",
    "ytdlp_quiet": "no message for {seconds} s; {output}",
    "ytdlp_restarting": "yt-dlp exited ({exit}); restart in {retry_in} s: {output}",
    "ytdlp_gave_up": "yt-dlp exited ({exit}); giving up: {output}",
    "stream_over": "stream over: full replay downloaded",
    "stream_over_checkpoint": "stream ended (checkpoint)",
    "replaying": "replaying {file} at ×{speed}",
    "replay_done": "replay of {file} done",
    "importing": "importing {file}",
    "import_done": "{imported} imported, {skipped} skipped",
    "import_failed": "{error}",
    "failed": "stopped with an error: {error}",
    "cannot_resume": "cannot resume: {error}",
}


def render(code: str, params: Mapping[str, Any]) -> str:
    """The English sentence for a code (unknown codes and missing parameters never raise)."""
    template = CODES.get(code, code)
    try:
        return template.format_map(_Blank(params))
    except (IndexError, ValueError, AttributeError):
        return template


class _Blank(dict):  # type: ignore[type-arg]
    """Format parameters where a missing one reads as empty."""

    def __missing__(self, key: str) -> str:
        return ""
