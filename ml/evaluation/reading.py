"""Does a model read? Every shipped model, and VADER, on SST-2 dev, the counterfactual dev pairs, the five
texts people typed (issue 25), beside what the other stages recorded (the 25k test set, the public
sentence sets, the CheckList capabilities), saved under a label so that a retraining shows before and after.

    python -m ml.evaluation.reading --label after ml/artifacts/{nbsvm,nbsvm_tfidf,reader,cnn,rnn,rcnn,default,accurate}

SST-2 dev and counterfactual dev are validation sets (choices are made on them); they are reported here
beside the measures that choose nothing. Writes ml/results/reading_results.json.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

from ml.data import Split
from ml.data.counterfactual import PairedReviews, load_counterfactual
from ml.data.sst import load_sst2
from ml.evaluation.checklist import CAPABILITIES
from ml.evaluation.checklist import RESULTS_JSON as CHECKLIST_JSON
from ml.evaluation.metrics import expected_calibration_error, pairs_both_right
from ml.evaluation.short_texts import RESULTS_JSON as SHORT_TEXT_JSON
from ml.evaluation.short_texts import vader_scores
from ml.inference.artifact import read_json
from ml.inference.predictor import load_predictor, predict_in_batches
from ml.paths import RESULTS_DIR

RESULTS_JSON = RESULTS_DIR / "reading_results.json"
# What a new user typed into the site (issue 25), with what a reader would say.
TYPED = (
    ("Not bad at all.", 1),
    ("I didn't like it.", 0),
    ("Never boring for a second.", 1),
    ("Not as good as the first one.", 0),
    ("The cast was great, but the movie was boring.", 0),
)


def _figures(probabilities: np.ndarray, labels: np.ndarray) -> dict:
    return {
        "accuracy": round(float(((probabilities >= 0.5) == labels).mean()), 4),
        "ece": round(expected_calibration_error(probabilities, labels), 4),
    }


def measure_model(directory: Path, sst: Split, edits: PairedReviews) -> dict:
    predictor = load_predictor(directory)
    sst_scores = predict_in_batches(predictor, sst.texts)
    edit_scores = predict_in_batches(predictor, edits.reviews.texts)
    typed = predictor.predict_proba([text for text, _ in TYPED])
    name = Path(directory).name
    recorded = read_json(Path(directory) / "metrics.json")
    sentence_sets = _read(SHORT_TEXT_JSON).get("models", {}).get(name, {})
    checklist = _read(CHECKLIST_JSON).get("models", {}).get(name, {})
    return {
        "model_version": predictor.model_version,
        "test_accuracy": recorded.get("test_accuracy"),
        "test_ece": recorded.get("test_ece"),
        "sst2_dev": _figures(sst_scores, sst.labels),
        "counterfactual_dev": {
            **_figures(edit_scores, edits.reviews.labels),
            "pairs_both_right": round(pairs_both_right(edit_scores, edits.reviews.labels, edits.pair_ids), 4),
        },
        "sentence_sets": {key: value for key, value in sentence_sets.items() if isinstance(value, dict)},
        "checklist_failure_rate": {
            capability: checklist[capability]["failure_rate"] for capability in CAPABILITIES if capability in checklist
        },
        "typed": [
            {"text": text, "expected": expected, "score": round(float(score), 4)}
            for (text, expected), score in zip(TYPED, typed, strict=True)
        ],
    }


def measure_vader(sst: Split, edits: PairedReviews) -> dict:
    sst_right = (vader_scores(sst.texts) >= 0) == sst.labels
    edit_scores = (vader_scores(edits.reviews.texts) >= 0).astype(float)
    return {
        "sst2_dev": {"accuracy": round(float(sst_right.mean()), 4)},
        "counterfactual_dev": {
            "accuracy": round(float((edit_scores == edits.reviews.labels).mean()), 4),
            "pairs_both_right": round(pairs_both_right(edit_scores, edits.reviews.labels, edits.pair_ids), 4),
        },
    }


def _read(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("artifacts", nargs="+", type=Path)
    parser.add_argument("--label", default="after", help="before or after (a retraining)")
    parser.add_argument("--out", type=Path, default=RESULTS_JSON)
    args = parser.parse_args(argv)
    results = _read(args.out)
    sst, edits = load_sst2("dev"), load_counterfactual("dev")
    results[args.label] = {
        "models": {Path(directory).name: measure_model(directory, sst, edits) for directory in args.artifacts},
        "vader": measure_vader(sst, edits),
    }
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    for name, row in results[args.label]["models"].items():
        print(
            f"{name}: SST-2 dev {row['sst2_dev']['accuracy']:.1%}, counterfactual dev pairs "
            f"{row['counterfactual_dev']['pairs_both_right']:.1%}, typed right "
            f"{sum((t['score'] >= 0.5) == t['expected'] for t in row['typed'])}/5"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
