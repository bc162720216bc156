"""Counterfactually-augmented IMDB (Kaushik et al. 2020): a review and the same review minimally edited by
a person so that its verdict flips. For training and choosing; the test split is kept out on purpose."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ml.data.files import read_tsv, verified
from ml.data.imdb import DatasetError, Split
from ml.paths import SHARED_DATA

SPLITS = {"train": "train_paired.tsv", "dev": "dev_paired.tsv"}
LABELS = {"Positive": 1, "Negative": 0}
_WORD = re.compile(r"[^\W_]+")
_TAG = re.compile(r"<[^>]{0,200}>")


@dataclass(frozen=True)
class PairedReviews:
    """Both reviews of every pair, in file order; `pair_ids[i]` names the pair of review i."""

    reviews: Split
    pair_ids: np.ndarray

    def __len__(self) -> int:
        return len(self.reviews)


def counterfactual_root() -> Path:
    """$COUNTERFACTUAL_DATA, else ../shared/data/counterfactual beside the project."""
    return Path(os.environ.get("COUNTERFACTUAL_DATA") or SHARED_DATA / "counterfactual")


def load_counterfactual(split: str, root: Path | None = None) -> PairedReviews:
    """`train` (1,707 pairs) or `dev` (245 pairs); every pair holds one positive and one negative review."""
    if split not in SPLITS:
        raise DatasetError(f"counterfactual split must be one of {', '.join(SPLITS)}, not {split!r}")
    path = verified(Path(root or counterfactual_root()) / SPLITS[split])
    rows = read_tsv(path, ("Sentiment", "Text", "batch_id"))
    unknown = {row["Sentiment"] for row in rows} - set(LABELS)
    if unknown:
        raise DatasetError(f"{path}: sentiment must be Positive or Negative, got {', '.join(sorted(unknown))}")
    pair_ids = np.array([row["batch_id"] for row in rows])
    labels = np.array([LABELS[row["Sentiment"]] for row in rows], dtype=np.int32)
    for pair in np.unique(pair_ids):
        if sorted(labels[pair_ids == pair]) != [0, 1]:
            raise DatasetError(f"{path}: pair {pair} is not one positive and one negative review")
    reviews = Split([row["Text"] for row in rows], labels, np.zeros(len(rows), dtype=np.int32))
    return PairedReviews(reviews, pair_ids)


def _opening(text: str) -> str:
    """The first 200 characters of a text's lowercase words: how a pair's original is found among the
    IMDB reviews (the data set's copies differ from the archive's in spacing and markup)."""
    return " ".join(_WORD.findall(_TAG.sub(" ", text.lower())))[:200]


def without_pairs_in(pairs: PairedReviews, *splits: Split) -> PairedReviews:
    """The pairs none of whose reviews is one of `splits`' reviews (the film-grouped validation split and
    the test set: a pair whose original is there would teach the model a review it is measured on)."""
    held_out = {_opening(text) for split in splits for text in split.texts}
    leaked = {
        pair for pair, text in zip(pairs.pair_ids, pairs.reviews.texts, strict=True) if _opening(text) in held_out
    }
    kept = np.flatnonzero(~np.isin(pairs.pair_ids, list(leaked)))
    return PairedReviews(pairs.reviews.subset(kept), pairs.pair_ids[kept])
