"""Every kind of source the server can run: its options, declared once, and how a config becomes a source.

A kind is a :class:`SourceKind` (its options and a ``build`` function) that its module in
``tyndau.live.sources`` lists in ``SOURCE_KINDS``; :func:`builtin_kinds` finds them there. The
options are the one schema of a kind's config: they validate what the API and ``tyndau ingest``
are given (:meth:`SourceKind.check`, a pydantic model), describe it in the OpenAPI document, and
are served to the console (``GET /api/v1/vocabulary``, ``source_forms``), which draws the form
from them. A bad option raises :class:`SourceConfigError` naming the field, before anything is stored.
"""

from __future__ import annotations

import functools
import importlib
import pkgutil
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, create_model

from tyndau.live.sources.base import CommentSource

PUSH_KINDS = {"instagram_webhook": "Instagram", "facebook_webhook": "Facebook"}
"""The kinds that Meta's webhooks feed (they poll nothing), and their platform's name."""
MAX_ID = 10**15
"""Platform ids fit in 64 bits; a longer "id" is a mistake, not a post."""
MAX_TEXT = 500
OptionType = Literal["text", "url", "secret", "number", "bool", "choice"]
SECRET_MASK = "***"


class SourceConfigError(ValueError):
    """A source cannot be built from this configuration; the message names the field."""


@dataclass(frozen=True, slots=True)
class SourceContext:
    """What the server knows that a source may need: its id, the public URL, the webhook secrets, the kinds."""

    source_id: int = 0
    public_url: str = ""
    telegram_secret: str = ""
    meta_ready: bool = True
    data_dir: Path | None = None
    kinds: SourceKinds | None = None  # None: the built-in kinds

    def telegram_webhook_url(self) -> str | None:
        """The URL Telegram should push this source's updates to (None without a public URL)."""
        if not self.public_url or not self.source_id:
            return None
        return f"{self.public_url.rstrip('/')}/webhooks/telegram/{self.source_id}"


@dataclass(frozen=True, slots=True)
class Build:
    """What a kind's ``build`` is given besides its checked config."""

    checkpoint: Any
    work_dir: Path
    context: SourceContext


@dataclass(frozen=True, slots=True)
class Option:
    """One option of a kind's config, as the API checks it and the console's form asks for it."""

    name: str
    type: OptionType = "text"
    required: bool = False
    default: str | int | float | bool | None = None
    help: str = ""  # English, for the API document (the form's words are i18n keys)
    choices: tuple[str, ...] = ()
    low: float | None = None
    high: float | None = None
    whole: bool = False  # a number: whole numbers only
    pattern: str = ""  # a text: the whole value must match
    refusal: str = ""  # what the value must be, when the pattern or the URL check refuses it
    example: str = ""  # the form's placeholder
    form: bool = True  # False: an option for the API only (the base URL of a test server, …)

    def annotation(self) -> Any:
        """The pydantic type of the option (None allowed unless it is required)."""
        base: Any
        meta: list[Any] = []
        if self.type == "bool":
            base, meta = bool, [Field(strict=True)]
        elif self.type == "number":
            base = int if self.whole else float
            low = self.low if self.low is not None else -MAX_ID
            high = self.high if self.high is not None else MAX_ID
            meta = [Field(ge=low, le=high, strict=False), BeforeValidator(_no_bool)]
        elif self.type == "choice":
            base = Literal[self.choices]  # type: ignore[valid-type]
        else:
            base = str
            meta = [Field(min_length=1, max_length=MAX_TEXT), BeforeValidator(_as_text)]
            if self.type == "url":
                meta.append(AfterValidator(_url_check(self.refusal)))
            if self.pattern:
                meta.append(AfterValidator(_pattern_check(self.pattern, self.refusal)))
        typed: Any = Annotated[(base, *meta)] if meta else base
        extra: dict[str, Any] = {"format": "password", "writeOnly": True} if self.type == "secret" else {}
        about = Field(description=self.help or None, json_schema_extra=extra or None)
        return Annotated[typed, about] if self.required else Annotated[typed | None, about]

    def as_json(self) -> dict[str, Any]:
        """What the console's form needs to draw and send this option."""
        out: dict[str, Any] = {"name": self.name, "type": self.type, "required": self.required}
        for key, value in (("default", self.default), ("low", self.low), ("high", self.high), ("example", self.example)):
            if value not in (None, ""):
                out[key] = value
        if self.choices:
            out["choices"] = list(self.choices)
        if self.type == "number":
            out["whole"] = self.whole
        if self.pattern:
            out["pattern"] = self.pattern
        return out


def _no_bool(value: Any) -> Any:
    if isinstance(value, bool):
        raise ValueError("a number")
    return None if value == "" else value


def _as_text(value: Any) -> Any:
    """Ids may come as JSON numbers; every text is trimmed (an empty one counts as not given)."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def _url_check(refusal: str) -> Callable[[str], str]:
    def check(value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError(refusal or "an http(s) URL")
        return value

    return check


def _pattern_check(pattern: str, refusal: str) -> Callable[[str], str]:
    compiled = re.compile(pattern)

    def check(value: str) -> str:
        if compiled.fullmatch(value) is None:
            raise ValueError(refusal or f"text matching {pattern}")
        return value

    return check


class SourceConfig(BaseModel):
    """A kind's config: the options it declares (others are dropped)."""

    model_config = ConfigDict(extra="ignore", frozen=True, strict=True)


@dataclass(frozen=True, slots=True)
class SourceKind:
    """A kind of source: its name, its options and how a checked config becomes the running source."""

    name: str
    options: tuple[Option, ...]
    build: Callable[[Mapping[str, Any], Build], CommentSource] = field(repr=False)
    push: str = ""  # the platform whose webhooks feed it ("" for a polled source)
    rank: int = 100  # where the console lists it (then by name)
    summary: str = ""  # one line for the API document
    model: type[SourceConfig] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        fields: dict[str, Any] = {}
        for o in self.options:
            fields[o.name] = (o.annotation(), ... if o.required else o.default)
        camel = "".join(part.capitalize() for part in self.name.split("_"))
        model = create_model(f"{camel}Config", __base__=SourceConfig, __doc__=self.summary or f"The options of a {self.name} source.", **fields)
        object.__setattr__(self, "model", model)

    @property
    def required(self) -> bool:
        """Whether the config must name some option (else it may be left out)."""
        return any(o.required for o in self.options)

    def check(self, config: Mapping[str, Any]) -> dict[str, Any]:
        """The config as the options declare it (defaults filled in, other keys dropped), or a :class:`SourceConfigError`."""
        if not isinstance(config, Mapping):
            raise SourceConfigError("config must be an object")
        try:
            checked = self.model.model_validate(dict(config))
        except ValidationError as exc:
            raise SourceConfigError("; ".join(_why(err) for err in exc.errors(include_url=False))) from None
        return checked.model_dump(exclude_none=True)

    def public(self, config: Mapping[str, Any]) -> dict[str, Any]:
        """The config as a page may see it: secrets never leave the server."""
        secret = {o.name for o in self.options if o.type == "secret"}
        return {k: (SECRET_MASK if k in secret else v) for k, v in config.items()}

    def as_json(self) -> dict[str, Any]:
        """The form of this kind, for the console."""
        return {"kind": self.name, "push": bool(self.push), "options": [o.as_json() for o in self.options if o.form]}


def _why(err: Mapping[str, Any]) -> str:
    name = ".".join(str(p) for p in err["loc"])
    if err["type"] == "missing" or err.get("input", "") is None:
        return f"config.{name} is required"
    return f"config.{name}: {str(err['msg']).removeprefix('Value error, ')}"


class SourceKinds:
    """The kinds one server runs (the built-in ones, plus any a test or a deployment adds)."""

    def __init__(self, kinds: Iterable[SourceKind] = ()) -> None:
        self._kinds: dict[str, SourceKind] = {}
        for kind in kinds:
            self.add(kind)

    def add(self, kind: SourceKind) -> None:
        """Register a kind (its name must be new)."""
        if kind.name in self._kinds:
            raise ValueError(f"source kind {kind.name!r} is already registered")
        self._kinds[kind.name] = kind

    def __iter__(self) -> Iterator[SourceKind]:
        return iter(sorted(self._kinds.values(), key=lambda k: (k.rank, k.name)))

    def __contains__(self, name: object) -> bool:
        return name in self._kinds

    @property
    def names(self) -> tuple[str, ...]:
        """Every kind's name, in the console's order."""
        return tuple(k.name for k in self)

    def get(self, name: str) -> SourceKind:
        """The kind called ``name``, or a :class:`SourceConfigError` listing the known ones."""
        kind = self._kinds.get(name)
        if kind is None:
            raise SourceConfigError(f"unknown source kind {name!r}; one of {', '.join(self.names)}")
        return kind

    def public(self, name: str, config: Mapping[str, Any]) -> dict[str, Any]:
        """A stored config as pages see it (a kind no longer known: tokens and secrets hidden by name)."""
        if name in self._kinds:
            return self._kinds[name].public(config)
        return {k: (SECRET_MASK if k in ("token", "secret") else v) for k, v in config.items()}

    def as_json(self) -> list[dict[str, Any]]:
        """Every kind's form (``source_forms`` of ``GET /api/v1/vocabulary``)."""
        return [k.as_json() for k in self]


@functools.cache
def _found() -> tuple[SourceKind, ...]:
    """The kinds the modules of ``tyndau.live.sources`` declare in ``SOURCE_KINDS``."""
    import tyndau.live.sources as package

    out: list[SourceKind] = []
    for info in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        out.extend(getattr(module, "SOURCE_KINDS", ()))
    return tuple(out)


def builtin_kinds() -> SourceKinds:
    """A fresh registry of the kinds shipped in ``tyndau.live.sources``."""
    return SourceKinds(_found())


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
    """The source object for a stored row (its config checked by the kind's options first)."""
    ctx = context or SourceContext()
    found = (ctx.kinds or builtin_kinds()).get(kind)
    return found.build(found.check(config), Build(checkpoint=checkpoint, work_dir=work_dir, context=ctx))
