"""Fit a served model's probabilities on the film-grouped validation split: Platt scaling with a length term.

    python -m ml.training.calibrate ml/artifacts/cnn [--data PATH]

The model's log-odds z of a text of n words become slope_n * z + bias_n, where slope_n and bias_n blend a
long text's slope and bias into a short text's by the weight s / (n + s) (ml.inference.calibration.Calibration).
What it is fit on, all from the validation split, none of it from the test set or the public sentence sets:
- the validation reviews, whose labels are exact;
- the closing sentence of each validation review rated 1-2 or 9-10 stars that has two sentences or more,
  labelled by its review: the sentence where a review most often states its verdict; on validation every
  model gets it right more often than their sentences at large (metrics.json's validation_calibration
  has both).
  Any sentence of a review, labelled by the review, is a noisy label (a plot summary, a caveat in a rave):
  fitting on all of them taught every model to doubt every short text (the closing note of issue 13).
  The closing sentences are weighted so that the two labels weigh the same, as the reviews do.
Plain Platt scaling is fit on the reviews alone; the length term on the reviews and the closing sentences,
and it is kept only if it lowers the film-grouped cross-validated log-loss over both by more than one
standard error of the difference. The parameters go into the artifact's config.json (`calibration`),
with the confidence bands; ml.inference.predictor.Predictor applies them.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from ml.config import TrainConfig
from ml.data import DatasetError, Split, grouped_validation_split, load_imdb, train_validation_split
from ml.data.spans import MAX_WORDS, MIN_WORDS, VERDICT_RATINGS, sentences_of, validation_sentences
from ml.data.sst import load_sst2
from ml.evaluation import metrics
from ml.inference.artifact import CONFIG_FILE, ArtifactError, read_json, update_metrics, write_json
from ml.inference.calibration import Calibration, sigmoid, word_counts
from ml.inference.predictor import load_predictor

# Confidence of the verdict (max(p, 1 - p), calibrated) at or above which a verdict is "high" or "medium".
CONFIDENCE_BANDS = {"high": 0.9, "medium": 0.7}


def validation_of(manifest: dict, *, data: str | None = None) -> Split:
    """The validation reviews the model was chosen on and never trained on: artifacts made before the
    film-grouped split record none and used the random one."""
    config = TrainConfig.from_dict(manifest)
    split = grouped_validation_split if manifest.get("validation_split", "random") == "film" else train_validation_split
    return split(load_imdb(data).train, validation_fraction=config.validation_fraction, seed=config.seed)[1]


@dataclass(frozen=True)
class CalibrationSet:
    """The texts the calibration is fit on: the validation reviews, then short texts (their closing
    sentences, and SST-2 dev's labelled sentences when given)."""

    texts: list[str]
    labels: np.ndarray
    weights: np.ndarray
    films: np.ndarray
    reviews: slice
    sentences: slice


def closing_sentences(validation: Split) -> tuple[list[str], np.ndarray, np.ndarray]:
    """The last sentence (ml.data.spans.sentences_of) of each validation review rated 1-2 or 9-10 stars with two
    sentences or more, its review's label and film."""
    texts, reviews = [], []
    for index, text in enumerate(validation.texts):
        if int(validation.ratings[index]) not in VERDICT_RATINGS:
            continue
        sentences = sentences_of(text)
        if len(sentences) >= 2:
            texts.append(sentences[-1])
            reviews.append(index)
    return texts, np.asarray(validation.labels, dtype=np.int32)[reviews], _films(validation)[reviews]


def _films(validation: Split) -> np.ndarray:
    """Each validation review's film; its own index where the split names none (a random split)."""
    return np.asarray(validation.films) if validation.films is not None else np.arange(len(validation))


def _balanced(labels: np.ndarray) -> np.ndarray:
    """Weights that make both labels weigh the same (1 each on average)."""
    weights = np.ones(len(labels))
    for label in (0, 1):
        chosen = labels == label
        if chosen.any():
            weights[chosen] = len(labels) / (2 * chosen.sum())
    return weights


def calibration_set(validation: Split, short_texts: Split | None = None) -> CalibrationSet:
    """Each validation review (weight 1), then each closing sentence, then each labelled short text (SST-2
    dev sentences, when given), each group weighted so that both labels weigh the same."""
    sentences, sentence_labels, sentence_films = closing_sentences(validation)
    texts = list(validation.texts) + sentences
    labels = [np.asarray(validation.labels, dtype=np.int32), sentence_labels]
    weights = [np.ones(len(validation)), _balanced(sentence_labels)]
    films = [_films(validation).astype(str), sentence_films.astype(str)]
    if short_texts is not None:
        texts += list(short_texts.texts)
        labels.append(np.asarray(short_texts.labels, dtype=np.int32))
        weights.append(_balanced(labels[-1]))
        films.append(np.array([f"short:{i}" for i in range(len(short_texts))]))  # each its own CV group
    return CalibrationSet(
        texts=texts,
        labels=np.concatenate(labels),
        weights=np.concatenate(weights),
        films=np.concatenate(films),
        reviews=slice(0, len(validation)),
        sentences=slice(len(validation), len(texts)),
    )


def _log_loss(z: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """Each text's log-loss from its log-odds: log(sigmoid(z)) and log(1 - sigmoid(z)) without overflow."""
    return np.logaddexp(0, -z) * labels + np.logaddexp(0, z) * (1 - labels)


MIN_SLOPE = 1e-3  # a positive slope for long texts: the calibration never flips a confident verdict
# The blend's length scales s (in words) tried: within a sentence's lengths (ml.data.spans), since below one word
# the short values would act only on empty texts, and above a sentence's length they would reach into whole
# reviews and leave the long values to extrapolate to reviews longer than any fit on.
LENGTH_SCALES = (1.0, 2.0, 4.0, 8.0, 15.0, 30.0, float(MAX_WORDS))


def _logistic_fit(
    features: np.ndarray, labels: np.ndarray, weights: np.ndarray, bounds: list
) -> tuple[np.ndarray, float]:
    """Weighted logistic regression on `features` (no intercept of its own) within `bounds`: convex, so
    L-BFGS-B finds its one minimum. Returns the coefficients and the loss."""
    from scipy.optimize import minimize

    def loss_and_gradient(theta):
        z = features @ theta
        residual = sigmoid(z) - labels
        return float(np.sum(weights * _log_loss(z, labels))), features.T @ (weights * residual)

    start = np.array([1.0 if low is not None and low > 0 else 0.0 for low, _ in bounds])
    result = minimize(loss_and_gradient, start, jac=True, method="L-BFGS-B", bounds=bounds)
    return result.x, float(result.fun)


def fit(
    logits: np.ndarray,
    words: np.ndarray,
    labels: np.ndarray,
    weights: np.ndarray | None = None,
    *,
    length_term: bool = True,
) -> Calibration:
    """The parameters that minimise the (weighted) log-loss. Without the length term: Platt scaling. With it:
    for each length scale s of LENGTH_SCALES the log-odds are linear in the two slopes and two biases, so
    each fit is convex (and its result does not hang on a starting point); the best s wins."""
    logits, words = np.asarray(logits, dtype=np.float64), np.asarray(words, dtype=np.float64)
    labels = np.asarray(labels, dtype=np.float64)
    weights = np.ones(len(labels)) if weights is None else np.asarray(weights, dtype=np.float64)
    weights = weights / weights.sum()
    if not length_term:
        (slope, bias), _ = _logistic_fit(
            np.column_stack([logits, np.ones_like(logits)]), labels, weights, [(None, None)] * 2
        )
        if slope <= 0:
            raise ValueError(
                f"the fit gave a non-positive slope ({slope:.3f}): the model's log-odds carry no signal here"
            )
        return Calibration(float(slope), 0.0, float(bias))
    best = None
    words = np.maximum(words, MIN_WORDS)  # as Calibration(min_words=MIN_WORDS) will read them
    for scale in LENGTH_SCALES:
        short = scale / (words + scale)
        features = np.column_stack([logits * (1 - short), logits * short, 1 - short, short])
        bounds = [(MIN_SLOPE, None), (0.0, None), (None, None), (None, None)]
        (slope, short_slope, bias, short_bias), loss = _logistic_fit(features, labels, weights, bounds)
        if best is None or loss < best[0]:
            best = (
                loss,
                Calibration(
                    float(slope),
                    scale,
                    float(bias),
                    short_slope=float(short_slope),
                    short_bias=float(short_bias),
                    min_words=float(MIN_WORDS),
                ),
            )
    return best[1]


def choose_and_fit(
    logits: np.ndarray,
    words: np.ndarray,
    labels: np.ndarray,
    films: np.ndarray,
    weights: np.ndarray | None = None,
    *,
    reviews: np.ndarray | None = None,
) -> tuple[Calibration, dict]:
    """Plain Platt scaling fit on the reviews alone (`reviews`, a mask; default every text), or the length
    term fit on every text: the length term only if it beats plain Platt by more than one standard error
    of the difference of their 5-fold cross-validated log-losses over every text (folds grouped by film),
    the usual one-standard-error rule, since the length term has three more parameters to overfit with."""
    from sklearn.model_selection import GroupKFold

    weights = np.ones(len(labels)) if weights is None else np.asarray(weights, dtype=np.float64)
    reviews = np.ones(len(labels), dtype=bool) if reviews is None else np.asarray(reviews, dtype=bool)

    def fitted_on(rows: np.ndarray, length_term: bool) -> Calibration:
        rows = rows if length_term else rows[reviews[rows]]
        return fit(logits[rows], words[rows], labels[rows], weights[rows], length_term=length_term)

    held_out_losses = {}
    for length_term in (False, True):
        per_text = np.empty(len(labels))
        for fit_on, held_out in GroupKFold(n_splits=5).split(logits, labels, groups=films):
            fitted = fitted_on(fit_on, length_term)
            per_text[held_out] = _log_loss(fitted.log_odds(logits[held_out], words[held_out]), labels[held_out])
        held_out_losses[length_term] = per_text
    share = weights / weights.sum()
    gain = (held_out_losses[False] - held_out_losses[True]) * share * len(share)  # weighted, per text
    standard_error = float(gain.std(ddof=1) / np.sqrt(len(gain)))
    use_length = bool(gain.mean() > standard_error)
    record = {
        "cross_validated_log_loss": {
            "plain Platt (on the reviews)": float(np.sum(share * held_out_losses[False])),
            "with length term": float(np.sum(share * held_out_losses[True])),
            "standard error of the difference": standard_error,
        },
        "length_term": use_length,
    }
    return fitted_on(np.arange(len(labels)), use_length), record


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


def calibrate(directory: Path, *, data: str | None = None, short_texts: Split | None = None) -> dict:
    """Fit, record in config.json (calibration, confidence_bands) and metrics.json; returns the figures."""
    directory = Path(directory)
    manifest = read_json(directory / CONFIG_FILE)
    validation = validation_of(manifest, data=data)
    predictor = load_predictor(directory)
    fit_on = calibration_set(validation, short_texts)
    every_sentence = validation_sentences(validation)  # measured, not fit on
    texts = fit_on.texts + list(every_sentence.texts)
    logits = np.concatenate([predictor.predict_logits(texts[i : i + 256]) for i in range(0, len(texts), 256)])
    words = word_counts(texts)
    fitted_rows = slice(0, len(fit_on.texts))
    is_review = np.zeros(len(fit_on.texts), dtype=bool)
    is_review[fit_on.reviews] = True
    fitted, choice = choose_and_fit(
        logits[fitted_rows], words[fitted_rows], fit_on.labels, fit_on.films, fit_on.weights, reviews=is_review
    )
    labels = np.concatenate([fit_on.labels, np.asarray(every_sentence.labels, dtype=np.int32)])
    parts = {
        "reviews": fit_on.reviews,
        "short texts fit on": fit_on.sentences,
        "every sentence": slice(len(fit_on.texts), len(texts)),
    }

    def figures_of(probabilities, measure) -> dict:
        return {
            name: measure(probabilities[rows], labels[rows]) for name, rows in parts.items() if rows.stop > rows.start
        }

    calibrated = fitted.apply(logits, words)
    figures = {
        "calibration": asdict(fitted),
        **choice,
        "validation_split": manifest.get("validation_split", "random"),
        "validation_reviews": len(validation),
        "closing_sentences": fit_on.sentences.stop - fit_on.sentences.start - (len(short_texts) if short_texts else 0),
        "sst2_dev_sentences": len(short_texts) if short_texts else 0,
        "every_sentence": len(every_sentence),
        "before": figures_of(sigmoid(logits), metrics.summary),
        "after": figures_of(calibrated, metrics.summary),
        "confidence_bands": {"thresholds": CONFIDENCE_BANDS, **figures_of(calibrated, band_accuracy)},
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
    parser.add_argument(
        "--with-sst-dev", action="store_true", help="fit the short texts on SST-2 dev's 872 labelled sentences too"
    )
    args = parser.parse_args(argv)
    for directory in args.artifacts:
        try:
            short_texts = load_sst2("dev") if args.with_sst_dev else None
            figures = calibrate(directory, data=args.data, short_texts=short_texts)
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
