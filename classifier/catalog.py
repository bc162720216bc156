"""The catalogue of shipped models: the only names `?model=` and the model menu accept (an allow-list).

A folder with a config.json is not enough to be served: a model is offered when it is named here and
its folder is present beside the served default (SENTIMENT_MODEL_DIR, which is always served).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ShippedModel:
    name: str  # as ?model= and the menu name it
    folder: str  # a folder name (no path) in the artifacts folder that holds SENTIMENT_MODEL_DIR
    label: str  # what it is, in a few words
    # Explanations cost much more than the verdict (gradients through a recurrent network), so they
    # are limited to SENTIMENT_SLOW_EXPLAIN_MAX_CHARS characters (docs/reliability.md has the figures).
    slow_explanations: bool = False


MODELS: tuple[ShippedModel, ...] = (
    ShippedModel("default", "default", "n-gram tf-idf model, calibrated (served)"),
    ShippedModel(
        "accurate",
        "accurate",
        "the n-gram models, the CNN, the RCNN and the sentence network, stacked by length",
        slow_explanations=True,
    ),
    ShippedModel("reader", "reader", "sentence network: a CNN that marks negation and contrast"),
    ShippedModel("nbsvm_tfidf", "nbsvm_tfidf", "n-gram tf-idf model"),
    ShippedModel("nbsvm", "nbsvm", "n-gram model (NBSVM)"),
    ShippedModel("rcnn", "rcnn", "recurrent-convolutional network", slow_explanations=True),
    ShippedModel("rnn", "rnn", "bidirectional GRU network", slow_explanations=True),
    ShippedModel("cnn", "cnn", "convolutional network", slow_explanations=True),
)


def entry_named(name: str) -> ShippedModel | None:
    return next((model for model in MODELS if model.name == name), None)


def entry_for_folder(folder: str) -> ShippedModel | None:
    return next((model for model in MODELS if model.folder == folder), None)
