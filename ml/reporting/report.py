"""Compare every evaluated artifact: ml/results/RESULTS.md, ml/results/results.json and a plot for the Insights page.

python -m ml.reporting.report
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

from ml.evaluation.explanations import RESULTS_JSON as EXPLAIN_JSON
from ml.evaluation.reading import RESULTS_JSON as READING_JSON
from ml.evaluation.short_texts import RESULTS_JSON as SHORT_TEXT_JSON
from ml.evaluation.short_texts import short_text_section
from ml.inference.artifact import ARTIFACTS_DIR, list_artifacts, read_json
from ml.paths import RESULTS_DIR, STATIC_INSIGHTS
from ml.reporting.calibration import calibration_rows, calibration_section, reliability_plot
from ml.reporting.checklist import checklist_section
from ml.reporting.checklist import read_results as read_checklist
from ml.reporting.explanations import explanation_rows, explanation_section
from ml.reporting.reading import reading_section

RESULTS_MD = RESULTS_DIR / "RESULTS.md"
RESULTS_JSON = RESULTS_DIR / "results.json"
PLOT = STATIC_INSIGHTS / "models.png"

REPRODUCE = """\
```
export IMDB_DATA=../shared/data/aclImdb_v1.tar.gz   # or --data PATH; without either, the loader downloads
bash ml/train_all.sh                                 # every shipped model, as they were made, then:
python -m ml.evaluation.evaluate ml/artifacts/*                 # the 25k test set, read only here
python -m ml.reporting.report                                  # this file, ml/results/results.json and the plot
```"""
ABLATION_DIR = RESULTS_DIR / "ablation"


def collect(root: Path = ARTIFACTS_DIR) -> list[dict]:
    rows = []
    for directory in list_artifacts(root):
        config = read_json(directory / "config.json")
        metrics = read_json(directory / "metrics.json") if (directory / "metrics.json").exists() else {}
        if "test_accuracy" not in metrics:
            continue
        rows.append(
            {
                "name": directory.name,
                "arch": config.get("arch"),
                "model_version": config.get("model_version"),
                "val_accuracy": metrics.get("val_accuracy"),
                "test_accuracy": metrics["test_accuracy"],
                "validation_reviews": metrics.get("validation_reviews"),
                # The served (calibrated) predictor's accuracy on validation, as the test figure is its.
                "served_val_accuracy": metrics.get("validation_calibration", {})
                .get("after", {})
                .get("reviews", {})
                .get("accuracy"),
                "test_reviews": metrics.get("test_reviews"),
                "test_f1_macro": metrics["test_f1_macro"],
                "test_roc_auc": metrics["test_roc_auc"],
                "train_seconds": metrics.get("train_seconds"),
                "params": metrics.get("params"),
                "model_bytes": metrics.get("model_bytes"),
                "latency_ms": metrics.get("latency_ms_p50_single"),
                "teacher": config.get("teacher") or None,
                "span_weight": config.get("span_weight") or None,
                "members": list(config.get("members", [])) if config.get("arch") == "ensemble" else None,
                "features": _ngram_features(config),
            }
        )
    return sorted(rows, key=lambda row: row["test_accuracy"])


def _ngram_features(config: dict) -> str | None:
    if config.get("arch") != "nbsvm":
        return None
    weighting = "sublinear tf-idf" if config.get("ngram_weighting") == "tfidf" else "binary"
    return f"1-{config.get('ngram_max', 3)}-grams, {weighting}" + (
        ", + star-rating regression" if config.get("rating_head") else ""
    )


def collect_ablation(directory: Path = ABLATION_DIR) -> list[dict]:
    """Models trained and evaluated the same way but not shipped (their metrics and configs are kept)."""
    rows = []
    for path in sorted(directory.glob("*_metrics.json")):
        metrics = read_json(path)
        config = read_json(path.with_name(path.name.replace("_metrics", "_config")))
        rows.append(
            {
                "name": path.name.removesuffix("_metrics.json"),
                "arch": config.get("arch"),
                "val_accuracy": metrics.get("val_accuracy"),
                "test_accuracy": metrics["test_accuracy"],
                "train_seconds": metrics.get("train_seconds"),
                "epochs": len(metrics.get("history", {}).get("val_accuracy", [])) or None,
                "teacher": config.get("teacher") or None,
                "span_weight": config.get("span_weight") or None,
            }
        )
    return rows


def _trained_on(row: dict) -> str:
    if row.get("members") and len(row["members"]) == 1:
        return f"`{row['members'][0]}` (its probabilities calibrated on validation by ml.training.calibrate)"
    if row.get("members"):
        return "stacked on validation: " + ", ".join(f"`{m}`" for m in row["members"])
    spans = f" + their sentences, weight {row['span_weight']}" if row.get("span_weight") else ""
    if row.get("teacher"):
        return f"labels + 50k unlabelled labelled by `{row['teacher']}`{spans}"
    if row.get("features"):
        return f"labels ({row['features']}){spans}"
    return f"labels{spans}"


def gap_noise(row: dict) -> float | None:
    """Half the 95% interval of validation minus test accuracy from sampling alone (two independent samples,
    normal approximation), in points: how far apart the two may land with no optimism at all."""
    if not row.get("validation_reviews") or not row.get("test_reviews") or row.get("served_val_accuracy") is None:
        return None
    val, test = row["served_val_accuracy"], row["test_accuracy"]
    variance = val * (1 - val) / row["validation_reviews"] + test * (1 - test) / row["test_reviews"]
    return 100 * 1.96 * math.sqrt(variance)


def _gap(row: dict) -> str:
    noise = gap_noise(row)
    if noise is None:
        return "—"
    return f"{100 * (row['served_val_accuracy'] - row['test_accuracy']):+.2f} (±{noise:.2f})"


def markdown(rows: list[dict], ablation: list[dict] = ()) -> str:
    lines = [
        "# Model comparison",
        "",
        "Every figure is on the full official IMDB test set (25,000 reviews), read only by `python -m ml.evaluation.evaluate`;",
        "early stopping, hyper-parameters and the ensemble's weights used a seeded, stratified 10% validation split",
        "of the 25,000 training reviews, grouped by film (no film on both sides). The validation accuracy column is",
        "the model's as trained, before calibration; validation minus test is the served (calibrated) predictor's",
        "on both, with the 95% band that sampling alone allows (about 2,500 validation reviews). Train time and",
        "latency were measured on a 2-core CPU machine (no GPU), often with another job running; latency is the",
        "median of one raw review through the serving path (`Predictor.predict_proba`). An ensemble's validation",
        "accuracy is in-sample for its stacking weights (the cross-validated figures that chose its members are in",
        "its metrics.json); its size counts its members.",
        "",
        "| model | trained on | validation acc. | test accuracy | served val − test (points) | test F1 (macro) | test ROC-AUC | train time | parameters | size | latency / review |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        lines.append(
            f"| `{row['name']}` ({row['arch']}) | {_trained_on(row)} | {row['val_accuracy']:.2%} | **{row['test_accuracy']:.2%}** | "
            f"{_gap(row)} | {row['test_f1_macro']:.4f} | {row['test_roc_auc']:.4f} | {row['train_seconds']:.0f} s | {row['params']:,} | "
            f"{row['model_bytes'] / 1e6:.1f} MB | {row['latency_ms']:.2f} ms |"
        )
    if ablation:
        lines += [
            "",
            "Trained and evaluated the same way, not shipped (`ml/results/ablation/`): the networks on the labelled reviews",
            "alone; a one-epoch CNN, for the training budget (its teacher, `nbsvm`, takes 54 s more); and the n-gram",
            "model and the RCNN refit with the 50k unlabelled reviews as the four-model ensemble labels them (neither",
            "better on validation; `teacher` and `candidates` are that same stack of nbsvm, cnn, rnn and rcnn).",
            "",
            "| model | trained on | epochs | validation acc. | test accuracy | train time |",
            "|---|---|---|---|---|---|",
        ]
        for row in ablation:
            lines.append(
                f"| `{row['name']}` ({row['arch']}) | {_trained_on(row)} | {row['epochs'] or '—'} | {row['val_accuracy']:.2%} | "
                f"**{row['test_accuracy']:.2%}** | {row['train_seconds']:.0f} s |"
            )
    lines += ["", "![model comparison](../static/insights/models.png)", "", "Reproduce:", "", REPRODUCE, ""]
    return "\n".join(lines)


def plot(rows: list[dict], path: Path = PLOT) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    path.parent.mkdir(parents=True, exist_ok=True)
    figure, (left, right) = plt.subplots(1, 2, figsize=(12, 4.2), dpi=110)
    names = [row["name"] for row in rows]
    accuracies = [row["test_accuracy"] * 100 for row in rows]
    bars = left.barh(names, accuracies, color=["#4f46e5" if n == "default" else "#94a3b8" for n in names])
    left.bar_label(bars, fmt="%.2f%%", padding=3)
    left.set_xlim(min(accuracies) - 3, 100)
    left.axvline(89.0, color="#dc2626", linestyle="--", linewidth=1, label="original app's best (89.0%)")
    left.set_xlabel("test accuracy (%, 25k reviews)")
    left.set_title("Accuracy")
    left.legend(loc="lower right", fontsize=8)
    for row in rows:
        right.scatter(
            row["latency_ms"],
            row["test_accuracy"] * 100,
            s=max(row["model_bytes"] / 2e5, 20),
            color="#4f46e5",
            alpha=0.7,
        )
        right.annotate(
            row["name"],
            (row["latency_ms"], row["test_accuracy"] * 100),
            textcoords="offset points",
            xytext=(6, 4),
            fontsize=9,
        )
    right.set_xscale("log")
    right.set_xlabel("latency of one review (ms, log scale; dot size = model size)")
    right.set_ylabel("test accuracy (%)")
    right.set_title("Accuracy against serving cost")
    for axis in (left, right):
        axis.spines[["top", "right"]].set_visible(False)
    figure.tight_layout()
    figure.savefig(path)
    plt.close(figure)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--artifacts", type=Path, default=ARTIFACTS_DIR)
    args = parser.parse_args(argv)
    rows = collect(args.artifacts)
    if not rows:
        print("error: no evaluated artifacts; run python -m ml.evaluation.evaluate first", file=sys.stderr)
        return 1
    ablation = collect_ablation()
    explanations = read_json(EXPLAIN_JSON) if EXPLAIN_JSON.exists() else {}
    calibration = calibration_rows(args.artifacts)
    RESULTS_MD.write_text(
        markdown(rows, ablation)
        + calibration_section(calibration)
        + short_text_section(read_json(SHORT_TEXT_JSON) if SHORT_TEXT_JSON.exists() else None)
        + explanation_section(explanations)
        + checklist_section(read_checklist())
        + reading_section(read_json(READING_JSON) if READING_JSON.exists() else None)
    )
    results = {
        "models": rows,
        "ablation": ablation,
        "plot": "insights/models.png",
        "calibration": calibration,
        "reliability_plot": "insights/reliability.png" if reliability_plot(args.artifacts) else None,
        "explanations": explanation_rows(explanations),
    }
    RESULTS_JSON.write_text(json.dumps(results, indent=2) + "\n")
    plot(rows)
    print(f"wrote {RESULTS_MD}, {RESULTS_JSON} and {PLOT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
