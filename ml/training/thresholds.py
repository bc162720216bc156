"""Choose when a review counts as mixed (ml.inference.verdict's rule), on the validation split.

How t is chosen, on the artifact's grouped validation split (never the test set): middling reviews,
rated 3-4 or 7-8 stars, are the ones whose writers liked some of it and not the rest; reviews rated 1
or 10 are not. Among the thresholds 0.60, 0.62, ... 0.98, t is the one that best tells the two apart
(Youden's J: the share of middling reviews called mixed minus the share of 1- and 10-star ones).

    python -m ml.training.thresholds ml/artifacts/default [more artifacts]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

from ml.data.spans import paragraphs_as_lines
from ml.inference.artifact import update_metrics, write_json
from ml.inference.predictor import load_predictor
from ml.inference.verdict import is_mixed
from ml.text.sentences import split_sentences
from ml.training.calibrate import validation_of

THRESHOLDS = np.round(np.arange(0.60, 0.99, 0.02), 2)
MIDDLING, EXTREME = {3, 4, 7, 8}, {1, 10}


def choose_threshold(sentence_scores: list[np.ndarray], ratings: np.ndarray) -> dict:
    """The threshold with the largest J over MIDDLING vs EXTREME reviews, and the rates behind it."""
    middling = np.isin(ratings, list(MIDDLING))
    extreme = np.isin(ratings, list(EXTREME))
    rows = []
    for t in THRESHOLDS:
        flagged = np.array([is_mixed(scores, t) for scores in sentence_scores])
        rows.append((float(flagged[middling].mean()) - float(flagged[extreme].mean()), float(t), flagged))
    j, threshold, flagged = max(rows, key=lambda row: row[0])
    return {
        "threshold": threshold,
        "youden_j": round(j, 4),
        "mixed_share_middling": round(float(flagged[middling].mean()), 4),
        "mixed_share_extreme": round(float(flagged[extreme].mean()), 4),
        "middling_reviews": int(middling.sum()),
        "extreme_reviews": int(extreme.sum()),
    }


def fit_mixed_threshold(directory: Path, *, data: str | None = None) -> dict:
    """Score every sentence of the artifact's validation reviews (one batch), choose t, record it."""
    predictor = load_predictor(directory)
    validation = validation_of(predictor.manifest, data=data)
    per_review = [split_sentences(paragraphs_as_lines(text)) for text in validation.texts]
    flat = [sentence for sentences in per_review for sentence in sentences]
    scores = predictor.predict_proba(flat)
    bounds = np.cumsum([0] + [len(sentences) for sentences in per_review])
    chosen = choose_threshold([scores[a:b] for a, b in zip(bounds[:-1], bounds[1:], strict=True)], validation.ratings)
    config = {**predictor.manifest, "mixed_threshold": chosen["threshold"]}
    write_json(Path(directory) / "config.json", config)
    update_metrics(Path(directory), {"validation_mixed": chosen})
    return chosen


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("artifacts", nargs="+", type=Path)
    parser.add_argument("--data", help="IMDB archive or folder (default: $IMDB_DATA)")
    args = parser.parse_args(argv)
    for directory in args.artifacts:
        chosen = fit_mixed_threshold(directory, data=args.data)
        print(
            f"{directory.name}: mixed_threshold {chosen['threshold']:.2f} (J {chosen['youden_j']:.3f}: "
            f"{chosen['mixed_share_middling']:.1%} of middling vs {chosen['mixed_share_extreme']:.1%} of 1/10-star reviews)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
