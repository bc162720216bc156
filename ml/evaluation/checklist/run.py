"""Score the CheckList cases with one model: pass or fail each, and the failure rate of each capability."""

from __future__ import annotations

from collections import defaultdict

import numpy as np

from ml.evaluation.checklist.suite import CAPABILITIES, TEST_TYPES, Case

# A DIR case fails only when the certainty in its polarity moves the wrong way by more than this
# (probability, 0-1): calibrated scores near 0 or 1 cannot move further, and a change under a point
# is below what anyone reads from the confidence the site shows.
DIR_TOLERANCE = 0.01
EXAMPLES = 3  # failing cases kept per capability, for reading rather than for the figures


def failed(case: Case, score: float, original_score: float | None) -> bool:
    """Whether one case fails, given the model's positive probability of its text (and of its original)."""
    if TEST_TYPES[case.capability] == "MFT":
        return (score >= 0.5) != bool(case.expected)
    if TEST_TYPES[case.capability] == "INV":
        return (score >= 0.5) != (original_score >= 0.5)
    sign = 1.0 if case.polarity else -1.0
    change = sign * (score - original_score)  # how much surer of the polarity the modifier made it
    return change < -DIR_TOLERANCE if case.kind == "intensifier" else change > DIR_TOLERANCE


def run_capability(predictor, cases: list[Case]) -> dict:
    """One capability's figures, from a single batched call to the model."""
    texts = list(dict.fromkeys(t for case in cases for t in (case.original, case.text) if t is not None))
    scores = dict(zip(texts, np.asarray(predictor.predict_proba(texts), dtype=np.float64).tolist(), strict=True))
    by_kind = defaultdict(lambda: {"cases": 0, "failures": 0})
    changes = defaultdict(list)  # of the positive probability (INV) or of the certainty in the polarity (DIR)
    failures, examples = 0, []
    for case in cases:
        score = scores[case.text]
        original = scores.get(case.original)
        bad = failed(case, score, original)
        by_kind[case.kind]["cases"] += 1
        by_kind[case.kind]["failures"] += bad
        failures += bad
        if original is not None:
            changes[case.kind].append((score - original) * (-1 if case.polarity == 0 else 1))
        if bad and len(examples) < EXAMPLES:
            example = {"text": case.text, "score": round(score, 4)}
            if case.expected is not None:
                example["expected"] = case.expected
            else:
                example |= {"original": case.original, "original_score": round(original, 4)}
            examples.append(example)
    result = {"cases": len(cases), "failures": failures, "failure_rate": round(failures / len(cases), 4)}
    test_type = TEST_TYPES[cases[0].capability]
    if test_type == "INV":
        result["mean_abs_delta"] = round(float(np.mean(np.abs(np.concatenate(list(changes.values()))))), 4)
    elif test_type == "DIR":
        result["mean_certainty_change"] = {kind: round(float(np.mean(values)), 4) for kind, values in changes.items()}
    return {**result, "by_kind": dict(by_kind), "examples": examples}


def run_suite(predictor, cases: list[Case]) -> dict:
    """{capability: figures} for one model."""
    return {
        capability: run_capability(predictor, [case for case in cases if case.capability == capability])
        for capability in CAPABILITIES
    }
