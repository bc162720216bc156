"""The ensemble: the member artifacts' log-odds stacked by a logistic regression fit on validation."""

from __future__ import annotations

from pathlib import Path

import keras
import numpy as np

from ml.config import TrainConfig
from ml.data import Split
from ml.inference.artifact import load_model
from ml.inference.predictor import Predictor
from ml.models.common import logit_model, stacked_model
from ml.models.layers import LogitStack
from ml.models.result import TrainResult


def train_ensemble(config: TrainConfig, train: Split, validation: Split, artifacts_dir: Path) -> TrainResult:
    """Stack the members' logits with weights fit by logistic regression on the validation split."""
    from sklearn.linear_model import LogisticRegression

    members = []
    logits = []
    references_of = {}
    for name in config.members:
        model, manifest = load_model(artifacts_dir / name)
        references_of[name] = {key: manifest[key] for key in ("model_sha256", "model_version")}
        member = logit_model(model, name=name)  # unique layer names inside the ensemble
        member_logits = Predictor(model, manifest, artifacts_dir / name).predict_logits(validation.texts)
        logits.append(member_logits)
        members.append(member)
        print(
            f"member {name}: validation accuracy {((member_logits >= 0) == validation.labels).mean():.4f}", flush=True
        )
    features = np.stack(logits, axis=1)
    subsets = _subset_accuracies(config.members, features, validation.labels)
    stacker = LogisticRegression(C=1.0).fit(features, validation.labels)
    # What is saved is only the stacking head; the members stay in their own artifact folders and are
    # joined to it when it loads (ml.inference.artifact.load_model), each checked against the sha256 recorded here.
    stack = LogitStack(stacker.coef_.ravel().tolist(), float(stacker.intercept_[0]), name="logit_stack")
    member_logits = keras.Input(shape=(len(members),), name="member_logits")
    head = keras.Model(
        member_logits, keras.layers.Activation("sigmoid", name="positive")(stack(member_logits)), name="ensemble"
    )
    model = stacked_model(stack, members, name="ensemble")
    references = {"member_artifacts": [{"name": name, **references_of[name]} for name in config.members]}
    history = {
        "member_weights": dict(zip(config.members, stacker.coef_.ravel().tolist(), strict=False)),
        "bias": float(stacker.intercept_[0]),
        "subset_cv_accuracy": subsets,
    }
    return TrainResult(model, history, head=head, references=references)


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
