"""The fast encoder while its one-time export runs in a process of its own.

On a cold cache the export (~10 s of CPU) and the fitting of the learned stages (~25 s) need
nothing from each other when the shipped example embeddings cover the examples, so they run side
by side on two cores; the export's peak memory also stays out of the server's process. Anything
that needs the real encoder (``encode``) waits for it; ``wait()`` is called before the pipeline
counts as ready, so an export that failed fails the load with its own message.
"""

from __future__ import annotations

import logging
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .e5 import EncoderLoadError

logger = logging.getLogger(__name__)


class PendingEncoder:
    """Stands for the encoder being exported: its fingerprint now, everything else once it is loaded."""

    def __init__(self, cache_dir: Path, precision: str, fingerprint: str, load: Callable[[], Any],
                 source: Path | None = None) -> None:
        self.fingerprint = fingerprint
        self._load = load
        self._lock = threading.Lock()
        self._encoder: Any = None
        self._progress: Any = None
        self._log = tempfile.TemporaryFile()
        logger.info("exporting the e5 encoder (%s) in a separate process while the other stages load", precision)
        command = [sys.executable, "-m", "tyndau.nlp.encoder.onnx_export", str(cache_dir), precision]
        self._process = subprocess.Popen(command + ([str(source)] if source is not None else []),
                                         stdout=self._log, stderr=subprocess.STDOUT)

    def wait(self) -> Any:
        """The loaded encoder (after the export finished)."""
        with self._lock:
            if self._encoder is None:
                code = self._process.wait()
                self._log.seek(0)
                output = self._log.read().decode("utf-8", "replace").strip()
                self._log.close()
                if code != 0:
                    raise EncoderLoadError(f"the ONNX export failed (exit {code}): {output[-1500:]}")
                self._encoder = self._load()
                self._encoder.on_progress = self._progress
            return self._encoder

    @property
    def on_progress(self) -> Any:
        return self._progress

    @on_progress.setter
    def on_progress(self, hook: Any) -> None:
        self._progress = hook
        if self._encoder is not None:
            self._encoder.on_progress = hook

    def encode(self, texts: Any, *, prefix: str = "query: ") -> Any:
        """Embed with the real encoder (waits for the export)."""
        return self.wait().encode(texts, prefix=prefix)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self.wait(), name)
