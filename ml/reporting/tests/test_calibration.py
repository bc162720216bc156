"""ml.reporting.calibration: the calibration table and reliability diagram from artifacts' metrics."""

import json

from ml.reporting import calibration as calibration_report


def write_artifact(root, name, config, metrics):
    (root / name).mkdir(parents=True)
    (root / name / "config.json").write_text(json.dumps(config))
    (root / name / "metrics.json").write_text(json.dumps(metrics))


def test_rows_table_and_plot(tmp_path):
    curve = [{"low": 0.9, "high": 0.95, "count": 10, "confidence": 0.92, "accuracy": 0.9}]
    measured = {
        "test_accuracy": 0.9199,
        "test_ece": 0.0065,
        "test_brier": 0.0594,
        "test_log_loss": 0.2032,
        "test_by_length": {"<=30 words": {"count": 67, "ece": 0.061}},
        "test_reliability": curve,
        "sentences": {"imdb": {"accuracy": 0.873, "ece": 0.0199}, "amazon": {"accuracy": 0.776, "ece": 0.049}},
        "validation_calibration": {
            "confidence_bands": {
                "reviews": {"high": {"share": 0.8, "accuracy": 0.97}, "low": {"share": 0.0, "accuracy": None}}
            }
        },
    }
    fit = {"method": "platt_length", "slope": 1.0015, "length_scale": 0.0, "bias": -0.0009}
    write_artifact(tmp_path, "default", {"calibration": fit}, measured)
    write_artifact(tmp_path, "unevaluated", {}, {"val_accuracy": 0.9})
    rows = calibration_report.calibration_rows(tmp_path)
    assert [row["model"] for row in rows] == ["default"]
    row = rows[0]
    assert row["fit"] == "Platt: slope 1.002, bias -0.001 (random split)"
    assert (row["ece"], row["short"], row["imdb"], row["yelp"]) == ("0.0065", "0.061 (67)", "87.3% / 0.020", "—")
    assert row["bands"] == "high 80% at 97.0%, low 0%"
    section = calibration_report.calibration_section(rows)
    assert "| `default` | Platt: slope 1.002, bias -0.001 (random split) | 91.99% | 0.0065 |" in section
    blended = {**fit, "length_scale": 1.0, "short_slope": 4.0, "short_bias": -0.5}
    assert calibration_report._fit({"calibration": blended, "validation_split": "film"}) == (
        "long texts: slope 1.002, bias -0.001; short: slope 4.000, bias -0.500; length scale 1.0 words (film split)"
    )
    assert calibration_report.reliability_plot(tmp_path, tmp_path / "r.png") == tmp_path / "r.png"
    assert (tmp_path / "r.png").stat().st_size > 1000
    assert calibration_report.calibration_section([]) == ""
