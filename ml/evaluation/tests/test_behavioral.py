"""Behavioural tests of the shipped default model: invariance, direction, and short reviews people type."""

import pytest

from ml.inference.artifact import ARTIFACTS_DIR
from ml.inference.predictor import load_predictor
from ml.testing import SHORT_REVIEWS

pytestmark = pytest.mark.shipped_model


@pytest.fixture(scope="module")
def predictor():
    return load_predictor(ARTIFACTS_DIR / "default")


def test_at_least_90_percent_of_short_reviews_are_right(predictor):
    scores = predictor.predict_proba([text for text, _ in SHORT_REVIEWS])
    wrong = [
        (text, float(score)) for (text, label), score in zip(SHORT_REVIEWS, scores) if (score >= 0.5) != bool(label)
    ]
    accuracy = 1 - len(wrong) / len(SHORT_REVIEWS)
    assert len(SHORT_REVIEWS) >= 40
    assert accuracy >= 0.9, f"{accuracy:.0%} right; wrong: {wrong}"


@pytest.mark.parametrize(
    "text, variant",
    [
        ("I loved this movie", "I LOVED THIS MOVIE"),
        ("I loved this movie", "I   loved   this\tmovie"),
        ("I loved this movie", "I loved this movie."),
        ("I loved this movie", "I loved this movie!!!"),
        ("The plot was awful", "the plot was awful"),
        ("The plot was awful", "The plot was awful..."),
    ],
)
def test_invariance_to_case_spaces_and_trailing_punctuation(predictor, text, variant):
    original, changed = predictor.predict_proba([text, variant])
    assert changed == pytest.approx(original, abs=1e-6)


# Negation, contrast and intensity are measured on 600 generated cases (ml/checklist), whose recorded
# failure rates ml/*/tests/test_checklist.py holds the default to; four hand-picked negations used to be here.


def test_shipped_model_metrics_are_honest_and_recorded():
    from ml.inference.artifact import read_json

    for name in ("nbsvm", "nbsvm_tfidf", "reader", "rnn", "cnn", "rcnn", "default", "accurate"):
        metrics = read_json(ARTIFACTS_DIR / name / "metrics.json")
        assert metrics["test_reviews"] == 25_000
        assert metrics["dataset_sha256"] == "630400f7e77f38a660084b23b451f00a2c187926ebac25d89f2f06418f0eb581"
        assert (ARTIFACTS_DIR / name / "model.keras").stat().st_size <= 12 * 1024 * 1024


@pytest.mark.full_data
def test_the_recorded_test_accuracy_is_reproduced_on_a_sample():
    """The default's metrics.json is not a number typed in: 2,000 test reviews, drawn afresh, agree with it."""
    import numpy as np

    from ml.data import load_imdb
    from ml.inference.artifact import read_json
    from ml.testing import imdb_archive

    test = load_imdb(imdb_archive()).test
    chosen = np.random.default_rng(20261129).choice(len(test), size=2000, replace=False)
    predictor = load_predictor(ARTIFACTS_DIR / "default")
    scores = predictor.predict_proba([test.texts[i] for i in chosen])
    accuracy = float(((scores >= 0.5) == test.labels[chosen]).mean())
    recorded = read_json(ARTIFACTS_DIR / "default" / "metrics.json")["test_accuracy"]
    assert abs(accuracy - recorded) < 0.025  # four standard errors of a 2,000-review sample


@pytest.mark.parametrize("name", ["default", "accurate", "nbsvm_tfidf", "reader", "cnn", "rnn", "rcnn"])
def test_every_shipped_model_explains_the_mixed_review_by_direction(name):
    weights = dict(load_predictor(ARTIFACTS_DIR / name).explain("The acting was brilliant but the plot was dreadful."))
    assert weights["brilliant"] > 0 > weights["dreadful."]
