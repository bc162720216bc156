"""Fit a served model's probabilities on the film-grouped validation split: Platt scaling with a length term.

    python -m ml.calibrate ml/artifacts/cnn [--data PATH]

The model's log-odds z of a text of n words become sigmoid(slope * z * n / (n + length_scale) + bias):
one temperature for long reviews, and less certainty for short texts where the data asks for it (the
length term is kept only if it lowers the film-grouped cross-validated log-loss by more than one
standard error). It is fit on the
validation reviews, whose labels are exact. Their sentences, labelled with their review's label,
are measured too but not fit on: such labels are often wrong for a single sentence (a plot summary, a
caveat in a rave), and fitting on them taught every model to doubt every short text, which made it
under-confident on real labelled sentences (the closing note of issue 13 has the figures).
The parameters go into the artifact's config.json (`calibration`), with the confidence bands;
ml.artifacts.Predictor applies them.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from pathlib import Path

import numpy as np

from ml import calibration
from ml.artifacts import CONFIG_FILE, ArtifactError, load_predictor, read_json, update_metrics, write_json
from ml.calibration import Calibration, word_counts
from ml.config import TrainConfig
from ml.data import DatasetError, Split, grouped_validation_split, load_imdb, train_validation_split
from ml.spans import sentences_of

# Confidence of the verdict (max(p, 1 - p), calibrated) at or above which a verdict is "high" or "medium".
CONFIDENCE_BANDS = {"high": 0.9, "medium": 0.7}


def validation_of(manifest: dict, *, data: str | None = None) -> Split:
    """The validation reviews the model was chosen on and never trained on: artifacts made before the
    film-grouped split record none and used the random one."""
    config = TrainConfig.from_dict(manifest)
    split = grouped_validation_split if manifest.get("validation_split", "random") == "film" else train_validation_split
    return split(load_imdb(data).train, validation_fraction=config.validation_fraction, seed=config.seed)[1]


def calibration_set(validation: Split) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Texts, labels and weights: each validation review (weight 1), then its sentences (1 in all)."""
    texts, labels, weights = list(validation.texts), list(validation.labels), [1.0] * len(validation)
    for text, label in zip(validation.texts, validation.labels, strict=True):
        sentences = sentences_of(text, max_words=None)  # calibration keeps long sentences too
        if len(sentences) > 1:
            texts += sentences
            labels += [label] * len(sentences)
            weights += [1.0 / len(sentences)] * len(sentences)
    return texts, np.array(labels, dtype=np.int32), np.array(weights)


def fit(
    logits: np.ndarray,
    words: np.ndarray,
    labels: np.ndarray,
    weights: np.ndarray | None = None,
    *,
    length_term: bool = True,
) -> Calibration:
    """The parameters that minimise the (weighted) log-loss, from a few starting length scales (the loss is
    not convex in it; it is fit on a log scale, so it stays positive). Without the length term: Platt scaling."""
    from scipy.optimize import minimize

    weights = np.ones(len(labels)) if weights is None else np.asarray(weights, dtype=np.float64)
    weights = weights / weights.sum()

    def loss(theta):
        slope, log_scale, bias = theta if length_term else (theta[0], -np.inf, theta[1])
        z = Calibration(slope, float(np.exp(log_scale)), bias).log_odds(logits, words)
        # log(sigmoid(z)) and log(1 - sigmoid(z)), without overflow.
        return float(np.sum(weights * (np.logaddexp(0, -z) * labels + np.logaddexp(0, z) * (1 - labels))))

    if length_term:
        starts = [[1.0, np.log(scale), 0.0] for scale in (0.5, 3.0, 10.0, 30.0, 100.0)]
    else:
        starts = [[1.0, 0.0]]
    best = min((minimize(loss, start, method="L-BFGS-B") for start in starts), key=lambda result: result.fun)
    slope, log_scale, bias = best.x if length_term else (best.x[0], -np.inf, best.x[1])
    if slope <= 0:
        raise ValueError(f"the fit gave a non-positive slope ({slope:.3f}): the model's log-odds carry no signal here")
    return Calibration(float(slope), float(np.exp(log_scale)), float(bias))


def choose_and_fit(
    logits: np.ndarray, words: np.ndarray, labels: np.ndarray, films: np.ndarray
) -> tuple[Calibration, dict]:
    """Platt scaling, with the length term only if it beats plain Platt by more than one standard error of
    its 5-fold cross-validated log-loss (folds grouped by film, on the validation reviews): the usual
    one-standard-error rule, since a length term fit on the few short reviews there can overfit them."""
    from sklearn.model_selection import GroupKFold

    held_out_losses = {}
    for length_term in (False, True):
        per_review = np.empty(len(labels))
        for fit_on, held_out in GroupKFold(n_splits=5).split(logits, labels, groups=films):
            fitted = fit(logits[fit_on], words[fit_on], labels[fit_on], length_term=length_term)
            z = fitted.log_odds(logits[held_out], words[held_out])
            per_review[held_out] = np.logaddexp(0, -z) * labels[held_out] + np.logaddexp(0, z) * (1 - labels[held_out])
        held_out_losses[length_term] = per_review
    with_length = held_out_losses[True]
    standard_error = float(with_length.std(ddof=1) / np.sqrt(len(with_length)))
    use_length = with_length.mean() < held_out_losses[False].mean() - standard_error
    record = {
        "cross_validated_log_loss": {
            "plain Platt": float(held_out_losses[False].mean()),
            "with length term": float(with_length.mean()),
            "standard error": standard_error,
        },
        "length_term": bool(use_length),
    }
    return fit(logits, words, labels, length_term=use_length), record


def band_accuracy(probabilities: np.ndarray, labels: np.ndarray, bands: dict = CONFIDENCE_BANDS) -> dict:
    """Each band's share of the verdicts and their accuracy."""
    confidence = np.maximum(probabilities, 1 - probabilities)
    right = (probabilities >= 0.5) == labels
    chosen = {
        "high": confidence >= bands["high"],
        "medium": (confidence >= bands["medium"]) & (confidence < bands["high"]),
        "low": confidence < bands["medium"],
    }
    return {
        name: {"share": float(mask.mean()), "accuracy": float(right[mask].mean()) if mask.any() else None}
        for name, mask in chosen.items()
    }


def _figures(probabilities, labels, reviews: slice, spans: slice, measure) -> dict:
    """`measure` on the validation reviews, and on their sentences where there are any."""
    figures = {"reviews": measure(probabilities[reviews], labels[reviews])}
    if spans.stop > spans.start:
        figures["sentences"] = measure(probabilities[spans], labels[spans])
    return figures


def calibrate(directory: Path, *, data: str | None = None) -> dict:
    """Fit, record in config.json (calibration, confidence_bands) and metrics.json; returns the figures."""
    directory = Path(directory)
    manifest = read_json(directory / CONFIG_FILE)
    validation = validation_of(manifest, data=data)
    predictor = load_predictor(directory)
    texts, labels, _ = calibration_set(validation)
    logits = np.concatenate([predictor.predict_logits(texts[i : i + 256]) for i in range(0, len(texts), 256)])
    words = word_counts(texts)
    reviews = slice(0, len(validation))
    fitted, choice = choose_and_fit(logits[reviews], words[reviews], labels[reviews], validation.films)
    spans = slice(len(validation), len(texts))
    raw = 1.0 / (1.0 + np.exp(-logits))
    calibrated = fitted.apply(logits, words)
    figures = {
        "calibration": asdict(fitted),
        **choice,
        "validation_split": manifest.get("validation_split", "random"),
        "validation_reviews": len(validation),
        "validation_sentences": len(texts) - len(validation),
        "before": _figures(raw, labels, reviews, spans, calibration.summary),
        "after": _figures(calibrated, labels, reviews, spans, calibration.summary),
        "confidence_bands": {
            "thresholds": CONFIDENCE_BANDS,
            **_figures(calibrated, labels, reviews, spans, band_accuracy),
        },
    }
    write_json(
        directory / CONFIG_FILE, {**manifest, "calibration": asdict(fitted), "confidence_bands": CONFIDENCE_BANDS}
    )
    update_metrics(directory, {"validation_calibration": figures})
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("artifacts", nargs="+", type=Path, help="artifact folders, e.g. ml/artifacts/cnn")
    parser.add_argument("--data", help="IMDB archive or folder (default: $IMDB_DATA, the cache, or download)")
    args = parser.parse_args(argv)
    for directory in args.artifacts:
        try:
            figures = calibrate(directory, data=args.data)
        except (ArtifactError, DatasetError) as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
        short = {
            when: {kind: round(values["ece"], 4) for kind, values in figures[when].items()}
            for when in ("before", "after")
        }
        print(json.dumps({"artifact": str(directory), "calibration": figures["calibration"], "validation_ece": short}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
