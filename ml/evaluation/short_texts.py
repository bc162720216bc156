"""What people type: every shipped model, and VADER, on the three public one-sentence sets, in one run.

    python -m ml.evaluation.short_texts ml/artifacts/{nbsvm,nbsvm_tfidf,reader,cnn,rnn,rcnn,default,accurate}

The sets (Kotzias et al. 2015: IMDB, Amazon and Yelp sentences; ml.data.sentence_sets) are read here to
report only: nothing is trained, tuned or chosen on them. VADER (Hutto & Gilbert 2014), the lexicon
analyser people reach for instead, says positive when its compound score is >= 0 (it has no "neutral"
here: every sentence is labelled positive or negative). Writes ml/results/short_text_results.json, which
`python -m ml.reporting.report` turns into a section of ml/results/RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from ml.data.sentence_sets import load_sentence_sets
from ml.evaluation.metrics import summary
from ml.inference.artifact import read_json
from ml.inference.predictor import load_predictor
from ml.paths import RESULTS_DIR

RESULTS_JSON = RESULTS_DIR / "short_text_results.json"


def vader_scores(texts: list[str]) -> np.ndarray:

    analyser = SentimentIntensityAnalyzer()
    return np.array([analyser.polarity_scores(text)["compound"] for text in texts])


def measure(artifacts: list[Path]) -> dict:

    sets = load_sentence_sets()
    if not sets:
        raise SystemExit("error: the sentence sets are not here (../shared/data/sentences or SENTENCES_DATA)")
    results = {"sets": {name: len(labels) for name, (_, labels) in sets.items()}, "models": {}, "vader": {}}
    for name, (texts, labels) in sets.items():
        results["vader"][name] = {"accuracy": round(float(((vader_scores(texts) >= 0) == labels).mean()), 4)}
    for directory in artifacts:
        predictor = load_predictor(directory)
        metrics = read_json(Path(directory) / "metrics.json")
        row = {
            "model_version": predictor.model_version,
            "test_accuracy": metrics.get("test_accuracy"),
            "val_sentence_accuracy": metrics.get("val_sentence_accuracy"),
        }
        for name, (texts, labels) in sets.items():
            figures = summary(predictor.predict_proba(texts), labels)
            row[name] = {"accuracy": round(figures["accuracy"], 4), "ece": round(figures["ece"], 4)}
        results["models"][Path(directory).name] = row
    return results


def short_text_section(results: dict | None) -> str:
    if not results:
        return ""
    sets = list(results["sets"])
    header = "| model | " + " | ".join(f"{name} sentences ({results['sets'][name]}): acc. / ECE" for name in sets)
    lines = [
        "",
        "## Short texts: the public sentence sets",
        "",
        "What visitors type is a sentence or two. Every shipped model and VADER on the same sentences, in one run",
        "(`python -m ml.evaluation.short_texts ml/artifacts/*`; the sets are read to report only). `validation sentences` is",
        "the accuracy on the sentences of the 1-2 and 9-10-star validation reviews, labelled by their review",
        "(`ml/data/spans.py`): the figure the short-text choices were made on.",
        "",
        header + " | validation sentences | 25k test |",
        "|---|" + "---|" * (len(sets) + 2),
    ]
    for name, row in sorted(results["models"].items()):
        cells = [f"{row[s]['accuracy']:.1%} / {row[s]['ece']:.3f}" for s in sets]
        validation = row.get("val_sentence_accuracy")
        test = row.get("test_accuracy")
        lines.append(
            f"| `{name}` | "
            + " | ".join(cells)
            + f" | {'—' if validation is None else f'{validation:.1%}'} | {'—' if test is None else f'{test:.2%}'} |"
        )
    vader = " | ".join(f"{results['vader'][s]['accuracy']:.1%}" for s in sets)
    lines.append(f"| VADER (compound >= 0) | {vader} | — | — |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("artifacts", nargs="+", type=Path)
    parser.add_argument("--out", type=Path, default=RESULTS_JSON)
    args = parser.parse_args(argv)
    results = measure(args.artifacts)
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(short_text_section(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
