"""Stacking by length: the members' weights follow the text's length, fit on every validation set, and the
served model, its log-odds path and its explanations all compute the same sum."""

import numpy as np
import pytest

from ml.data import ImdbDataset, Split
from ml.data.counterfactual import PairedReviews
from ml.inference.artifact import read_json
from ml.testing import NEGATIVE_WORDS, POSITIVE_WORDS, TINY_CONFIG, synthetic_split
from ml.training import choosing
from ml.training import fit as train
from ml.training.ensemble import REVIEW_WEIGHTS


def _short(words, label, count, seed):
    rng = np.random.default_rng(seed)
    texts = [" ".join(rng.choice(words, size=3)) for _ in range(count)]
    return Split(texts, np.full(count, label, dtype=np.int32), np.zeros(count, dtype=np.int32))


@pytest.fixture
def phrases_and_pairs(monkeypatch):
    positive, negative = _short(POSITIVE_WORDS, 1, 40, 0), _short(NEGATIVE_WORDS, 0, 40, 1)
    phrases = Split(positive.texts + negative.texts, np.r_[positive.labels, negative.labels], np.zeros(80, np.int32))
    pairs = PairedReviews(
        Split(["a great film", "an awful film"], np.array([1, 0]), np.zeros(2, dtype=np.int32)), np.array(["1", "1"])
    )
    for module in (train, choosing):
        monkeypatch.setattr(module, "load_sst2", lambda split: phrases)
        monkeypatch.setattr(module, "load_counterfactual", lambda split: pairs)
    return phrases, pairs


@pytest.mark.slow  # fits two n-gram models and a stack
def test_a_stack_by_length_serves_what_it_was_fit_to(phrases_and_pairs, tmp_path):
    dataset = ImdbDataset(synthetic_split(300, seed=1), synthetic_split(40, seed=2), None, tmp_path, "abc")
    artifacts = tmp_path / "a"
    ngram = TINY_CONFIG.replace(arch="nbsvm", ngram_C=(1.0,))
    train.run(ngram.replace(name="nbsvm"), artifacts_dir=artifacts, dataset=dataset)
    train.run(ngram.replace(name="phrases", sst_weight=1.0, ngram_max=1), artifacts_dir=artifacts, dataset=dataset)
    config = TINY_CONFIG.replace(
        arch="ensemble", name="default", members=("nbsvm", "phrases"), length_scales=(5.0, 50.0)
    )
    directory = train.run(config, artifacts_dir=artifacts, dataset=dataset)

    history = read_json(directory / "metrics.json")["history"]
    assert history["length_scale"] in (5.0, 50.0)
    assert history["review_weight"] in REVIEW_WEIGHTS
    # Every candidate's cross-validated figures on every validation set (no templated set in this tiny SST-2).
    assert set(history["stack_cv_figures"]) == {
        f"scale={scale},reviews={weight:g},templated=0" for scale in (5, 50) for weight in REVIEW_WEIGHTS
    }
    for figures in history["stack_cv_figures"].values():
        assert {"val_accuracy", "sst2_dev_accuracy", "counterfactual_dev_pairs"} <= set(figures)
    from ml.inference.predictor import load_predictor

    served = load_predictor(directory)
    members = [load_predictor(artifacts / name) for name in ("nbsvm", "phrases")]
    texts = ["brilliant", "dreadful boring waste of a film", " ".join(["wonderful film"] * 40)]
    words = np.array([len(text.split()) for text in texts], dtype=np.float64)
    short = history["length_scale"] / (words + history["length_scale"])
    expected = history["bias"] + history["short_bias"] * short
    for name, member in zip(("nbsvm", "phrases"), members, strict=True):
        weight = history["member_weights"][name] + history["short_weights"][name] * short
        expected = expected + weight * member.predict_logits(texts)
    np.testing.assert_allclose(served.predict_logits(texts), expected, rtol=1e-4, atol=1e-4)
    np.testing.assert_allclose(served.predict_proba(texts), 1 / (1 + np.exp(-expected)), rtol=1e-3, atol=1e-5)
    # The explanation of a text splits that text's log-odds: each member's words, weighed for its length.
    for text, logit in zip(texts, expected, strict=True):
        attribution = served.attribute(text)
        assert attribution.weights.sum() + attribution.bias == pytest.approx(logit, abs=1e-3)
