"""Figures of the report (matplotlib, drawn off-screen)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (the backend is chosen before pyplot loads)


def plot_reliability(curves: dict[str, list[dict]], path, title: str) -> None:
    """A reliability diagram: each named curve's accuracy against confidence, beside the diagonal."""
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
