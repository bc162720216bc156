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
        f"scale={scale},reviews={weight:g},templated=0,gated={gated}"
        for scale in (5, 50)
        for weight in REVIEW_WEIGHTS
        for gated in (0, 1)
    }
    for figures in history["stack_cv_figures"].values():
        assert {"val_accuracy", "sst2_dev_accuracy", "counterfactual_dev_pairs"} <= set(figures)
    from ml.inference.predictor import load_predictor

    served = load_predictor(directory)
    members = [load_predictor(artifacts / name) for name in ("nbsvm", "phrases")]
    texts = ["brilliant", "not a dreadful boring waste of a film", " ".join(["wonderful film"] * 40), "It isn't bad"]
    words = np.array([len(text.split()) for text in texts], dtype=np.float64)
    short = history["length_scale"] / (words + history["length_scale"])
    gate = np.array([0, 1, 0, 1]) if history["gated"] else np.zeros(4)  # "isn't": n't is a negation
    expected = history["bias"] + history["short_bias"] * short + history["gate_bias"] * gate
    for name, member in zip(("nbsvm", "phrases"), members, strict=True):
        weight = (
            history["member_weights"][name]
            + history["short_weights"][name] * short
            + history["gate_weights"][name] * gate
        )
        expected = expected + weight * member.predict_logits(texts)
    np.testing.assert_allclose(served.predict_logits(texts), expected, rtol=1e-4, atol=1e-4)
    np.testing.assert_allclose(served.predict_proba(texts), 1 / (1 + np.exp(-expected)), rtol=1e-3, atol=1e-5)
    # The explanation of a text splits that text's log-odds: each member's words, weighed for its length.
    for text, logit in zip(texts, expected, strict=True):
        attribution = served.attribute(text)
        assert attribution.weights.sum() + attribution.bias == pytest.approx(logit, abs=1e-3)


def test_the_gate_opens_on_a_negation_or_contrast_word_and_shifts_the_weights():
    import tensorflow as tf

    from ml.models.layers import LogitStack

    stack = LogitStack(
        [1.0, 0.0],
        0.0,
        short_weights=[0.0, 0.0],
        length_scale=10.0,
        gate_weights=[-1.0, 2.0],
        gate_bias=0.5,
        gate_words=["not", "never", "but"],
    )
    texts = tf.constant(["It wasn't bad.", "Great, BUT long", "nothing but fun", "notable", "Brilliant."])
    np.testing.assert_array_equal(stack.gate(texts).numpy().ravel(), [1, 1, 1, 0, 0])
    logits = tf.constant([[2.0, 3.0]] * 5)
    # Gate open: the first member weighs 1 - 1 = 0, the second 0 + 2, plus the gate's bias; closed: 1 and 0.
    np.testing.assert_allclose(stack(logits, texts).numpy().ravel(), [6.5, 6.5, 6.5, 2.0, 2.0])
    assert stack.member_weights(0.0, 1.0) == [0.0, 2.0] and stack.bias_for(0.0, 1.0) == 0.5
