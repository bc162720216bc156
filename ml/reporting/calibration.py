"""The calibration part of ml/results/RESULTS.md, results.json and the Insights page, from each artifact's metrics."""

from __future__ import annotations

from pathlib import Path

from ml.inference.artifact import list_artifacts, read_json
from ml.inference.calibration import Calibration
from ml.paths import STATIC_INSIGHTS
from ml.reporting.plots import plot_reliability

RELIABILITY_PLOT = STATIC_INSIGHTS / "reliability.png"
SENTENCE_SETS = ("imdb", "amazon", "yelp")
FIELDS = ("model", "fit", "accuracy", "ece", "brier", "log_loss", "short", "imdb", "amazon", "yelp", "bands")


def _fit(config: dict) -> str:
    if not config.get("calibration"):
        return "none"
    fitted = Calibration.from_dict(config["calibration"])
    split = f"({config.get('validation_split', 'random')} split)"
    if not fitted.length_scale:
        return f"Platt: slope {fitted.slope:.3f}, bias {fitted.bias:+.3f} {split}"
    return (
        f"long texts: slope {fitted.slope:.3f}, bias {fitted.bias:+.3f}; short: slope {fitted.short_slope:.3f}, "
        f"bias {fitted.short_bias_in_use:+.3f}; length scale {fitted.length_scale:.1f} words {split}"
    )


def _bands(metrics: dict) -> str:
    """Each confidence band's share of the validation reviews and its accuracy there."""
    bands = metrics.get("validation_calibration", {}).get("confidence_bands", {}).get("reviews")
    if not bands:
        return "—"
    ordered = [(name, bands[name]) for name in ("high", "medium", "low") if name in bands]
    return ", ".join(
        f"{name} {band['share']:.0%} at {band['accuracy']:.1%}" if band["accuracy"] is not None else f"{name} 0%"
        for name, band in ordered
    )


def calibration_rows(root: Path) -> list[dict]:
    """One formatted row per evaluated artifact that has calibration figures."""
    rows = []
    for directory in list_artifacts(root):
        metrics = read_json(directory / "metrics.json") if (directory / "metrics.json").exists() else {}
        if "test_ece" not in metrics:
            continue
        short = metrics.get("test_by_length", {}).get("<=30 words")
        sentences = metrics.get("sentences", {})
        rows.append(
            {
                "model": directory.name,
                "fit": _fit(read_json(directory / "config.json")),
                "accuracy": f"{metrics['test_accuracy']:.2%}",
                "ece": f"{metrics['test_ece']:.4f}",
                "brier": f"{metrics['test_brier']:.4f}",
                "log_loss": f"{metrics['test_log_loss']:.4f}",
                "short": f"{short['ece']:.3f} ({short['count']})" if short else "—",
                **{
                    name: f"{sentences[name]['accuracy']:.1%} / {sentences[name]['ece']:.3f}"
                    if name in sentences
                    else "—"
                    for name in SENTENCE_SETS
                },
                "bands": _bands(metrics),
            }
        )
    return rows


def reliability_plot(root: Path, path: Path = RELIABILITY_PLOT) -> Path | None:
    curves = {}
    for directory in list_artifacts(root):
        metrics = read_json(directory / "metrics.json") if (directory / "metrics.json").exists() else {}
        if metrics.get("test_reliability"):
            curves[directory.name] = metrics["test_reliability"]
    if not curves:
        return None
    plot_reliability(curves, path, "Reliability on the 25k test reviews")
    return path


def calibration_section(rows: list[dict]) -> str:
    if not rows:
        return ""
    lines = [
        "",
        '## How sure is "how sure"? Calibration',
        "",
        "A verdict's confidence is the probability of the class it names. ECE (expected calibration error) is the",
        "gap between confidence and accuracy, averaged over 15 equal-width bins of confidence; Brier score and",
        "log-loss score the probabilities themselves (lower is better). Measured by `python -m ml.evaluation.evaluate` on the",
        "25k test reviews, on the test reviews of 30 words or fewer, and on the public one-sentence sets",
        "(Kotzias et al. 2015; `../shared/data/sentences/`, read for measuring only). Each served model's",
        "probabilities are calibrated on its validation split (`python -m ml.training.calibrate`): Platt scaling on the",
        "validation reviews or, where it does better in cross-validation, a slope and bias for long texts and",
        "another for short ones, fit on the reviews and their closing sentences; the fit is in its config.json.",
        "Confidence bands: high ≥ 0.9, medium ≥ 0.7, low below; their share of the validation reviews and",
        "accuracy there are in the last column.",
        "",
        "| model | calibration fit | test acc. | test ECE | Brier | log-loss | ECE, ≤ 30 words (n) | IMDB sentences acc. / ECE | Amazon | Yelp | bands on validation |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        lines.append("| " + " | ".join(f"`{row[f]}`" if f == "model" else row[f] for f in FIELDS) + " |")
    lines += ["", "![reliability diagram](../static/insights/reliability.png)", ""]
    return "\n".join(lines)
