"""Short training and validation texts cut from whole reviews: what visitors type is a sentence or two.

Training spans: every sentence of 3 to 60 words of a training review, labelled by its review's label.
That label is noisy (a positive review has neutral and critical sentences), so each span joins the fit
with a weight below one (`TrainConfig.span_weight`, chosen on validation).

Validation sentences, the documented procedure behind every short-text choice: every sentence of 3 to
60 words of a *validation* review rated 1-2 or 9-10 stars, labelled by that review's label. Strongly
rated reviews have few sentences that lean against their verdict, so accuracy on them tracks accuracy
on real sentences; it is never read from the public sentence sets (`ml.data.sentence_sets`), which only
report.
"""

from __future__ import annotations

import re

import numpy as np

from ml.data import Split
from ml.text.sentences import split_sentences

MIN_WORDS, MAX_WORDS = 3, 60
# Reviews this strongly rated have few sentences that lean against their verdict.
VERDICT_RATINGS = frozenset({1, 2, 9, 10})
_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)  # the archive's paragraph marks


def paragraphs_as_lines(text: str) -> str:
    """The archive marks paragraphs with <br />: make them line breaks, where a sentence always ends."""
    return _BREAK.sub("\n", text)


def sentences_of(text: str, *, min_words: int = MIN_WORDS, max_words: int | None = MAX_WORDS) -> list[str]:
    """An archive review's sentences of `min_words` to `max_words` words (no upper bound: None)."""
    return [
        sentence
        for sentence in split_sentences(paragraphs_as_lines(text))
        if min_words <= len(sentence.split()) <= (max_words or len(sentence.split()))
    ]


def review_sentences(split: Split, *, ratings: set[int] | None = None) -> tuple[Split, np.ndarray]:
    """The sentences of each review (optionally only reviews with these ratings) as a Split with the
    review's label and a zero rating, and the index of the review each came from."""
    texts, labels, origin = [], [], []
    for index, text in enumerate(split.texts):
        if ratings is not None and int(split.ratings[index]) not in ratings:
            continue
        for sentence in sentences_of(text):
            texts.append(sentence)
            labels.append(split.labels[index])
            origin.append(index)
    origin_array = np.asarray(origin, dtype=np.int64)
    return Split(
        texts, np.asarray(labels, dtype=split.labels.dtype), np.zeros(len(texts), dtype=np.int32)
    ), origin_array


def training_spans(train: Split) -> Split:
    return review_sentences(train)[0]


def validation_sentences(validation: Split) -> Split:
    return review_sentences(validation, ratings=VERDICT_RATINGS)[0]
