"""Every shipped model's recorded test accuracy and ECE are reproduced from the test reviews themselves.

The n-gram models are re-scored on the whole 25k test set (seconds each) and must match to the digit;
the networks and `accurate` on 1,000 test reviews drawn afresh, within four standard errors for the
accuracy (0.04) and with a sample ECE under 0.05 (a 1,000-review ECE reads about 0.02 high by chance).
"""

import numpy as np
import pytest

from ml.data import load_imdb
from ml.evaluation.metrics import summary
from ml.inference.artifact import ARTIFACTS_DIR, load_predictor, predict_in_batches, read_json
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


@pytest.mark.parametrize("name", ["cnn", "rnn", "rcnn", "accurate"])
def test_the_slower_models_figures_on_a_fresh_sample(test_reviews, name):
    recorded = read_json(ARTIFACTS_DIR / name / "metrics.json")
    chosen = np.random.default_rng(20261130).choice(len(test_reviews), size=1000, replace=False)
    scores = predict_in_batches(load_predictor(ARTIFACTS_DIR / name), [test_reviews.texts[i] for i in chosen])
    figures = summary(scores, test_reviews.labels[chosen])
    assert abs(figures["accuracy"] - recorded["test_accuracy"]) < 0.04
    assert figures["ece"] < 0.05 and recorded["test_ece"] <= 0.015
