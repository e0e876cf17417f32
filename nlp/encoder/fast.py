"""The fast ``encoder``: the e5 ONNX export on ONNX Runtime (int8 by default), no PyTorch needed.

Same contract as :class:`~tyndau.nlp.encoder.e5.E5Encoder` (prefix, mean pooling over real
tokens, L2 norm); the fp32 ``transformers`` encoder stays the reference it is measured against
(``benchmarks/bench_nlp.py``). Texts are tokenised with the ``tokenizers`` library, cut at
``max_length`` tokens, sorted by length and run in length buckets.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

from .batching import Progress, length_batches
from .convert import MANIFEST
from .onnx_export import FORMAT_VERSION, ONNX_FILE, TOKENIZER_FILE, ensure_onnx_model

logger = logging.getLogger(__name__)
_MAX_CHARS_PER_TOKEN = 32  # as in e5.py: clipping longer texts first changes nothing after truncation


class OnnxEncoder:
    """Embed texts with the exported e5 graph on ONNX Runtime's CPU provider."""

    def __init__(self, model_dir: Path, *, threads: int = 2, max_length: int = 128, batch_size: int = 64,
                 max_tokens: int = 4096, spin: bool = False) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        if threads < 1 or max_length < 3 or batch_size < 1 or max_tokens < max_length:
            raise ValueError("threads, batch_size must be >= 1, max_length >= 3 and max_tokens >= max_length")
        manifest = json.loads((model_dir / MANIFEST).read_text(encoding="utf-8"))
        self.max_length = min(max_length, int(manifest["max_positions"]))
        self.dim = int(manifest["hidden_size"])
        self.pad_id, self.eos_id = int(manifest["pad_id"]), int(manifest["eos_id"])
        self.batch_size, self.max_tokens = batch_size, max_tokens
        self.precision = str(manifest["precision"])
        self.fingerprint = onnx_fingerprint(self.precision, manifest["source"]["sha256"], self.max_length)
        self.tokenizer = Tokenizer.from_file(str(model_dir / TOKENIZER_FILE))
        self.tokenizer.enable_truncation(self.max_length)
        self.tokenizer.no_padding()
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        # Idle worker threads busy-wait by default; on a shared 2-core server that steals the event loop's CPU.
        options.add_session_config_entry("session.intra_op.allow_spinning", "1" if spin else "0")
        self.session = ort.InferenceSession(str(model_dir / ONNX_FILE), options, providers=["CPUExecutionProvider"])
        self.on_progress: Progress | None = None
        logger.info("ONNX encoder (%s) loaded from %s (dim %d, max_length %d, %d threads)", self.precision,
                    model_dir, self.dim, self.max_length, threads)

    def token_ids(self, texts: Sequence[str], prefix: str = "query: ") -> list[list[int]]:
        """Token ids per text (prefix included, cut at ``max_length``, ending in ``</s>``)."""
        clip = self.max_length * _MAX_CHARS_PER_TOKEN
        encoded = self.tokenizer.encode_batch([prefix + (text or "")[:clip] for text in texts])
        return [e.ids for e in encoded]

    def encode(self, texts: Sequence[str], *, prefix: str = "query: ") -> npt.NDArray[np.float32]:
        """Return one L2-normalised float32 row per text, in input order."""
        if isinstance(texts, str):
            raise TypeError("encode() takes a sequence of texts, not a single string")
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        ids = self.token_ids(texts, prefix)
        done = 0
        for batch in length_batches([len(r) for r in ids], batch_size=self.batch_size, max_tokens=self.max_tokens):
            width = max(len(ids[i]) for i in batch)
            input_ids = np.full((len(batch), width), self.pad_id, dtype=np.int64)
            mask = np.zeros((len(batch), width), dtype=np.int64)
            for row, i in enumerate(batch):
                input_ids[row, : len(ids[i])] = ids[i]
                mask[row, : len(ids[i])] = 1
            out[batch] = self.session.run(None, {"input_ids": input_ids, "attention_mask": mask})[0]
            done += len(batch)
            if self.on_progress is not None:
                self.on_progress(done, len(texts))
        return out


def onnx_fingerprint(precision: str, source_sha256: str, max_length: int) -> str:
    """The id under which this encoder's example embeddings are cached (weights, export format, cut-off)."""
    return hashlib.sha1(f"onnx:{precision}:{source_sha256}:{FORMAT_VERSION}:{max_length}".encode()).hexdigest()[:16]


def load_onnx_encoder(cache_dir: Path, *, precision: str = "int8", source: Path | None = None,
                      **options: object) -> OnnxEncoder:
    """Export once into the cache (if needed) and load the fast encoder."""
    return OnnxEncoder(ensure_onnx_model(cache_dir, precision, source), **options)  # type: ignore[arg-type]
