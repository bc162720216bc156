"""How far a model's probabilities mean what they say: ECE, Brier score, log-loss and the reliability curve."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

ECE_BINS = 15
# Word-count buckets of the test reviews: what people type (a sentence or two), a short review, a long one.
LENGTH_BUCKETS = (("<=30 words", 0, 30), ("31-150 words", 31, 150), (">150 words", 151, None))


def sigmoid(log_odds: np.ndarray) -> np.ndarray:
    """The probability of log-odds, without overflow warnings for huge ones."""
    return 1.0 / (1.0 + np.exp(-np.clip(log_odds, -500, 500)))


@dataclass(frozen=True)
class Calibration:
    """sigmoid(slope_n * z + bias_n) of a model's log-odds z for a text of n words (fit by ml.calibrate),
    where slope_n and bias_n blend a long review's values (slope, bias) into a text of a few words'
    (short_slope, short_bias) with the weight length_scale / (n + length_scale). With length_scale 0:
    plain Platt scaling. Both slopes are positive. A text of fewer than min_words words counts as min_words
    long. Artifacts fit before the short values existed have short_slope 0, no short_bias (the long one
    serves) and min_words 0."""

    slope: float
    length_scale: float
    bias: float
    method: str = "platt_length"
    short_slope: float = 0.0
    short_bias: float | None = None
    # Texts shorter than the shortest the blend was fit on are blended as that one: no extrapolation.
    min_words: float = 0.0

    def log_odds(self, logits: np.ndarray, words: np.ndarray) -> np.ndarray:
        logits = np.asarray(logits, dtype=np.float64)
        words = np.maximum(np.asarray(words, dtype=np.float64), self.min_words)
        if self.length_scale == 0:
            return self.slope * logits + self.bias
        short = self.length_scale / (words + self.length_scale)  # 1 for an empty text, towards 0 for a long one
        return (
            (self.slope + (self.short_slope - self.slope) * short) * logits
            + self.bias
            + (self.short_bias_in_use - self.bias) * short
        )

    @property
    def short_bias_in_use(self) -> float:
        """The bias a text of a few words gets: the long one where none was fit."""
        return self.bias if self.short_bias is None else self.short_bias

    def apply(self, logits: np.ndarray, words: np.ndarray) -> np.ndarray:
        return sigmoid(self.log_odds(logits, words)).astype(np.float32)

    @classmethod
    def from_dict(cls, values: dict) -> Calibration:
        if values.get("method") != "platt_length":
            raise ValueError(f"unknown calibration method {values.get('method')!r}")
        short_bias = values.get("short_bias")
        calibration = cls(
            float(values["slope"]),
            float(values["length_scale"]),
            float(values["bias"]),
            short_slope=float(values.get("short_slope", 0.0)),
            short_bias=None if short_bias is None else float(short_bias),
            min_words=float(values.get("min_words", 0.0)),
        )
        if calibration.slope <= 0 or calibration.short_slope < 0 or calibration.length_scale < 0:
            raise ValueError("slope must be positive, and short_slope and length_scale not negative")
        return calibration


def word_counts(texts: list[str]) -> np.ndarray:
    return np.array([len(text.split()) for text in texts], dtype=np.float64)


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
    return float(np.mean((probabilities - labels) ** 2))


def log_loss(probabilities, labels, eps: float = 1e-15) -> float:
    probabilities, labels = _checked(probabilities, labels)
    clipped = np.clip(probabilities, eps, 1 - eps)
    return float(-np.mean(labels * np.log(clipped) + (1 - labels) * np.log(1 - clipped)))


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


def plot_reliability(curves: dict[str, list[dict]], path, title: str) -> None:
    """A reliability diagram: each named curve's accuracy against confidence, beside the diagonal."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(5, 5))
    axes.plot([0.5, 1], [0.5, 1], linestyle="--", color="grey", label="perfectly calibrated")
    for name, curve in curves.items():
        axes.plot([r["confidence"] for r in curve], [r["accuracy"] for r in curve], marker="o", label=name)
    axes.set(xlabel="confidence of the verdict", ylabel="share of verdicts that were right", title=title)
    axes.set_xlim(0.5, 1.0)
    axes.set_ylim(0.0, 1.0)
    axes.legend(loc="lower right", fontsize="small")
    figure.tight_layout()
    figure.savefig(path, dpi=80)
    plt.close(figure)
