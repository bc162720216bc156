"""Evaluate an artifact on the full official 25k test set and record the figures in its metrics.json.

    python -m ml.evaluation.evaluate ml/artifacts/cnn [--data PATH]

This is the only place the test set is read; nothing here feeds back into training or model choice.
It also measures calibration (ECE, Brier, log-loss; overall, by review length, and on the public
one-sentence sets in ../shared/data/sentences, which are read for measuring only). With --no-timing
it leaves the recorded timings as they were.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from pathlib import Path

import numpy as np

from ml.data import DatasetError, load_imdb
from ml.data.sentence_sets import load_sentence_sets
from ml.evaluation import metrics
from ml.inference.artifact import ArtifactError, serving_bytes, update_metrics
from ml.inference.predictor import load_predictor, predict_in_batches


def single_review_latency_ms(predictor, texts: list[str], calls: int = 200) -> float:
    """Median time of one raw review through the serving path (p50, milliseconds)."""
    timings = []
    for text in texts[:calls]:
        started = time.perf_counter()
        predictor.predict_proba([text])
        timings.append((time.perf_counter() - started) * 1000)
    return float(np.median(timings))


def library_versions() -> dict:
    import keras
    import sklearn
    import tensorflow as tf

    return {
        "python": platform.python_version(),
        "tensorflow": tf.__version__,
        "keras": keras.__version__,
        "numpy": np.__version__,
        "scikit-learn": sklearn.__version__,
    }


def calibration_metrics(predictor, texts: list[str], labels: np.ndarray, scores: np.ndarray) -> dict:
    """ECE, Brier and log-loss on the test set (overall and by length) and on each sentence set."""
    overall = metrics.summary(scores, labels)
    sentence_sets = {}
    for name, (sentences, sentence_labels) in load_sentence_sets().items():
        sentence_sets[name] = metrics.summary(predict_in_batches(predictor, sentences), sentence_labels)
    return {
        "test_ece": overall["ece"],
        "test_brier": overall["brier"],
        "test_log_loss": overall["log_loss"],
        "test_by_length": metrics.by_length(texts, scores, labels),
        "test_reliability": metrics.reliability_curve(scores, labels),
        "sentences": sentence_sets,
    }


def evaluate(directory: Path, *, data: str | None = None, timing: bool = True) -> dict:
    """Record the test figures in the artifact's metrics.json; timing=False keeps its recorded timings
    (they are measured on a quiet machine, and a busy one would make them look worse than they are)."""
    from sklearn.metrics import accuracy_score, confusion_matrix, f1_score, roc_auc_score

    predictor = load_predictor(directory)
    dataset = load_imdb(data)
    test = dataset.test
    started = time.perf_counter()
    scores = predict_in_batches(predictor, test.texts)
    seconds = time.perf_counter() - started
    predicted = (scores >= 0.5).astype(np.int32)
    metrics = {
        "test_accuracy": float(accuracy_score(test.labels, predicted)),
        "test_f1_macro": float(f1_score(test.labels, predicted, average="macro")),
        "test_roc_auc": float(roc_auc_score(test.labels, scores)),
        "confusion_matrix": {
            "labels": ["negative", "positive"],
            "matrix": confusion_matrix(test.labels, predicted).tolist(),
        },
        "test_reviews": len(test),
        "params": int(predictor.manifest.get("params") or predictor.model.count_params()),
        "model_bytes": serving_bytes(directory),
        "dataset_sha256": dataset.sha256,
        "libraries": library_versions(),
        "evaluated_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        **calibration_metrics(predictor, test.texts, test.labels, scores),
    }
    if timing:
        rng = np.random.default_rng(0)
        sample = [test.texts[i] for i in rng.choice(len(test), size=min(200, len(test)), replace=False)]
        metrics["test_reviews_per_second"] = round(len(test) / seconds, 1)
        metrics["latency_ms_p50_single"] = round(single_review_latency_ms(predictor, sample), 3)
    return update_metrics(Path(directory), metrics)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("artifacts", nargs="+", type=Path, help="artifact folders, e.g. ml/artifacts/cnn")
    parser.add_argument("--data", help="IMDB archive or folder (default: $IMDB_DATA, the cache, or download)")
    parser.add_argument("--no-timing", action="store_true", help="keep the recorded timings (a busy machine)")
    args = parser.parse_args(argv)
    for directory in args.artifacts:
        try:
            metrics = evaluate(directory, data=args.data, timing=not args.no_timing)
        except (ArtifactError, DatasetError) as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
        keys = ("test_accuracy", "test_ece", "test_brier", "test_log_loss", "latency_ms_p50_single", "model_bytes")
        summary = {k: metrics.get(k) for k in keys}
        summary["sentences"] = {
            name: {k: round(v, 4) for k, v in s.items()} for name, s in metrics["sentences"].items()
        }
        print(json.dumps({"artifact": str(directory), **summary}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
