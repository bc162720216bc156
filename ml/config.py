"""TrainConfig: every hyper-parameter of a run, overridable from the command line, saved with the model."""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass


@dataclass(frozen=True)
class TrainConfig:
    arch: str = "cnn"
    name: str = ""  # artifact folder name; defaults to the architecture
    # Preprocessing (justified by `python -m ml.exploration`: see ml/results/RESULTS.md).
    max_tokens: int = 30_000
    max_length: int = 400
    remove_stopwords: bool = False
    # Network.
    embedding_dim: int = 64
    # Start the embedding from word2vec vectors of the training and unlabelled reviews (ml.training.word_vectors).
    word_vectors: bool = False
    units: int = 64  # recurrent units per direction (rnn, rcnn)
    hidden_dim: int = 128  # the tanh projection of the RCNN
    filters: int = 128
    kernel_sizes: tuple[int, ...] = (3, 4, 5)
    dropout: float = 0.5
    # Optimisation.
    batch_size: int = 64
    epochs: int = 8
    patience: int = 2
    learning_rate: float = 1e-3
    validation_fraction: float = 0.1
    # "film": validation reviews are about films that no training review is about (the archive's
    # urls_*.txt), as IMDB's test films are; "random" shares films with training and runs optimistic.
    validation_split: str = "film"
    seed: int = 1337
    # Semi-supervised: label the 50k unlabelled training reviews with a teacher artifact's
    # probabilities (knowledge distillation) and train on them as well. Never the test set.
    teacher: str = ""
    # Short texts: sentences cut from the training reviews (ml.data.spans) join the fit with this weight each
    # (0 = none); their review's label is noisy for a single sentence, hence a weight below one.
    span_weight: float = 0.0
    # Phrase-level and counterfactual supervision (ml.data.sst, ml.data.counterfactual): SST-2's 67,349
    # labelled phrases and the human minimal edits that flip a review, each text with this weight (0 = none).
    # Weights are chosen on SST-2 dev and counterfactual dev (docs/models.md); their test splits are held out.
    sst_weight: float = 0.0
    counterfactual_weight: float = 0.0
    # Our own templated negations and contrasts of SST-2's training words and phrases (ml.data.templated),
    # each with this weight (0 = none); chosen on the natural dev sets, never on the CheckList suite.
    template_weight: float = 0.0
    # The n-gram model (NBSVM-style logistic regression on naive-Bayes log-count ratios).
    ngram_max: int = 3
    ngram_vocabulary: int = 400_000
    ngram_min_count: int = 2
    ngram_C: tuple[float, ...] = (0.05, 0.1, 0.3, 1.0)
    # "binary" (Wang & Manning's presence features) or "tfidf" (sublinear tf-idf, rows of unit length).
    ngram_weighting: str = "binary"
    # Also fit a ridge regression of the star rating (1-4, 7-10) on the same features and stack the two
    # scores on validation; both are linear in the features, so they fold into one weight vector.
    rating_head: bool = False
    rating_alpha: float = 1.0
    # The ensemble: names of member artifacts whose logits are stacked.
    members: tuple[str, ...] = ("nbsvm", "cnn", "rnn", "rcnn")
    # Stack the members with weights that depend on the text's length (LogitStack.length_scale), fit on the
    # validation reviews, SST-2 dev and counterfactual dev together; the scale is chosen from these on them
    # by cross-validation (ml/training/ensemble.py). Empty: one set of weights, fit on the reviews.
    length_scales: tuple[float, ...] = ()

    @property
    def artifact_name(self) -> str:
        return self.name or self.arch

    def to_dict(self) -> dict:
        """The fields that apply to this architecture (what config.json records); all for an unknown one."""
        values = dataclasses.asdict(self)
        applies = FIELDS_OF.get(self.arch)
        if applies is None:
            return values
        return {key: value for key, value in values.items() if key in COMMON_FIELDS or key in applies}

    def replace(self, **changes) -> TrainConfig:
        return dataclasses.replace(self, **changes)

    @classmethod
    def from_dict(cls, values: dict) -> TrainConfig:
        """Loads both the per-architecture config.json and older full ones; unknown keys are ignored."""
        known = {f.name: f for f in dataclasses.fields(cls)}
        kwargs = {}
        for key, value in values.items():
            if key not in known:
                continue
            kwargs[key] = tuple(value) if isinstance(value, list) else value
        return cls(**kwargs)

    def with_overrides(self, assignments: list[str]) -> TrainConfig:
        """Apply `key=value` strings (JSON values, e.g. kernel_sizes=[3,5] or dropout=0.3)."""
        known = {f.name: f for f in dataclasses.fields(self)}
        changes = {}
        for assignment in assignments:
            key, sep, raw = assignment.partition("=")
            if not sep or key not in known:
                raise ValueError(f"Unknown setting {key!r}; choose from {', '.join(sorted(known))}.")
            try:
                value = json.loads(raw)
            except json.JSONDecodeError:
                value = raw
            current = getattr(self, key)
            if isinstance(current, tuple):
                value = tuple(value if isinstance(value, list) else [value])
            elif isinstance(current, bool):
                # bool("False") is True: only the words true and false (any case) are accepted.
                if str(raw).strip().lower() not in ("true", "false"):
                    raise ValueError(f"{key} must be true or false, got {raw!r}.")
                value = str(raw).strip().lower() == "true"
            elif isinstance(current, (int, float)) and not isinstance(value, (int, float)):
                raise ValueError(f"{key} must be a number, got {raw!r}.")
            changes[key] = (
                type(current)(value) if isinstance(current, (int, float)) and not isinstance(current, bool) else value
            )
        return dataclasses.replace(self, **changes)


# Which fields each architecture reads, so that config.json records no setting the model never used
# (kernel sizes for an RNN, an n-gram weighting for a CNN).
COMMON_FIELDS = ("arch", "name", "seed", "validation_fraction", "validation_split")
_EXTRA_TRAINING_SETS = ("teacher", "span_weight", "sst_weight", "counterfactual_weight", "template_weight")
_NETWORK = (
    "max_tokens",
    "max_length",
    "remove_stopwords",
    "embedding_dim",
    "word_vectors",
    "dropout",
    "batch_size",
    "epochs",
    "patience",
    "learning_rate",
    *_EXTRA_TRAINING_SETS,
)
FIELDS_OF = {
    "cnn": (*_NETWORK, "filters", "kernel_sizes"),
    "reader": (*_NETWORK, "filters", "kernel_sizes"),
    "rnn": (*_NETWORK, "units"),
    "rcnn": (*_NETWORK, "units", "hidden_dim"),
    "nbsvm": (
        "remove_stopwords",
        "ngram_max",
        "ngram_vocabulary",
        "ngram_min_count",
        "ngram_C",
        "ngram_weighting",
        "rating_head",
        "rating_alpha",
        *_EXTRA_TRAINING_SETS,
    ),
    "ensemble": ("members", "length_scales"),
}

DEFAULTS = {
    "cnn": TrainConfig(arch="cnn", epochs=6, patience=1),
    "rnn": TrainConfig(arch="rnn", epochs=6, patience=1),
    "rcnn": TrainConfig(arch="rcnn", epochs=6, patience=1),
    # The sentence network: 100 tokens at most, word2vec embeddings, SST-2's phrases, the edit pairs and our
    # templated negations and contrasts (docs/models.md has the choices and their figures).
    "reader": TrainConfig(
        arch="reader",
        max_length=100,
        embedding_dim=100,
        filters=100,
        word_vectors=True,
        sst_weight=1.0,
        counterfactual_weight=1.0,
        template_weight=1.0,
        epochs=3,
        patience=2,
    ),
    "nbsvm": TrainConfig(arch="nbsvm"),
    "ensemble": TrainConfig(arch="ensemble", name="default"),
}
