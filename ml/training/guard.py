"""What measures us never trains us: training sets are checked against the public sentence sets and the
CheckList suite, and refused when they hold any of their texts."""

from __future__ import annotations

import functools
import re

import numpy as np

from ml.data import DatasetError, Split
from ml.data.sentence_sets import load_sentence_sets
from ml.evaluation.checklist import build_suite

_WORD = re.compile(r"[^\W_]+")
# A text this short ("great", "not bad") is a phrase any data set may hold by coincidence (SST-2 labels
# every sub-phrase of its sentences: "gets the job done" is in it and in a sentence set); a match from 5 words
# up is a copied test text.
MIN_WORDS = 5


def fingerprint(text: str) -> str:
    """Lowercase words only, so that punctuation, case and tokenisation (SST's "does n't") do not hide a copy."""
    return " ".join(_WORD.findall(text.lower().replace("n't", "nt").replace("n’t", "nt").replace(" nt ", "nt ")))


@functools.cache
def measurement_fingerprints() -> frozenset[str]:
    """The public sentence sets (when present) and every CheckList case, as fingerprints of 5+ words."""
    texts = [case.text for case in build_suite()] + [case.original for case in build_suite() if case.original]
    for sentences, _ in load_sentence_sets().values():
        texts.extend(sentences)
    return frozenset(print_ for print_ in map(fingerprint, texts) if len(print_.split()) >= MIN_WORDS)


def refuse_measurement_texts(texts: list[str], source: str) -> None:
    """Raise a DatasetError naming `source` when any of its texts is a test text of 5 words or more."""
    measured = measurement_fingerprints()
    copied = [text for text in texts if fingerprint(text) in measured]
    if copied:
        raise DatasetError(
            f"{source} holds {len(copied)} text(s) of the public sentence sets or the CheckList suite "
            f"(first: {copied[0][:80]!r}); those only measure, never train"
        )


def without_measurement_texts(split: Split) -> tuple[Split, int]:
    """`split` without the texts that are test texts, and how many went: for texts we cut ourselves from the
    training reviews, since the public IMDB sentence set was itself cut from IMDB reviews."""
    measured = measurement_fingerprints()
    kept = np.array([index for index, text in enumerate(split.texts) if fingerprint(text) not in measured], dtype=int)
    return split.subset(kept), len(split) - len(kept)
