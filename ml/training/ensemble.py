"""The ensemble: the member artifacts' log-odds stacked by a logistic regression fit on validation.

Stacked by length (TrainConfig.length_scales), the weights are fit on every validation set at once (the
reviews, SST-2 dev, counterfactual dev, the held-out templated texts: ml.training.choosing), each set with a
share of the fit chosen among candidates, so that a sentence network can lead on short texts while the
n-gram models keep the reviews."""

from __future__ import annotations

from itertools import product
from pathlib import Path

import keras
import numpy as np

from ml.config import TrainConfig
from ml.data import Split
from ml.inference.artifact import load_model
from ml.inference.calibration import word_counts
from ml.inference.predictor import Predictor
from ml.models.common import logit_model, stacked_model
from ml.models.layers import LogitStack
from ml.models.reader import CONTRASTS, NEGATIONS
from ml.models.result import TrainResult
from ml.training.choosing import ChoiceSets

# How much the validation reviews weigh in a stack by length, against one for SST-2 dev and one for
# counterfactual dev: candidates, chosen with the length scale on cross-validated figures.
REVIEW_WEIGHTS = (1.0, 2.0, 3.0)
# The gate: a text that holds a negation or a contrast word, as the sentence network marks them.
GATE_WORDS = (*NEGATIONS, *CONTRASTS)
# And the held-out templated negations and contrasts (ml.data.templated): left out of the fit, or weighing
# as SST-2 dev does. Either way they are scored, so the choice sees what each stack does to them.
TEMPLATE_WEIGHTS = (0.0, 1.0)


def train_ensemble(
    config: TrainConfig, train: Split, validation: Split, artifacts_dir: Path, choice_sets: ChoiceSets | None = None
) -> TrainResult:
    """Stack the members' logits with weights fit by logistic regression on the validation split (on every
    validation set, by length, when config.length_scales names scales to choose from)."""
    from sklearn.linear_model import LogisticRegression

    by_length = bool(config.length_scales)
    if by_length and (choice_sets is None or choice_sets.sst_dev is None):
        raise ValueError("stacking by length needs SST-2 dev and counterfactual dev (ml.training.choosing)")
    # Each member scores its texts once: the validation reviews come first in the choice sets' texts.
    texts = choice_sets.texts if by_length else validation.texts
    members = []
    logits = []
    references_of = {}
    for name in config.members:
        model, manifest = load_model(artifacts_dir / name)
        references_of[name] = {key: manifest[key] for key in ("model_sha256", "model_version")}
        members.append(logit_model(model, name=name))  # unique layer names inside the ensemble
        logits.append(Predictor(model, manifest, artifacts_dir / name).predict_logits(texts))
        right = (logits[-1][: len(validation)] >= 0) == validation.labels
        print(f"member {name}: validation accuracy {right.mean():.4f}", flush=True)
    all_logits = np.stack(logits, axis=1)
    features = all_logits[: len(validation)]
    subsets = _subset_accuracies(config.members, features, validation.labels)
    if by_length:
        stack, history = stack_by_length(config, all_logits, choice_sets)
    else:
        stacker = LogisticRegression(C=1.0).fit(features, validation.labels)
        stack = LogitStack(stacker.coef_.ravel().tolist(), float(stacker.intercept_[0]), name="logit_stack")
        history = {}
    # What is saved is only the stacking head; the members stay in their own artifact folders and are
    # joined to it when it loads (ml.inference.artifact.load_model), each checked against the sha256 recorded here.
    member_logits = keras.Input(shape=(len(members),), name="member_logits")
    if stack.by_length:
        texts = keras.Input(shape=(), dtype="string", name="text")
        combined, inputs = stack(member_logits, texts), [member_logits, texts]
    else:
        combined, inputs = stack(member_logits), member_logits
    head = keras.Model(inputs, keras.layers.Activation("sigmoid", name="positive")(combined), name="ensemble")
    model = stacked_model(stack, members, name="ensemble")
    references = {"member_artifacts": [{"name": name, **references_of[name]} for name in config.members]}
    history = {
        "member_weights": dict(zip(config.members, stack.weights_, strict=False)),
        "bias": stack.bias,
        **history,
        "subset_cv_accuracy": subsets,
    }
    return TrainResult(model, history, head=head, references=references)


def stack_by_length(config: TrainConfig, logits: np.ndarray, choice_sets: ChoiceSets) -> tuple[LogitStack, dict]:
    """A LogitStack fit by length (and, as a candidate, by the gate: a negation or contrast word in the text)
    on every validation set. Of config.length_scales, REVIEW_WEIGHTS (how much the reviews weigh in the fit
    against SST-2 dev and counterfactual dev, which weigh one each), TEMPLATE_WEIGHTS and the gate off or on,
    the choice whose 5-fold cross-validated figures ChoiceSets.best prefers; so the figures recorded are
    not in-sample."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold

    texts, labels = choice_sets.texts, choice_sets.labels  # `logits`: each member's, a column, for these texts
    words = word_counts(texts)
    gates = _gates(texts)
    folds = list(StratifiedKFold(n_splits=5, shuffle=True, random_state=0).split(logits, labels))
    figures_of, stackers = {}, {}
    for key in product(config.length_scales, REVIEW_WEIGHTS, TEMPLATE_WEIGHTS, (False, True)):
        scale, review_weight, template_weight, gated = key
        if template_weight and choice_sets.templated_dev is None:
            continue
        features = _features(logits, words, scale, gates if gated else None)
        # Each set weighs its share in the fit, whatever its size.
        shares = np.array([review_weight, 1.0, 1.0, template_weight][: len(choice_sets.sizes)])
        weights = np.concatenate(
            [
                np.full(size, len(texts) * share / shares.sum() / size)
                for size, share in zip(choice_sets.sizes, shares, strict=True)
            ]
        )
        held_out = np.empty(len(texts))
        for fit, test in folds:
            fold = LogisticRegression(C=1.0).fit(features[fit], labels[fit], sample_weight=weights[fit])
            held_out[test] = fold.predict_proba(features[test])[:, 1]
        figures_of[key] = choice_sets.figures(held_out)
        stackers[key] = LogisticRegression(C=1.0).fit(features, labels, sample_weight=weights)
        print(f"stacking {_name(key)}: { ({name: round(value, 4) for name, value in figures_of[key].items()}) }")
    key = ChoiceSets.best(stackers, figures_of)
    scale, review_weight, template_weight, gated = key
    k = logits.shape[1]
    coef = stackers[key].coef_.ravel()
    stack = LogitStack(
        coef[:k].tolist(),
        float(stackers[key].intercept_[0]),
        short_weights=coef[k : 2 * k].tolist(),
        short_bias=float(coef[2 * k]),
        length_scale=float(scale),
        gate_weights=coef[2 * k + 1 : 3 * k + 1].tolist() if gated else None,
        gate_bias=float(coef[3 * k + 1]) if gated else 0.0,
        gate_words=list(GATE_WORDS) if gated else None,
        name="logit_stack",
    )
    history = {
        "length_scale": float(scale),
        "review_weight": float(review_weight),
        "template_weight": float(template_weight),
        "gated": bool(gated),
        "short_weights": dict(zip(config.members, stack.short_weights, strict=False)),
        "short_bias": stack.short_bias,
        "gate_weights": dict(zip(config.members, stack.gate_weights, strict=False)),
        "gate_bias": stack.gate_bias,
        "stack_cv_figures": {_name(key): value for key, value in figures_of.items()},
    }
    return stack, history


def _name(key: tuple) -> str:
    scale, review_weight, template_weight, gated = key
    return f"scale={scale:g},reviews={review_weight:g},templated={template_weight:g},gated={int(gated)}"


def _gates(texts: list[str]) -> np.ndarray:
    """g of each text, computed by LogitStack itself (the stack that serves computes the same)."""
    import tensorflow as tf

    gate = LogitStack([0.0], 0.0, length_scale=1.0, gate_words=list(GATE_WORDS)).gate
    return np.concatenate(
        [gate(tf.constant(texts[i : i + 4096])).numpy().reshape(-1) for i in range(0, len(texts), 4096)]
    )


def _features(logits: np.ndarray, words: np.ndarray, scale: float, gates: np.ndarray | None) -> np.ndarray:
    """[log-odds, log-odds * s, s] with s = scale / (words + scale), and [log-odds * g, g] when gated: the
    terms LogitStack weighs."""
    short = (scale / (words + scale))[:, None]
    columns = [logits, logits * short, short]
    if gates is not None:
        columns += [logits * gates[:, None], gates[:, None]]
    return np.concatenate(columns, axis=1)


def _subset_accuracies(names: tuple[str, ...], features: np.ndarray, labels: np.ndarray) -> dict[str, float]:
    """5-fold cross-validated accuracy, on the validation split, of stacking each subset of the members:
    the evidence for choosing which members an ensemble needs (the stacker is fit on that split, so its
    plain accuracy there would flatter it)."""
    from itertools import combinations

    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold, cross_val_score

    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)
    results = {}
    for size in range(1, len(names) + 1):
        for subset in combinations(range(len(names)), size):
            scores = cross_val_score(LogisticRegression(C=1.0), features[:, subset], labels, cv=folds)
            key = "+".join(names[i] for i in subset)
            results[key] = round(float(scores.mean()), 4)
            print(f"stacking {key}: cross-validated validation accuracy {results[key]:.4f}", flush=True)
    return results
