"""When a review is *mixed*: its sentences disagree strongly.

The rule: a text of two or more sentences is mixed when one sentence is positive with probability at
least t and another is negative with probability at least t (calibrated scores), for the artifact's
`mixed_threshold` t (config.json), fit on validation by ml.training.thresholds.
"""

from __future__ import annotations

DEFAULT_THRESHOLD = 0.8  # for an artifact fit before this rule existed


def is_mixed(scores, threshold: float) -> bool:
    """Two or more sentence scores, one ≥ t (positive) and one ≤ 1 - t (negative)."""
    return len(scores) >= 2 and max(scores) >= threshold and min(scores) <= 1.0 - threshold
