"""ml.training.calibrate: the fit, what it writes into an artifact, and the Predictor serving it."""

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from ml.data import imdb as data
from ml.evaluation.metrics import expected_calibration_error
from ml.inference.artifact import ArtifactError, read_json
from ml.inference.calibration import Calibration
from ml.inference.predictor import load_predictor
from ml.testing import write_tiny_archive
from ml.training import calibrate


def overconfident(size=20_000, seed=0):
    """Log-odds three times too large for labels drawn from the true probabilities, of texts of 5-300 words."""
    rng = np.random.default_rng(seed)
    true_logits = rng.normal(0, 2, size)
    labels = (rng.uniform(size=size) < 1 / (1 + np.exp(-true_logits))).astype(int)
    return 3 * true_logits, rng.integers(5, 300, size).astype(float), labels


def slope_at(fitted: Calibration, words: int) -> float:
    """How much the calibrated log-odds of a text of `words` words move per unit of the model's."""
    return float(np.diff(fitted.log_odds(np.array([0.0, 1.0]), np.full(2, words)))[0])


def test_the_fit_on_overconfident_scores_lowers_ece():
    logits, words, labels = overconfident()
    before = expected_calibration_error(1 / (1 + np.exp(-logits)), labels)
    fitted = calibrate.fit(logits, words, labels, length_term=False)
    after = expected_calibration_error(fitted.apply(logits, words), labels)
    assert before > 0.08 and after < 0.02
    assert fitted.slope == pytest.approx(1 / 3, rel=0.1) and fitted.length_scale == 0


@pytest.mark.slow
def test_a_length_term_is_found_where_short_texts_are_overconfident_and_kept_only_when_it_helps():
    logits, words, labels = overconfident()
    # Short texts' true log-odds shrink by n / (n + 20): their scores are over-confident on top.
    shrink = words / (words + 20)
    rng = np.random.default_rng(1)
    labels = (rng.uniform(size=len(words)) < 1 / (1 + np.exp(-logits / 3 * shrink))).astype(int)
    films = np.arange(len(words)) // 4
    fitted, record = calibrate.choose_and_fit(logits, words, labels, films)
    assert record["length_term"]
    for n in (10, 300):  # the fitted log-odds of a score of 1 match the truth, 1/3 * n / (n + 20)
        assert slope_at(fitted, n) == pytest.approx(n / (n + 20) / 3, rel=0.15)
    _, plain_record = calibrate.choose_and_fit(*overconfident()[:2], overconfident()[2], films)
    assert not plain_record["length_term"]  # no length effect in the data: plain Platt


@pytest.mark.slow
def test_a_short_slope_is_found_where_short_texts_are_under_confident():
    """Scores of a few words too timid (a third of their true log-odds), long ones right: the fit on every
    text sharpens the short ones, leaves the long ones, and is kept over plain Platt fit on the long ones."""
    rng = np.random.default_rng(2)
    true_logits = rng.normal(0, 2, 20_000)
    labels = (rng.uniform(size=true_logits.size) < 1 / (1 + np.exp(-true_logits))).astype(int)
    words = np.where(np.arange(true_logits.size) % 2 == 0, rng.integers(3, 20, true_logits.size), 300).astype(float)
    logits = np.where(words < 300, true_logits / 3, true_logits)
    films = np.arange(len(words)) // 4
    fitted, record = calibrate.choose_and_fit(logits, words, labels, films, reviews=words == 300)
    assert record["length_term"]
    assert slope_at(fitted, 300) == pytest.approx(1, rel=0.1) and slope_at(fitted, 10) == pytest.approx(3, rel=0.2)
    before = expected_calibration_error(1 / (1 + np.exp(-logits[words < 300])), labels[words < 300])
    after = expected_calibration_error(fitted.apply(logits, words)[words < 300], labels[words < 300])
    assert before > 0.1 and after < 0.03


def test_texts_shorter_than_any_fit_on_are_calibrated_as_the_shortest():
    fitted = Calibration(slope=1.0, length_scale=1.0, bias=0.0, short_slope=8.0, short_bias=2.0, min_words=3)
    logits = np.array([0.5, -0.5])
    for words in (0, 1, 2):
        np.testing.assert_allclose(fitted.apply(logits, np.full(2, words)), fitted.apply(logits, np.full(2, 3)))
    assert Calibration.from_dict({"method": "platt_length", "slope": 1, "length_scale": 5, "bias": 0}).min_words == 0


def test_closing_sentences_are_those_of_strongly_rated_reviews_of_two_sentences_or_more_and_weigh_alike():
    validation = data.Split(
        [
            "A slow start. But what an ending, I loved it.",  # 10 stars: its closing sentence
            "The plot was thin. The cast was great. Seven of ten from me.",  # 7 stars: not strongly rated
            "Dreadful and boring all the way.",  # 1 star, one sentence: the review itself already counts
            "I wanted to like it. I did not like it at all.",  # 2 stars
            "Terrible acting all round. Avoid this film at all costs.",  # 1 star
        ],
        np.array([1, 1, 0, 0, 0]),
        np.array([10, 7, 1, 2, 1]),
        np.array(["tt1", "tt2", "tt3", "tt4", "tt4"]),
    )
    texts, labels, films = calibrate.closing_sentences(validation)
    assert texts == ["But what an ending, I loved it.", "I did not like it at all.", "Avoid this film at all costs."]
    assert labels.tolist() == [1, 0, 0] and films.tolist() == ["tt1", "tt4", "tt4"]
    fit_on = calibrate.calibration_set(validation)
    assert fit_on.texts[fit_on.sentences] == texts and fit_on.weights[fit_on.reviews].tolist() == [1.0] * 5
    # One positive and two negative closing sentences: the positive one weighs as much as both others.
    assert fit_on.weights[fit_on.sentences].tolist() == pytest.approx([1.5, 0.75, 0.75])


def test_calibration_never_flips_a_verdict_and_rejects_nonsense():
    logits = np.array([-5.0, -0.1, 0.1, 5.0])
    for fitted in (
        Calibration(slope=0.8, length_scale=30.0, bias=0.0),
        Calibration(slope=0.8, length_scale=30.0, bias=0.0, short_slope=5.0, short_bias=0.0),
    ):
        for words in (1, 3, 1000):
            assert ((fitted.apply(logits, np.full(4, words)) >= 0.5) == (logits > 0)).all()
    with pytest.raises(ValueError, match="slope"):
        Calibration.from_dict({"method": "platt_length", "slope": -1, "length_scale": 0, "bias": 0})
    with pytest.raises(ValueError, match="short_slope"):
        Calibration.from_dict({"method": "platt_length", "slope": 1, "length_scale": 5, "bias": 0, "short_slope": -1})
    with pytest.raises(ValueError, match="method"):
        Calibration.from_dict({"method": "isotonic"})


@pytest.fixture
def artifact(tiny_artifact, tmp_path):
    return Path(shutil.copytree(tiny_artifact, tmp_path / "tiny"))  # the shared fixture stays as it is


def test_the_predictor_serves_the_recorded_calibration(artifact):
    texts = ["Great film, loved it.", "Dreadful, boring and the worst plot of the year, a waste of time."]
    raw = load_predictor(artifact)
    logits = raw.predict_logits(texts)
    config = read_json(artifact / "config.json")
    config["calibration"] = {"method": "platt_length", "slope": 0.5, "length_scale": 4.0, "bias": 0.25}
    (artifact / "config.json").write_text(json.dumps(config))
    served = load_predictor(artifact).predict_proba(texts)
    words = np.array([4, 13])
    expected = 1 / (1 + np.exp(-(0.5 * logits * words / (words + 4) + 0.25)))
    np.testing.assert_allclose(served, expected, rtol=1e-5)
    config["calibration"] = {"method": "platt_length", "slope": "x"}
    (artifact / "config.json").write_text(json.dumps(config))
    with pytest.raises(ArtifactError, match="broken calibration"):
        load_predictor(artifact)


@pytest.mark.slow
def test_calibrate_fits_on_the_recorded_validation_split_and_writes_the_artifact(artifact, tmp_path, monkeypatch):
    archive = write_tiny_archive(tmp_path / "tiny.tar.gz", per_split=200)
    monkeypatch.setattr(calibrate, "load_imdb", lambda path: data.load_imdb(path, expected_per_split=200))
    older = read_json(artifact / "config.json")
    del older["validation_split"]  # as recorded by artifacts made before the film-grouped split
    (artifact / "config.json").write_text(json.dumps(older))
    figures = calibrate.calibrate(artifact, data=str(archive))
    assert figures["validation_split"] == "random" and figures["validation_reviews"] == 20  # made before grouping
    config, metrics = read_json(artifact / "config.json"), read_json(artifact / "metrics.json")
    assert config["calibration"] == figures["calibration"] and config["confidence_bands"] == calibrate.CONFIDENCE_BANDS
    assert metrics["validation_calibration"]["after"]["reviews"]["count"] == 20
    assert set(metrics["validation_calibration"]["confidence_bands"]["reviews"]) == {"high", "medium", "low"}
    load_predictor(artifact).predict_proba(["loved it"])  # the artifact still loads and serves

    config["validation_split"] = "film"
    (artifact / "config.json").write_text(json.dumps(config))
    assert calibrate.calibrate(artifact, data=str(archive))["validation_split"] == "film"


def test_sentences_of_a_review():
    text = "I loved it. Truly!<br /><br />The plot was thin... but the cast was great? Yes"
    # "Truly!" and "Yes" are under three words; <br /> is a break; an ellipsis before a lower-case word
    # does not end the sentence (ml.text.sentences, the site's rule).
    assert calibrate.sentences_of(text) == ["I loved it.", "The plot was thin... but the cast was great?"]
