"""Document strings in Russian and Kazakh (``config/i18n/reports_{ru,kk}.json``), kept apart from UI strings."""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache
from types import MappingProxyType
from typing import Any

from tyndau.config import path as config_path
from tyndau.reports.text import NBSP, fmt_int

LANGS: tuple[str, ...] = ("ru", "kk")
ROMAN = ("I", "II", "III", "IV")


@cache
def catalogue(lang: str) -> Mapping[str, str]:
    """The read-only string catalogue of one language (loaded once per process)."""
    if lang not in LANGS:
        raise ValueError(f"language must be one of {', '.join(LANGS)}, not {lang!r}")
    raw = config_path("i18n", f"reports_{lang}.json").read_text(encoding="utf-8")
    return MappingProxyType(json.loads(raw))


class Strings:
    """Looks up and fills document strings of one language; a missing key shows as the key itself."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self._cat = catalogue(lang)

    def t(self, key: str, **values: Any) -> str:
        """The string for ``key`` with ``{name}`` placeholders filled."""
        template = self._cat.get(key, key)
        return template.format(**values) if values else template

    def has(self, key: str) -> bool:
        """Whether the catalogue defines a key."""
        return key in self._cat

    def _label(self, prefix: str, value: str | None) -> str:
        if not value:
            return ""
        return self._cat.get(f"{prefix}.{value}", value)

    def status(self, value: str | None) -> str:
        """A problem status's label ('new' when None: the problem had no status yet)."""
        return self.t("status.new") if value is None else self._label("status", value)

    def competence(self, value: str | None) -> str:
        """A competence level's label."""
        return self._label("competence", value)

    def funding_source(self, value: str | None) -> str:
        """A funding source's label."""
        return self._label("funding_source", value)

    def akim_level(self, value: str | None) -> str:
        """An akim level's label."""
        return self._label("akim_level", value)

    def source(self, value: str) -> str:
        """A comment source's label; ``webhook:<name>`` shows as the webhook label and the name."""
        if value.startswith("webhook:"):
            return f"{self.t('source.webhook')} ({value.split(':', 1)[1]})"
        return self._label("source", value)

    def yes_no(self, value: bool | None) -> str:
        """'да'/'нет' or 'иә'/'жоқ'; '' for None."""
        if value is None:
            return ""
        return self.t("value.yes" if value else "value.no")

    def quarter(self, year: int, quarter: int) -> str:
        """'за II квартал 2026 года' / '2026 жылғы II тоқсан бойынша'."""
        return self.t("quarterly.period", year=year, quarter=ROMAN[quarter - 1])

    def duration(self, seconds: float | None) -> str:
        """A duration as '12 мин 30 с' or '1 ч 05 мин'."""
        if seconds is None:
            return self.t("summary.unknown")
        total = max(0, round(seconds))
        if total >= 3600:
            return self.t("duration.hours", h=total // 3600, m=f"{total % 3600 // 60:02d}").replace(" ", NBSP)
        return self.t("duration.minutes", m=total // 60, s=f"{total % 60:02d}").replace(" ", NBSP)

    def funding(self, need: int | None, allocated: int | None, source: str | None) -> str:
        """The action plan's funding cell: need, source and allocation in one short text."""
        if need == 0:
            return self.t("funding.not_needed")
        parts: list[str] = []
        if need is not None:
            parts.append(self.t("funding.need", amount=fmt_int(need)))
        if source:
            label = self.funding_source(source)
            parts.append(f"({label[:1].lower()}{label[1:]})")
        text = " ".join(parts)
        if allocated is not None:
            text = "; ".join(filter(None, (text, self.t("funding.allocated", amount=fmt_int(allocated)))))
        return text
