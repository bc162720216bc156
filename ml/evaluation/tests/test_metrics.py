"""ml.inference.calibration's figures against hand-computed cases, and ml.evaluation.evaluate's calibration record on a tiny model."""

from pathlib import Path

import numpy as np
import pytest

from ml.data.sentence_sets import SETS, load_sentence_set
from ml.evaluation import evaluate, metrics
from ml.inference.artifact import read_json
from ml.testing import synthetic_split, write_tiny_archive


def test_ece_matches_a_hand_computed_case():
    # Confidences 0.9 and 0.91 share bin 13 of 15 (one right, one wrong): gap |0.5 - 0.905| over 2 of 4 verdicts;
    # 0.3 is a confident-0.7 right negative (bin 10), 0.62 a right positive (bin 9).
    probabilities, labels = [0.9, 0.91, 0.3, 0.62], [1, 0, 0, 1]
    expected = 2 / 4 * 0.405 + 1 / 4 * 0.3 + 1 / 4 * 0.38
    assert metrics.expected_calibration_error(probabilities, labels) == pytest.approx(expected)
    curve = metrics.reliability_curve(probabilities, labels)
    assert [row["count"] for row in curve] == [1, 1, 2]
    assert curve[-1]["accuracy"] == 0.5 and curve[-1]["confidence"] == pytest.approx(0.905)


def test_brier_and_log_loss_match_their_definitions():
    probabilities, labels = np.array([0.8, 0.4]), np.array([1, 0])
    assert metrics.brier_score(probabilities, labels) == pytest.approx((0.2**2 + 0.4**2) / 2)
    assert metrics.log_loss(probabilities, labels) == pytest.approx(-(np.log(0.8) + np.log(0.6)) / 2)
    assert np.isfinite(metrics.log_loss([1.0, 0.0], [0, 1]))  # certain and wrong: large, not infinite


def test_a_perfectly_calibrated_model_has_ece_near_zero_and_an_overconfident_one_does_not():
    rng = np.random.default_rng(0)
    truth = rng.uniform(0, 1, 200_000)
    labels = (rng.uniform(0, 1, truth.size) < truth).astype(int)
    assert metrics.expected_calibration_error(truth, labels) < 0.01
    overconfident = 1 / (1 + np.exp(-4 * np.log(truth / (1 - truth))))
    assert metrics.expected_calibration_error(overconfident, labels) > 0.1


def test_bad_inputs_are_clear_errors():
    with pytest.raises(ValueError, match="labels"):
        metrics.summary([0.5], [1, 0])
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        metrics.summary([1.5], [1])
    with pytest.raises(ValueError, match="no predictions"):
        metrics.summary([], [])


def test_length_buckets_count_words():
    texts = ["short one", " ".join(["word"] * 100), " ".join(["word"] * 200)]
    buckets = metrics.by_length(texts, [0.9, 0.2, 0.7], [1, 0, 0])
    assert {name: row["count"] for name, row in buckets.items()} == {
        "<=30 words": 1,
        "31-150 words": 1,
        ">150 words": 1,
    }
    assert buckets[">150 words"]["accuracy"] == 0.0


def test_sentence_set_lines_are_read_and_bad_lines_named(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("Loved it.\t1\nA tab\tinside.\t0\n\n", encoding="utf-8")
    texts, labels = load_sentence_set(good)
    assert texts == ["Loved it.", "A tab\tinside."] and labels.tolist() == [1, 0]
    bad = tmp_path / "bad.txt"
    bad.write_text("no label here\n", encoding="utf-8")
    with pytest.raises(ValueError, match="bad.txt:1"):
        load_sentence_set(bad)


def test_evaluate_records_calibration_on_the_test_set_and_each_sentence_set(tiny_artifact, tmp_path, monkeypatch):
    import shutil

    from ml.data import imdb as data

    artifact = Path(shutil.copytree(tiny_artifact, tmp_path / "tiny"))  # the shared fixture stays as it is
    sentences = tmp_path / "sentences"
    sentences.mkdir()
    split = synthetic_split(30, seed=5)
    for file in SETS.values():
        (sentences / file).write_text("".join(f"{t}\t{y}\n" for t, y in zip(split.texts, split.labels, strict=True)))
    monkeypatch.setenv("SENTENCES_DATA", str(sentences))
    archive = write_tiny_archive(tmp_path / "tiny.tar.gz", per_split=40)
    monkeypatch.setattr(evaluate, "load_imdb", lambda path: data.load_imdb(path, expected_per_split=40))

    evaluate.evaluate(artifact, data=str(archive), timing=False)
    recorded = read_json(artifact / "metrics.json")
    assert 0 <= recorded["test_ece"] <= 1 and recorded["test_brier"] < 0.25 and recorded["test_log_loss"] > 0
    assert set(recorded["sentences"]) == {"imdb", "amazon", "yelp"} and recorded["sentences"]["yelp"]["count"] == 30
    assert "latency_ms_p50_single" not in recorded  # not timed

    full = evaluate.evaluate(artifact, data=str(archive))
    assert full["latency_ms_p50_single"] > 0
    assert full["test_accuracy"] == pytest.approx(full["test_by_length"]["<=30 words"]["accuracy"])  # all short
    assert full["test_ece"] == pytest.approx(recorded["test_ece"])
    assert sum(row["count"] for row in full["test_reliability"]) == 40


def test_pairs_both_right_counts_a_pair_only_when_both_verdicts_are_right():
    # pair a: both right; pair b: the edit keeps the original's verdict (one wrong); pair c: both wrong.
    probabilities = [0.9, 0.2, 0.8, 0.7, 0.3, 0.6]
    labels = [1, 0, 1, 0, 1, 0]
    assert metrics.pairs_both_right(probabilities, labels, ["a", "a", "b", "b", "c", "c"]) == pytest.approx(1 / 3)
