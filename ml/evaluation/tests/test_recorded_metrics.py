"""Every shipped model's recorded test accuracy and ECE are reproduced from the test reviews themselves.

The n-gram models are re-scored on the whole 25k test set (seconds each) and must match to the digit;
the networks and `accurate` on 1,000 test reviews drawn afresh, within four standard errors for the
accuracy (0.04) and with a sample ECE under 0.05 (a 1,000-review ECE reads about 0.02 high by chance).
"""

import json

import numpy as np
import pytest

from ml.data import load_imdb
from ml.data.counterfactual import load_counterfactual
from ml.data.sst import load_sst2
from ml.evaluation.metrics import pairs_both_right, summary
from ml.evaluation.reading import RESULTS_JSON as READING_JSON
from ml.inference.artifact import ARTIFACTS_DIR, read_json
from ml.inference.predictor import load_predictor, predict_in_batches
from ml.testing import imdb_archive

pytestmark = [pytest.mark.full_data, pytest.mark.shipped_model, pytest.mark.slow]


@pytest.fixture(scope="module")
def test_reviews():
    return load_imdb(imdb_archive()).test


@pytest.mark.parametrize("name", ["nbsvm", "nbsvm_tfidf", "default"])
def test_the_n_gram_models_figures_on_all_25k_test_reviews(test_reviews, name):
    recorded = read_json(ARTIFACTS_DIR / name / "metrics.json")
    scores = predict_in_batches(load_predictor(ARTIFACTS_DIR / name), test_reviews.texts)
    figures = summary(scores, test_reviews.labels)
    assert figures["count"] == 25_000
    assert figures["accuracy"] == pytest.approx(recorded["test_accuracy"], abs=1e-4)
    assert figures["ece"] == pytest.approx(recorded["test_ece"], abs=1e-3)


@pytest.mark.parametrize("name", ["reader", "cnn", "rnn", "rcnn", "accurate"])
def test_the_slower_models_figures_on_a_fresh_sample(test_reviews, name):
    recorded = read_json(ARTIFACTS_DIR / name / "metrics.json")
    chosen = np.random.default_rng(20261130).choice(len(test_reviews), size=1000, replace=False)
    scores = predict_in_batches(load_predictor(ARTIFACTS_DIR / name), [test_reviews.texts[i] for i in chosen])
    figures = summary(scores, test_reviews.labels[chosen])
    assert abs(figures["accuracy"] - recorded["test_accuracy"]) < 0.04
    # Issue 25's target for whole reviews is an ECE of at most 0.015; the sentence network, made for short texts,
    # misses it (0.0155, reported in RESULTS.md and the closing note), so it is held to 0.02.
    assert figures["ece"] < 0.05 and recorded["test_ece"] <= (0.02 if name == "reader" else 0.015)


@pytest.mark.parametrize("name", ["default", "nbsvm"])
def test_the_reading_figures_on_sst2_dev_and_counterfactual_dev(name):
    """ml/results/reading_results.json's latest figures, re-scored from SST-2 dev and counterfactual dev."""
    results = json.loads(READING_JSON.read_text(encoding="utf-8"))
    recorded = (results.get("after") or results["before"])["models"][name]
    predictor = load_predictor(ARTIFACTS_DIR / name)
    assert recorded["model_version"] == predictor.model_version, "reading_results.json is older than the model"
    sst = load_sst2("dev")
    edits = load_counterfactual("dev")
    sst_scores = predict_in_batches(predictor, sst.texts)
    edit_scores = predict_in_batches(predictor, edits.reviews.texts)
    assert summary(sst_scores, sst.labels)["accuracy"] == pytest.approx(recorded["sst2_dev"]["accuracy"], abs=1e-4)
    pairs = pairs_both_right(edit_scores, edits.reviews.labels, edits.pair_ids)
    assert pairs == pytest.approx(recorded["counterfactual_dev"]["pairs_both_right"], abs=1e-4)
