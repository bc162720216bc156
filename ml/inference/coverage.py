"""How much of each text a model reads: how many of its words the vocabulary knows, and whether a network cut it."""

from __future__ import annotations

import re
import string
from dataclasses import dataclass

import numpy as np

# Common words that may prove a text has a known word without running TensorFlow; each is kept only if
# the model's own look-up knows it (a stop-word model drops "the").
ANCHOR_CANDIDATES = (
    "the",
    "and",
    "a",
    "of",
    "to",
    "is",
    "it",
    "in",
    "this",
    "that",
    "was",
    "film",
    "movie",
    "good",
    "bad",
    "great",
    "story",
    "like",
    "just",
    "but",
    "not",
    "one",
    "very",
    "all",
    "so",
    "time",
    "see",
    "really",
    "even",
    "well",
    "plot",
    "acting",
    "best",
    "love",
    "would",
    "if",
    "what",
    "there",
    "be",
    "have",
    "he",
    "she",
    "they",
    "you",
    "i",
    "my",
    "his",
    "her",
    "with",
    "for",
    "as",
    "on",
    "at",
    "by",
    "an",
    "are",
    "from",
    "no",
    "never",
    "ever",
    "worst",
)
_RUN = re.compile(r"[^\W_]+")
# The model's own HTML clean-up (ml.text.preprocessing): a word inside a tag is not read.
_TAG = re.compile(r"<[^>]{0,200}>")
_ENTITY = re.compile(r"&(?:[a-z]{2,8}|#[0-9]{1,7}|#x[0-9a-f]{1,6});")


@dataclass(frozen=True)
class Coverage:
    """Per text: `known` words in the model's vocabulary (the most any member knows, for an ensemble),
    `tokens` the model split it into (the most of any member), `truncated` if a network read only its
    head and tail (FitLength's max_length); n-gram models read every token."""

    known: np.ndarray
    tokens: np.ndarray
    truncated: np.ndarray


def readers_of(model) -> list[tuple[object, int | None]]:
    """(TextVectorization, max_length or None) of the model and of each member model inside it."""
    import keras

    # Imported on first use: it loads TensorFlow, which the site must not import before gunicorn forks.
    from ml.text.preprocessing import FitLength

    found = []
    vectorizers = [layer for layer in model.layers if isinstance(layer, keras.layers.TextVectorization)]
    if vectorizers:
        cuts = [layer.max_length for layer in model.layers if isinstance(layer, FitLength)]
        found.append((vectorizers[0], min(cuts) if cuts else None))
    for layer in model.layers:
        if isinstance(layer, keras.Model):
            found.extend(readers_of(layer))
    return found


def coverage_function(model):
    """texts -> Coverage, through one traced function over the model's own vocabulary tables (no copy
    of a vocabulary is made: an n-gram model's is 400,000 entries; its unigrams are looked up).
    None for a model without a TextVectorization: nothing tells which words it knows."""
    import tensorflow as tf

    # Imported on first use: it loads TensorFlow, which the site must not import before gunicorn forks.
    from ml.explanation.attributions import standardize_batch

    readers = readers_of(model)
    if not readers:
        return None

    def read(texts):
        rows = tf.shape(texts)[0]
        known, tokens, truncated = [], [], []
        for vectorizer, max_length in readers:
            if vectorizer._split != "whitespace":
                raise ValueError("only whitespace-split vectorizers are supported")
            words = tf.strings.split(standardize_batch(vectorizer, texts))
            lookup = vectorizer._lookup_layer
            hits = tf.cast(tf.not_equal(lookup.lookup_table.lookup(words.flat_values), lookup._default_value), tf.int32)
            counts = tf.cast(words.row_lengths(), tf.int32)
            known.append(tf.math.unsorted_segment_sum(hits, words.value_rowids(), rows))
            tokens.append(counts)
            truncated.append(counts > max_length if max_length is not None else tf.zeros_like(counts, dtype=tf.bool))
        return (
            tf.reduce_max(tf.stack(known), axis=0),
            tf.reduce_max(tf.stack(tokens), axis=0),
            tf.reduce_any(tf.stack(truncated), axis=0),
        )

    function = tf.function(read, input_signature=[tf.TensorSpec([None], tf.string)], autograph=False)

    def coverage(texts: list[str]) -> Coverage:
        known, tokens, truncated = function(tf.constant(list(texts), dtype=tf.string))
        return Coverage(known.numpy(), tokens.numpy(), truncated.numpy())

    return coverage


class VerdictReader:
    """Per text: does the model know none of its words, and did a network cut it? Exact, but cheap: a text
    that holds one of the model's anchor words (outside HTML tags, which the model drops) has a known word,
    and one with clearly fewer letter-or-digit runs than max_length was read whole; only the others go
    through TensorFlow (a batch call costs about as much as the model's own)."""

    def __init__(self, model, exact=None):
        """`exact`: texts -> Coverage (a Predictor's `coverage`, so that the traced function is shared)."""
        readers = readers_of(model)
        self.exact = (exact or coverage_function(model)) if readers else None
        cuts = [max_length for _, max_length in readers if max_length is not None]
        self.max_length = min(cuts) if cuts else None
        self.anchors: frozenset[str] = frozenset()
        if self.exact is not None and all(callable(vectorizer._standardize) for vectorizer, _ in readers):
            known = self.exact(list(ANCHOR_CANDIDATES)).known
            self.anchors = frozenset(word for word, count in zip(ANCHOR_CANDIDATES, known, strict=True) if count > 0)

    def _settled(self, text: str) -> bool:
        if self.max_length is not None and len(_RUN.findall(text)) * 1.1 + 5 > self.max_length:
            return False  # maybe truncated (lower-casing or a symbol may split a run): count exactly
        text = text.lower()
        if "<" in text:
            text = _TAG.sub(" ", text)
        if "&" in text:
            text = _ENTITY.sub(" ", text)
        return any(word.strip(string.punctuation) in self.anchors for word in text.split())

    def __call__(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray] | None:
        """(no known word, truncated) per text; None for a model without a vocabulary layer."""
        if self.exact is None:
            return None
        no_known = np.zeros(len(texts), dtype=bool)
        truncated = np.zeros(len(texts), dtype=bool)
        pending = [index for index, text in enumerate(texts) if not self._settled(text)]
        if pending:
            coverage = self.exact([texts[index] for index in pending])
            no_known[pending] = coverage.known == 0
            truncated[pending] = coverage.truncated
        return no_known, truncated
