"""Texts as arrays of token ids, and exact per-class n-gram counts over them."""

from __future__ import annotations

import itertools
from collections import Counter
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Corpus:
    """The tokens of many texts as ids, concatenated, with the text that each token comes from."""

    ids: np.ndarray  # int64 token ids; id = frequency rank (0 = most frequent)
    document: np.ndarray  # the index of each token's text
    vocabulary: list[str]  # most frequent first
    counts: np.ndarray  # occurrences of each vocabulary entry
    lengths: np.ndarray  # tokens per text

    def without(self, words: frozenset[str]) -> Corpus:
        """The same texts with `words` dropped, so the n-grams join their neighbours, as removal does."""
        dropped = np.array([index for index, word in enumerate(self.vocabulary) if word in words], dtype=np.int64)
        keep = ~np.isin(self.ids, dropped)
        counts = self.counts.copy()
        counts[dropped] = 0
        lengths = np.bincount(self.document[keep], minlength=len(self.lengths))
        return Corpus(self.ids[keep], self.document[keep], self.vocabulary, counts, lengths)


@dataclass(frozen=True)
class NgramCounts:
    """How often each n-gram occurs in negative (row 0) and positive (row 1) texts."""

    order: int
    codes: np.ndarray  # each n-gram's ids packed into one int64, sorted
    by_class: np.ndarray  # shape (2, len(codes))
    vocabulary: list[str]

    @property
    def total(self) -> np.ndarray:
        return self.by_class.sum(axis=0)

    def terms(self, indices: np.ndarray) -> list[str]:
        size = len(self.vocabulary)
        codes = self.codes[indices].copy()
        parts = []
        for _ in range(self.order):
            codes, last = np.divmod(codes, size)
            parts.append(last)
        return [" ".join(self.vocabulary[part[row]] for part in reversed(parts)) for row in range(len(indices))]


def encode(texts: list[str]) -> Corpus:
    """Split normalised texts on spaces and number their tokens by descending frequency."""
    tokenized = [text.split() for text in texts]
    lengths = np.fromiter(map(len, tokenized), dtype=np.int64, count=len(tokenized))
    counter = Counter(itertools.chain.from_iterable(tokenized))
    # Ties in frequency are broken alphabetically so that ids (and every table) are reproducible.
    ranked = sorted(counter.items(), key=lambda item: (-item[1], item[0]))
    vocabulary = [word for word, _ in ranked]
    index = {word: rank for rank, word in enumerate(vocabulary)}
    ids = np.fromiter(
        map(index.__getitem__, itertools.chain.from_iterable(tokenized)), dtype=np.int64, count=int(lengths.sum())
    )
    document = np.repeat(np.arange(len(texts), dtype=np.int64), lengths)
    counts = np.array([count for _, count in ranked], dtype=np.int64)
    return Corpus(ids, document, vocabulary, counts, lengths)


def count_ngrams(corpus: Corpus, labels: np.ndarray, order: int) -> NgramCounts:
    """Count every n-gram of `order` tokens inside one text (never across two), per class."""
    size = max(len(corpus.vocabulary), 1)
    if size**order >= 2**63:
        raise ValueError(f"A vocabulary of {size} words is too large to pack {order}-grams into int64.")
    starts = len(corpus.ids) - order + 1
    if starts <= 0:
        return NgramCounts(order, np.zeros(0, np.int64), np.zeros((2, 0), np.int64), corpus.vocabulary)
    codes = np.zeros(starts, dtype=np.int64)
    for offset in range(order):
        codes = codes * size + corpus.ids[offset : offset + starts]
    inside_one_text = corpus.document[:starts] == corpus.document[order - 1 :]
    codes = codes[inside_one_text]
    classes = np.asarray(labels)[corpus.document[:starts][inside_one_text]]
    unique, inverse = np.unique(codes, return_inverse=True)
    by_class = np.stack([np.bincount(inverse[classes == label], minlength=len(unique)) for label in (0, 1)])
    return NgramCounts(order, unique, by_class.astype(np.int64), corpus.vocabulary)


def token_counts(texts: list[str]) -> Counter:
    return Counter(itertools.chain.from_iterable(map(str.split, texts)))
