"""How good and how honest a set of probabilities is: accuracy, ECE (15 bins), Brier, log-loss, by length."""

from __future__ import annotations

import numpy as np
import sklearn.metrics

ECE_BINS = 15
# Word-count buckets of the test reviews: what people type (a sentence or two), a short review, a long one.
LENGTH_BUCKETS = (("<=30 words", 0, 30), ("31-150 words", 31, 150), (">150 words", 151, None))


def _checked(probabilities, labels) -> tuple[np.ndarray, np.ndarray]:
    probabilities = np.asarray(probabilities, dtype=np.float64).reshape(-1)
    labels = np.asarray(labels).reshape(-1)
    if probabilities.shape != labels.shape:
        raise ValueError(f"{probabilities.size} probabilities for {labels.size} labels")
    if probabilities.size == 0:
        raise ValueError("no predictions to measure")
    if np.any((probabilities < 0) | (probabilities > 1)) or not np.all(np.isfinite(probabilities)):
        raise ValueError("probabilities must lie in [0, 1]")
    return probabilities, labels.astype(np.int64)


def reliability_curve(probabilities, labels, bins: int = ECE_BINS) -> list[dict]:
    """Per bin of the predicted class's confidence (equal widths over [0, 1]; only the upper half can
    hold any): how many verdicts, their mean confidence and how many of them were right."""
    probabilities, labels = _checked(probabilities, labels)
    predicted = (probabilities >= 0.5).astype(np.int64)
    confidence = np.where(predicted == 1, probabilities, 1 - probabilities)
    # np.digitize on the inner edges puts a confidence of exactly 1.0 into the last bin.
    index = np.digitize(confidence, np.linspace(0, 1, bins + 1)[1:-1])
    curve = []
    for b in range(bins):
        chosen = index == b
        if chosen.any():
            curve.append(
                {
                    "low": b / bins,
                    "high": (b + 1) / bins,
                    "count": int(chosen.sum()),
                    "confidence": float(confidence[chosen].mean()),
                    "accuracy": float((predicted[chosen] == labels[chosen]).mean()),
                }
            )
    return curve


def expected_calibration_error(probabilities, labels, bins: int = ECE_BINS) -> float:
    """Guo et al.'s ECE: the count-weighted mean gap between confidence and accuracy over the bins."""
    curve = reliability_curve(probabilities, labels, bins)
    total = sum(row["count"] for row in curve)
    return float(sum(row["count"] / total * abs(row["accuracy"] - row["confidence"]) for row in curve))


def brier_score(probabilities, labels) -> float:
    probabilities, labels = _checked(probabilities, labels)
    return float(sklearn.metrics.brier_score_loss(labels, probabilities))


def log_loss(probabilities, labels) -> float:
    probabilities, labels = _checked(probabilities, labels)
    return float(sklearn.metrics.log_loss(labels, probabilities, labels=[0, 1]))


def summary(probabilities, labels) -> dict:
    """Accuracy with the three calibration figures, for one set of texts."""
    probabilities, labels = _checked(probabilities, labels)
    return {
        "count": int(labels.size),
        "accuracy": float(((probabilities >= 0.5) == labels).mean()),
        "ece": expected_calibration_error(probabilities, labels),
        "brier": brier_score(probabilities, labels),
        "log_loss": log_loss(probabilities, labels),
    }


def by_length(texts: list[str], probabilities, labels) -> dict[str, dict]:
    """summary() for each LENGTH_BUCKETS bucket of whitespace-separated words."""
    probabilities, labels = _checked(probabilities, labels)
    words = np.array([len(text.split()) for text in texts])
    results = {}
    for name, low, high in LENGTH_BUCKETS:
        chosen = (words >= low) & (words <= (high if high is not None else np.inf))
        if chosen.any():
            results[name] = summary(probabilities[chosen], labels[chosen])
    return results


def pairs_both_right(probabilities, labels, pair_ids) -> float:
    """The share of counterfactual pairs (a review and its minimal edit) whose two verdicts are both right:
    a model that counts words keeps the original's verdict after the edit and gets one of the two wrong."""
    probabilities, labels = _checked(probabilities, labels)
    right = (probabilities >= 0.5) == labels
    pair_ids = np.asarray(pair_ids)
    pairs = np.unique(pair_ids)
    return float(np.mean([right[pair_ids == pair].all() for pair in pairs]))
