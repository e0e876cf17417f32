"""Default settings and data shipped with Tyndau (TOML, JSON, demo files)."""

from importlib import resources
from importlib.abc import Traversable


def path(*parts: str) -> Traversable:
    """A file shipped in ``config/``, e.g. ``path("i18n", "ru.json")``."""
    node = resources.files(__name__)
    for part in parts:
        node = node.joinpath(part)
    return node
