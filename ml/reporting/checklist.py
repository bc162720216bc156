"""The behavioural-test part of ml/results/RESULTS.md, from ml/results/checklist_results.json (written by python -m ml.evaluation.checklist)."""

from __future__ import annotations

import json

from ml.evaluation.checklist import CAPABILITIES, MARGIN, RESULTS_JSON
from ml.evaluation.checklist.lexicon import DIMINISHERS, INTENSIFIERS

SHIPPED = ("nbsvm", "nbsvm_tfidf", "reader", "cnn", "rnn", "rcnn", "default", "accurate")
HEADINGS = {
    "negation": "negation",
    "contrast": "contrast (X, but Y)",
    "intensity": "intensifiers, diminishers",
    "invariance": "invariance",
}
COMMAND = "python -m ml.evaluation.checklist ml/artifacts/{nbsvm,nbsvm_tfidf,reader,cnn,rnn,rcnn,default,accurate}"


def _cell(figures: dict) -> str:
    cell = f"{figures['failure_rate']:.1%} ({figures['failures']})"
    if "mean_abs_delta" in figures:
        cell += f", mean abs. Δ {figures['mean_abs_delta']:.3f}"
    return cell


def checklist_section(results: dict) -> str:
    """A table of failure rates, a row per model and a column per capability; empty without results."""
    models = results.get("models", {})
    if not models:
        return ""
    suite = results["suite"]
    names = [name for name in SHIPPED if name in models] + sorted(set(models) - set(SHIPPED))
    header = [f"{HEADINGS[c]} ({suite['test_types'][c]}, n={suite['cases'][c]})" for c in CAPABILITIES]
    lines = [
        "",
        "## Behavioural tests (CheckList)",
        "",
        f"{suite['total']} short reviews filled in from templates and word lists (`ml/evaluation/checklist/`), sampled with a fixed seed",
        f'({suite["seed"]}; suite {suite["version"]}, `{suite["fingerprint"]}`), after Ribeiro et al. (ACL 2020). Negation ("not great"',
        'negative, "never boring" positive) and contrast ("the acting was brilliant, but the film was dull": the second',
        "clause, on the whole film, decides) expect a label. A DIR case fails when an intensifier",
        f"({', '.join(INTENSIFIERS[:3])} ...) lowers the certainty in the sentence's polarity, or a diminisher",
        f"({', '.join(DIMINISHERS[:3])} ...) raises it, by more than {suite['dir_tolerance']:.2f} in probability; an INV case, when",
        "another name, title or number, a swap of two adjacent letters in a neutral word, or the letter case changes",
        "the label (the mean absolute change of the probability follows). Each cell: failure rate (failures); half the",
        "contrast cases go each way, so a constant guess fails 50%. Each kind's figures and failing examples are in the JSON.",
        f"`{COMMAND}` rewrites `ml/results/checklist_results.json`; `ml/*/tests/test_checklist.py`",
        f"fails when the served default's rate in any capability rises more than {MARGIN * 100:.0f} percentage points above it.",
        "",
        "| model | " + " | ".join(header) + " |",
        "|---|" + "---|" * len(CAPABILITIES),
    ]
    for name in names:
        lines.append(f"| `{name}` | " + " | ".join(_cell(models[name][c]) for c in CAPABILITIES) + " |")
    return "\n".join([*lines, ""])


def read_results() -> dict:
    return json.loads(RESULTS_JSON.read_text()) if RESULTS_JSON.exists() else {}
