"""The numpy heads give scikit-learn's own probabilities and features, so serving need not import it."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from tyndau.nlp.features import TwoViewModel, text_vectoriser
from tyndau.nlp.linear_heads import LogisticHead, TextFeatures

TEXTS = [
    "Нет воды в Иргели третий день!!", "Иргелиде су жоқ", "ул. Абая 12 — яма на дороге, невозможно проехать",
    "Абай көшесінде   шұңқыр көп", "Kogda budet voda v Shamalgan?", "Спасибо за встречу 👍",
    "Рахмет, әкім!", "МУСОР НЕ ВЫВОЗЯТ две недели", "a", "", "!!!", "Автобус 102 не ходит, дети опаздывают в школу",
]
UNSEEN = ["Вода в Иргели так и не появилась", "шұңқыр", "zzzz qqqq", "", "Ямы, ямы и ещё раз ямы на Абая"]
LABELS = ["water", "water", "road", "road", "water", "chat", "chat", "waste", "chat", "chat", "chat", "bus"]


def _sklearn() -> tuple[object, object, object]:
    from sklearn.linear_model import LogisticRegression

    union = text_vectoriser().fit(TEXTS)
    rng = np.random.default_rng(3)
    emb = rng.normal(size=(len(TEXTS), 8))
    multi = LogisticRegression(C=10.0, max_iter=3000).fit(union.transform(TEXTS), LABELS)
    binary = LogisticRegression(C=3.0, max_iter=3000).fit(emb, [lab == "chat" for lab in LABELS])
    return union, multi, binary


def test_tfidf_rows_equal_scikit_learns_transform() -> None:
    union, _, _ = _sklearn()
    features = TextFeatures.from_sklearn(union)
    expected = union.transform(TEXTS + UNSEEN).toarray()
    got = np.zeros_like(expected)
    for i, row in enumerate(features.rows(TEXTS + UNSEEN)):
        got[i, row.indices] = row.values
    np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-12)


def test_probabilities_equal_scikit_learns_for_many_classes_and_two() -> None:
    union, multi, binary = _sklearn()
    features = TextFeatures.from_sklearn(union)
    got = LogisticHead.from_sklearn(multi).proba_sparse(features.rows(TEXTS + UNSEEN))
    np.testing.assert_allclose(got, multi.predict_proba(union.transform(TEXTS + UNSEEN)), rtol=1e-10, atol=1e-12)
    x = np.random.default_rng(5).normal(size=(7, 8))
    np.testing.assert_allclose(LogisticHead.from_sklearn(binary).proba(x), binary.predict_proba(x), rtol=1e-10, atol=1e-12)


def test_a_vectoriser_it_cannot_reproduce_is_refused() -> None:
    from sklearn.feature_extraction.text import TfidfVectorizer

    from tyndau.nlp.linear_heads import TfidfBlock

    vec = TfidfVectorizer(analyzer="char", norm="l1").fit(TEXTS)
    with pytest.raises(ValueError, match="unsupported"):
        TfidfBlock.from_sklearn(vec)


def test_a_fitted_two_view_model_scores_and_pickles_without_scikit_learn(tmp_path) -> None:
    """Fit here, then score the pickled model in a fresh interpreter that has no scikit-learn loaded."""
    import pickle

    emb = np.random.default_rng(1).normal(size=(len(TEXTS), 8)).astype(np.float32)
    model = TwoViewModel(embedding_c=3.0, text_c=10.0, text_weight=0.5).fit(TEXTS, emb, LABELS)
    path = tmp_path / "model.pickle"
    path.write_bytes(pickle.dumps(model))
    expected = model.log_proba(UNSEEN, emb[: len(UNSEEN)])
    np.save(tmp_path / "emb.npy", emb[: len(UNSEEN)])
    code = (
        "import pickle, sys, numpy as np\n"
        f"m = pickle.loads(open({str(path)!r}, 'rb').read())\n"
        f"out = m.log_proba({UNSEEN!r}, np.load({str(tmp_path / 'emb.npy')!r}))\n"
        f"np.save({str(tmp_path / 'out.npy')!r}, out)\n"
        "print('sklearn' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    assert done.stdout.strip() == "False", done.stderr
    np.testing.assert_allclose(np.load(tmp_path / "out.npy"), expected, rtol=1e-6)
