"""The calibration a served model applies: its log-odds mapped to honest probabilities, by text length."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


def sigmoid(log_odds: np.ndarray) -> np.ndarray:
    """The probability of log-odds, without overflow warnings for huge ones."""
    return 1.0 / (1.0 + np.exp(-np.clip(log_odds, -500, 500)))


@dataclass(frozen=True)
class Calibration:
    """sigmoid(slope_n * z + bias_n) of a model's log-odds z for a text of n words (fit by ml.training.calibrate),
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
