"""Behavioural tests of the shipped default model: invariance, direction, and short reviews people type."""

import pytest

from ml.artifacts import ARTIFACTS_DIR, load_predictor

pytestmark = pytest.mark.shipped_model

SHORT_REVIEWS = [
    ("An absolute masterpiece. I was moved to tears.", 1),
    ("Brilliant acting and a gripping story from start to finish.", 1),
    ("One of the best films I have seen this year.", 1),
    ("I loved every minute of it.", 1),
    ("A delightful, funny and heartwarming movie.", 1),
    ("The cast is superb and the direction is flawless.", 1),
    ("Beautifully shot, with a wonderful soundtrack.", 1),
    ("Highly recommended. Go and see it!", 1),
    ("A stunning achievement; the ending is perfect.", 1),
    ("Great fun for the whole family.", 1),
    ("Smart, moving and brilliantly acted.", 1),
    ("I would happily watch it again.", 1),
    ("The performances are outstanding and the script is sharp.", 1),
    ("A charming little film that deserves more attention.", 1),
    ("Excellent. Simply excellent.", 1),
    ("It exceeded all my expectations.", 1),
    ("A touching story told with real care.", 1),
    ("Not bad at all, actually quite enjoyable.", 1),
    ("Hilarious from beginning to end.", 1),
    ("The best performance of his career.", 1),
    ("A gem. Ten out of ten.", 1),
    ("I can't recommend this film enough.", 1),
    ("A waste of two hours. Terrible.", 0),
    ("The plot made no sense and the acting was wooden.", 0),
    ("Boring, predictable and far too long.", 0),
    ("One of the worst movies I have ever seen.", 0),
    ("I hated it.", 0),
    ("Awful dialogue and a ridiculous ending.", 0),
    ("Save your money and skip this one.", 0),
    ("The jokes fall flat and the characters are dull.", 0),
    ("A complete mess from start to finish.", 0),
    ("I walked out after an hour. Dreadful.", 0),
    ("Poorly written, poorly directed, poorly acted.", 0),
    ("Painfully slow and utterly pointless.", 0),
    ("What a disappointment. Avoid.", 0),
    ("The worst sequel ever made.", 0),
    ("Cheap, lazy and stupid.", 0),
    ("I fell asleep halfway through. So boring.", 0),
    ("Not worth watching, not even for free.", 0),
    ("The special effects were laughable and the story was awful.", 0),
    ("A pathetic attempt at comedy.", 0),
    ("Forgettable, bland and badly edited.", 0),
    ("It was not good.", 0),
    ("Mediocre at best; a total letdown.", 0),
]


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


@pytest.mark.parametrize(
    "positive, negated",
    [
        ("The movie was good.", "The movie was not good."),
        ("I liked it.", "I didn't like it."),
        ("A great film.", "Not a great film."),
        ("The acting was convincing.", "The acting was never convincing."),
    ],
)
def test_negation_lowers_the_score(predictor, positive, negated):
    before, after = predictor.predict_proba([positive, negated])
    assert after < before


def test_shipped_model_metrics_are_honest_and_recorded():
    from ml.artifacts import read_json

    for name in ("nbsvm", "nbsvm_tfidf", "rnn", "cnn", "rcnn", "default", "accurate"):
        metrics = read_json(ARTIFACTS_DIR / name / "metrics.json")
        assert metrics["test_reviews"] == 25_000
        assert metrics["dataset_sha256"] == "630400f7e77f38a660084b23b451f00a2c187926ebac25d89f2f06418f0eb581"
        assert (ARTIFACTS_DIR / name / "model.keras").stat().st_size <= 12 * 1024 * 1024


@pytest.mark.full_data
def test_the_recorded_test_accuracy_is_reproduced_on_a_sample():
    """The default's metrics.json is not a number typed in: 2,000 test reviews, drawn afresh, agree with it."""
    import numpy as np

    from conftest import imdb_archive
    from ml.artifacts import read_json
    from ml.data import load_imdb

    test = load_imdb(imdb_archive()).test
    chosen = np.random.default_rng(20261129).choice(len(test), size=2000, replace=False)
    predictor = load_predictor(ARTIFACTS_DIR / "default")
    scores = predictor.predict_proba([test.texts[i] for i in chosen])
    accuracy = float(((scores >= 0.5) == test.labels[chosen]).mean())
    recorded = read_json(ARTIFACTS_DIR / "default" / "metrics.json")["test_accuracy"]
    assert abs(accuracy - recorded) < 0.025  # four standard errors of a 2,000-review sample


@pytest.mark.parametrize("name", ["default", "accurate", "nbsvm_tfidf", "cnn", "rnn", "rcnn"])
def test_every_shipped_model_explains_the_mixed_review_by_direction(name):
    weights = dict(load_predictor(ARTIFACTS_DIR / name).explain("The acting was brilliant but the plot was dreadful."))
    assert weights["brilliant"] > 0 > weights["dreadful."]
