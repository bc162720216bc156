"""How much of each text a model reads: how many of its words the vocabulary knows, and whether a network cut it."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


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

    from ml.preprocessing import FitLength

    found = []
    vectorizers = [layer for layer in model.layers if isinstance(layer, keras.layers.TextVectorization)]
    if vectorizers:
        cuts = [layer.max_length for layer in model.layers if isinstance(layer, FitLength)]
        found.append((vectorizers[0], min(cuts) if cuts else None))
    for layer in model.layers:
        if isinstance(layer, keras.Model):
            found.extend(readers_of(layer))
    return found


def _standardize(vectorizer, batch):
    """The vectorizer's own standardisation, as TextVectorization._preprocess applies it (a tensor)."""
    import tensorflow as tf

    from ml.attributions import _KERAS_PUNCTUATION

    standardize = vectorizer._standardize
    if standardize in ("lower", "lower_and_strip_punctuation"):
        batch = tf.strings.lower(batch)
    if standardize in ("strip_punctuation", "lower_and_strip_punctuation"):
        batch = tf.strings.regex_replace(batch, _KERAS_PUNCTUATION, "")
    if callable(standardize):
        batch = standardize(batch)
    return batch


def coverage_function(model):
    """texts -> Coverage, through one traced function over the model's own vocabulary tables (no copy
    of a vocabulary is made: an n-gram model's is 400,000 entries; its unigrams are looked up).
    None for a model without a TextVectorization: nothing tells which words it knows."""
    import tensorflow as tf

    readers = readers_of(model)
    if not readers:
        return None

    def read(texts):
        rows = tf.shape(texts)[0]
        known, tokens, truncated = [], [], []
        for vectorizer, max_length in readers:
            if vectorizer._split != "whitespace":
                raise ValueError("only whitespace-split vectorizers are supported")
            words = tf.strings.split(_standardize(vectorizer, texts))
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
