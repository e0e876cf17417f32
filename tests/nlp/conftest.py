"""Shared fixtures for the NLP stage tests."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# ``../shared`` beside the checkout; TYNDAU_SHARED_DIR points elsewhere (e.g. from a git worktree).
SHARED = Path(os.environ.get("TYNDAU_SHARED_DIR") or Path(__file__).resolve().parents[2].parent / "shared")
APPEALS = SHARED / "data" / "appeals"


@pytest.fixture(scope="session")
def appeals_dir() -> Path:
    """The shared development data; tests that need it skip cleanly without it."""
    if not APPEALS.is_dir():
        pytest.skip("shared development data not present")
    return APPEALS
