"""Run the CheckList suite on artifacts, print the failure rates and write ml/results/checklist_results.json."""

from __future__ import annotations

import argparse
import json
import sys
import time
import warnings
from collections import Counter
from pathlib import Path

from ml.evaluation.checklist import (
    CAPABILITIES,
    DIR_TOLERANCE,
    MARGIN,
    RESULTS_JSON,
    SEED,
    SUITE_VERSION,
    TEST_TYPES,
    build_suite,
    fingerprint,
    run_suite,
)
from ml.inference.predictor import load_predictor


def suite_summary(cases) -> dict:
    counts = Counter(case.capability for case in cases)
    return {
        "version": SUITE_VERSION,
        "seed": SEED,
        "fingerprint": fingerprint(cases),
        "cases": {capability: counts[capability] for capability in CAPABILITIES},
        "total": len(cases),
        "test_types": TEST_TYPES,
        "dir_tolerance": DIR_TOLERANCE,
        "regression_margin": MARGIN,
    }


def table(models: dict) -> str:
    lines = [f"{'model':<14}" + "".join(f"{capability:>20}" for capability in CAPABILITIES)]
    for name, result in models.items():
        cells = (
            f"{result[c]['failure_rate']:.1%} ({result[c]['failures']}/{result[c]['cases']})" for c in CAPABILITIES
        )
        lines.append(f"{name:<14}" + "".join(f"{cell:>20}" for cell in cells))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("artifacts", nargs="+", type=Path, help="artifact folders, e.g. ml/artifacts/default")
    parser.add_argument("--output", type=Path, default=RESULTS_JSON)
    args = parser.parse_args(argv)

    # Keras says, once per pooling layer, what the model's design intends (pooling over the padding mask).
    warnings.filterwarnings("ignore", message=".*does not support masking.*", category=UserWarning)

    cases = build_suite()
    suite = suite_summary(cases)
    previous = json.loads(args.output.read_text()) if args.output.exists() else {}
    # Models not rerun keep their figures only while they were made by this same suite.
    same_suite = previous.get("suite", {}).get("fingerprint") == suite["fingerprint"]
    models = dict(previous.get("models", {})) if same_suite else {}
    for directory in args.artifacts:
        started = time.perf_counter()
        predictor = load_predictor(directory)
        models[directory.name] = {"model_version": predictor.model_version, **run_suite(predictor, cases)}
        print(f"{directory.name}: {time.perf_counter() - started:.1f} s", file=sys.stderr)
    models = {name: models[name] for name in sorted(models)}
    args.output.write_text(json.dumps({"suite": suite, "models": models}, indent=2) + "\n")
    print(table(models))
    print(f"wrote {args.output} ({suite['total']} cases: {suite['cases']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
