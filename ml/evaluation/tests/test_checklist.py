"""ml.evaluation.checklist: the generated cases, the pass/fail rules, the report section, and the served default's figures."""

import json
import os
import subprocess
import sys
from collections import Counter

import numpy as np
import pytest

from ml.evaluation.checklist import (
    CAPABILITIES,
    DIR_TOLERANCE,
    MARGIN,
    RESULTS_JSON,
    Case,
    build_suite,
    fingerprint,
    run_suite,
)
from ml.evaluation.checklist.lexicon import (
    DIMINISHERS,
    EXTREME_INTENSIFIERS,
    INTENSIFIERS,
    NEGATABLE_NEGATIVES,
    NEGATIVE_ADJECTIVES,
    NEGATIVE_VERBS,
    POSITIVE_ADJECTIVES,
    POSITIVE_VERBS,
    PROTECTED,
)
from ml.evaluation.checklist.run import failed
from ml.reporting.checklist import checklist_section

SHIPPED = ("nbsvm", "nbsvm_tfidf", "reader", "cnn", "rnn", "rcnn", "default", "accurate")
POSITIVE = {*POSITIVE_ADJECTIVES, *POSITIVE_VERBS}
NEGATIVE = {*NEGATIVE_ADJECTIVES, *NEGATIVE_VERBS}


@pytest.fixture(scope="module")
def suite():
    return build_suite()


def of(suite, capability, kind=None):
    return [case for case in suite if case.capability == capability and (kind is None or case.kind == kind)]


def test_at_least_300_cases_and_50_in_each_capability(suite):
    counts = Counter(case.capability for case in suite)
    assert len(suite) >= 300
    assert set(counts) == set(CAPABILITIES)
    assert min(counts.values()) >= 50, counts


def test_no_case_is_there_twice(suite):
    keys = [(case.capability, case.original, case.text) for case in suite]
    assert len(keys) == len(set(keys))
    labelled = [case.text for case in suite if case.expected is not None]
    assert len(labelled) == len(set(labelled))
    assert all(case.text != case.original for case in suite)


def test_the_suite_is_the_same_on_every_run_whatever_the_hash_seed(suite):
    assert build_suite() == suite
    code = "from ml.evaluation.checklist import build_suite, fingerprint; print(fingerprint(build_suite()))"
    environment = {**os.environ, "PYTHONHASHSEED": "12345"}
    other = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=environment, check=True)
    assert other.stdout.strip() == fingerprint(suite)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("The story was not disappointing at all.", 1),
        ("The acting wasn't fantastic.", 0),
        ("This is not a beautiful movie.", 0),
        ("The film was not worth the money.", 0),
        ("It was hardly worth the money.", 0),
        ("I did not admire it.", 0),
        ("The script was awful, but the film was impressive.", 1),
        ("The acting was clever, but I disliked the film.", 0),
        ("The story was predictable, but the film was impressive.", 1),
    ],
)
def test_expected_labels_checked_by_hand(suite, text, expected):
    assert {case.text: case.expected for case in suite if case.expected is not None}[text] == expected


def _words(text):
    return {word.strip(".,'").lower() for word in text.split()}


def test_every_negated_adjective_takes_the_other_label(suite):
    for case in of(suite, "negation", "negated positive adjective"):
        assert case.expected == 0 and _words(case.text) & set(POSITIVE_ADJECTIVES), case
        assert {"not", "isn't", "wasn't"} & _words(case.text), case
    for case in of(suite, "negation", "negated negative adjective"):
        assert case.expected == 1 and any(phrase in case.text for phrase in NEGATABLE_NEGATIVES), case


def test_in_a_contrast_the_second_clause_gives_the_label(suite):
    cases = of(suite, "contrast")
    assert Counter(case.expected for case in cases) == {0: 60, 1: 60}
    for case in cases:
        first, second = case.text.split(", but ")
        assert _words(second) & (POSITIVE if case.expected else NEGATIVE), case
        assert _words(first) & (NEGATIVE if case.expected else POSITIVE), case


def test_a_directional_case_adds_one_modifier_to_its_original(suite):
    cases = of(suite, "intensity")
    assert {case.kind for case in cases} == {"intensifier", "diminisher"}
    for case in cases:
        modifiers = INTENSIFIERS + EXTREME_INTENSIFIERS if case.kind == "intensifier" else DIMINISHERS
        added = [m for m in modifiers if case.text.replace(f" {m} ", " ", 1) == case.original]
        assert added, case
        assert case.polarity == int(bool(_words(case.original) & POSITIVE)), case


def test_a_typo_swaps_two_adjacent_letters_of_one_neutral_word(suite):
    for case in of(suite, "invariance", "typos"):
        changed = [(a, b) for a, b in zip(case.original.split(), case.text.split(), strict=True) if a != b]
        assert len(changed) == 1, case
        before, after = changed[0]
        assert sorted(before) == sorted(after) and before.strip(".,").lower() not in PROTECTED
        differences = [i for i, (x, y) in enumerate(zip(before, after, strict=True)) if x != y]
        assert len(differences) == 2 and differences[1] == differences[0] + 1


def test_case_and_entity_changes_keep_the_rest_of_the_sentence(suite):
    for case in of(suite, "invariance", "case"):
        assert case.text.lower() == case.original.lower()
    for kind in ("names", "titles", "numbers"):
        cases = of(suite, "invariance", kind)
        assert len(cases) >= 20
        assert all(case.text.split()[-1] == case.original.split()[-1] for case in cases)


def test_the_pass_rules():
    mft = Case("negation", "negated positive adjective", "The film was not great.", expected=0)
    assert failed(mft, 0.6, None) and not failed(mft, 0.4, None)
    inv = Case("invariance", "names", "Anna was great.", original="Liam was great.")
    assert failed(inv, 0.45, 0.55) and not failed(inv, 0.95, 0.55)
    up = Case("intensity", "intensifier", "It was very bad.", original="It was bad.", polarity=0)
    assert not failed(up, 0.2 + DIR_TOLERANCE / 2, 0.2)  # a touch less sure, within the tolerance
    assert failed(up, 0.2 + 2 * DIR_TOLERANCE, 0.2)
    down = Case("intensity", "diminisher", "It was somewhat good.", original="It was good.", polarity=1)
    assert not failed(down, 0.7, 0.8) and failed(down, 0.8 + 2 * DIR_TOLERANCE, 0.8)


class Constant:
    """A model that scores every text the same: it fails each MFT case expecting negative, and nothing else."""

    def predict_proba(self, texts):
        return np.full(len(texts), 0.9)


def test_a_run_counts_failures_per_capability(suite):
    results = run_suite(Constant(), suite)
    negatives = sum(case.expected == 0 for case in of(suite, "negation"))
    assert results["negation"]["failures"] == negatives
    assert results["contrast"]["failure_rate"] == 0.5
    assert results["intensity"]["failures"] == results["invariance"]["failures"] == 0
    assert results["invariance"]["mean_abs_delta"] == 0


def test_the_recorded_results_are_of_this_suite_and_every_shipped_model(suite):
    recorded = json.loads(RESULTS_JSON.read_text())
    assert recorded["suite"]["fingerprint"] == fingerprint(suite), (
        "the suite changed: rerun python -m ml.evaluation.checklist"
    )
    assert recorded["suite"]["cases"] == dict(Counter(case.capability for case in suite))
    assert set(SHIPPED) <= set(recorded["models"])
    for figures in recorded["models"].values():
        for capability in CAPABILITIES:
            cell = figures[capability]
            assert cell["failure_rate"] == round(cell["failures"] / cell["cases"], 4)


def test_the_report_section_has_a_row_per_model():
    recorded = json.loads(RESULTS_JSON.read_text())
    section = checklist_section(recorded)
    assert "## Behavioural tests (CheckList)" in section
    assert all(f"| `{name}` |" in section for name in SHIPPED)
    assert checklist_section({}) == ""


@pytest.mark.shipped_model
def test_the_served_default_does_not_fail_more_than_recorded(suite):
    """Each capability's failure rate on ml/artifacts/default may exceed the figure recorded in
    ml/results/checklist_results.json by at most MARGIN (3 percentage points, 4-6 cases of a capability). The suite
    is fixed, so the same model repeats its figures to the case; the margin leaves room for numeric drift on
    another machine (a score on the 0.5 line or at the DIR tolerance's edge) and for a retrained model of the
    same quality. After retraining, rerun python -m ml.evaluation.checklist on the shipped models to record new figures."""
    from ml.inference.artifact import ARTIFACTS_DIR
    from ml.inference.predictor import load_predictor

    recorded = json.loads(RESULTS_JSON.read_text())["models"]["default"]
    predictor = load_predictor(ARTIFACTS_DIR / "default")
    results = run_suite(predictor, suite)
    worse = {
        capability: f"{results[capability]['failure_rate']:.1%} against {recorded[capability]['failure_rate']:.1%}"
        for capability in CAPABILITIES
        if results[capability]["failure_rate"] > recorded[capability]["failure_rate"] + MARGIN
    }
    assert not worse, f"{predictor.model_version} (recorded: {recorded['model_version']}) fails more: {worse}"
