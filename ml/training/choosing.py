"""The validation sets every training choice is made on: whole reviews (the film-grouped IMDB split),
short texts (SST-2 dev), minimal edits (counterfactual dev pairs) and, for a run that learns from our
templated negations and contrasts, their held-out part (words and phrases no training text negated or
joined: ml.data.templated), which is reported beside the others but chooses nothing. Never a test set."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ml.data import Split
from ml.data.counterfactual import PairedReviews, load_counterfactual
from ml.data.sst import load_sst2
from ml.data.templated import templated_texts
from ml.evaluation.metrics import pairs_both_right

# How much whole-review validation accuracy a choice may give up for short texts and edits (as the
# short-text weight's rule: docs/models.md).
REVIEW_TOLERANCE = 0.005


@dataclass(frozen=True)
class ChoiceSets:
    validation: Split
    sst_dev: Split | None = None
    counterfactual_dev: PairedReviews | None = None
    templated_dev: Split | None = None

    @classmethod
    def load(cls, validation: Split, *, short_texts_and_edits: bool, templated: bool = False) -> ChoiceSets:
        """The IMDB validation split, with SST-2 dev and counterfactual dev when the run learns from them, and
        the held-out templated texts when it learns from the others."""
        if not short_texts_and_edits:
            return cls(validation)
        held_out = templated_texts(load_sst2("train"), seed=0, part="validation") if templated else None
        return cls(validation, load_sst2("dev"), load_counterfactual("dev"), held_out if held_out else None)

    @property
    def texts(self) -> list[str]:
        return [text for split in self._splits for text in split.texts]

    @property
    def labels(self) -> np.ndarray:
        """The labels of `texts`, in order."""
        return np.concatenate([split.labels for split in self._splits]).astype(np.int32)

    @property
    def sizes(self) -> list[int]:
        """How many texts each set holds, in the order of `texts`."""
        return [len(split) for split in self._splits]

    @property
    def _splits(self) -> list[Split]:
        splits = [self.validation]
        if self.sst_dev is not None:
            splits.append(self.sst_dev)
        if self.counterfactual_dev is not None:
            splits.append(self.counterfactual_dev.reviews)
        if self.templated_dev is not None:
            splits.append(self.templated_dev)
        return splits

    def figures(self, probabilities: np.ndarray) -> dict[str, float]:
        """Accuracy on each set (probabilities for `texts`, in order) and the pairs with both reviews right."""
        probabilities = np.asarray(probabilities).reshape(-1)
        start, end = 0, len(self.validation)
        figures = {"val_accuracy": _accuracy(probabilities[start:end], self.validation.labels)}
        if self.sst_dev is not None:
            start, end = end, end + len(self.sst_dev)
            figures["sst2_dev_accuracy"] = _accuracy(probabilities[start:end], self.sst_dev.labels)
        if self.counterfactual_dev is not None:
            start, end = end, end + len(self.counterfactual_dev)
            edits = self.counterfactual_dev
            figures["counterfactual_dev_accuracy"] = _accuracy(probabilities[start:end], edits.reviews.labels)
            figures["counterfactual_dev_pairs"] = pairs_both_right(
                probabilities[start:end], edits.reviews.labels, edits.pair_ids
            )
        if self.templated_dev is not None:
            start, end = end, end + len(self.templated_dev)
            figures["templated_dev_accuracy"] = _accuracy(probabilities[start:end], self.templated_dev.labels)
        return figures

    @classmethod
    def best(cls, candidates: dict, figures_of: dict) -> object:
        """The candidate with the best score among those within REVIEW_TOLERANCE of the best review accuracy:
        short texts and edits may cost whole reviews, the product's first measure, only that much."""
        top = max(figures_of[key]["val_accuracy"] for key in candidates)
        eligible = [key for key in candidates if figures_of[key]["val_accuracy"] >= top - REVIEW_TOLERANCE]
        return max(eligible, key=lambda key: cls.score(figures_of[key]))

    @staticmethod
    def score(figures: dict[str, float]) -> float:
        """What a choice maximises: the mean of review accuracy, short-text accuracy and pairs both right (review
        accuracy alone when the run learns from reviews only). The held-out templated texts are scored and
        recorded but choose nothing: texts we wrote flatter us (a stack chosen on them lost natural sentences)."""
        keys = ("val_accuracy", "sst2_dev_accuracy", "counterfactual_dev_pairs")
        chosen = [figures[key] for key in keys if key in figures]
        return float(np.mean(chosen))


def _accuracy(probabilities: np.ndarray, labels: np.ndarray) -> float:
    return float(((probabilities >= 0.5) == labels).mean())
