"""ml.reporting.report: the comparison table from evaluated artifacts and the not-shipped ablation runs."""

import json

import pytest

from ml.reporting import report


def write_artifact(root, name, accuracy, **config):
    folder = root / name
    folder.mkdir(parents=True)
    config = {"arch": name, "model_version": f"{name}-1", **config}
    (folder / "config.json").write_text(json.dumps(config))
    metrics = {
        "val_accuracy": accuracy + 0.01,
        "test_accuracy": accuracy,
        "test_f1_macro": accuracy,
        "test_roc_auc": 0.95,
        "train_seconds": 12.0,
        "params": 1000,
        "model_bytes": 2_000_000,
        "latency_ms_p50_single": 1.5,
    }
    (folder / "metrics.json").write_text(json.dumps(metrics))


def test_rows_sorted_by_test_accuracy_with_what_they_learned_from(tmp_path):
    write_artifact(tmp_path, "cnn", 0.90, teacher="nbsvm", span_weight=0.1)
    write_artifact(tmp_path, "default", 0.92, arch="ensemble", members=["nbsvm", "cnn"])
    write_artifact(tmp_path, "nbsvm", 0.91)
    (tmp_path / "unevaluated").mkdir()
    (tmp_path / "unevaluated" / "config.json").write_text("{}")
    rows = report.collect(tmp_path)
    assert [row["name"] for row in rows] == ["cnn", "nbsvm", "default"]
    ablation = [
        {
            "name": "cnn_plain",
            "arch": "cnn",
            "val_accuracy": 0.8968,
            "test_accuracy": 0.88268,
            "train_seconds": 89.7,
            "epochs": 4,
            "teacher": None,
        }
    ]
    text = report.markdown(rows, ablation)
    assert (
        "| `cnn` (cnn) | labels + 50k unlabelled labelled by `nbsvm` + their sentences, weight 0.1 | 91.00% |" in text
    )
    assert "| `default` (ensemble) | stacked on validation: `nbsvm`, `cnn` |" in text
    assert "| `cnn_plain` (cnn) | labels | 4 | 89.68% | **88.27%** | 90 s |" in text
    single = report.markdown([{**rows[2], "members": ["nbsvm"]}])
    assert (
        "| `default` (ensemble) | `nbsvm` (its probabilities calibrated on validation by ml.training.calibrate) |"
        in single
    )


def test_the_committed_ablation_runs_are_read(tmp_path):
    names = {row["name"] for row in report.collect_ablation()}
    assert {"cnn_plain", "rnn_plain", "rcnn_plain", "cnn_fast"} <= names


def test_the_validation_test_gap_is_the_served_predictors_with_the_band_sampling_allows():
    row = {"served_val_accuracy": 0.92, "test_accuracy": 0.91, "validation_reviews": 2500, "test_reviews": 25_000}
    # 1.96 * sqrt(.92 * .08 / 2500 + .91 * .09 / 25000) = 1.12 points
    assert report.gap_noise(row) == pytest.approx(1.121, abs=0.001)
    assert report._gap(row) == "+1.00 (±1.12)"
    assert report._gap({**row, "served_val_accuracy": None}) == "—"
