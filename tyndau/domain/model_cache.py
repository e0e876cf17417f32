"""Where the converted model and fitted examples live: the one rule every caller uses."""

from __future__ import annotations

import os
from pathlib import Path


def model_cache_dir(configured: str | Path | None = None) -> Path:
    """As configured, else ``$TYNDAU_MODEL_CACHE_DIR``, else one per user and machine (``$XDG_CACHE_HOME/tyndau/models``).

    Shared by every data directory, so the model is exported and the examples fitted once per machine.
    """
    if configured:
        return Path(configured).expanduser()
    if os.environ.get("TYNDAU_MODEL_CACHE_DIR"):
        return Path(os.environ["TYNDAU_MODEL_CACHE_DIR"]).expanduser()
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "tyndau" / "models"
