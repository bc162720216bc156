"""Custom layers shared by the architectures; registered so that the saved models load anywhere."""

from __future__ import annotations

import keras
import tensorflow as tf

from ml.text.preprocessing import standardize


@keras.saving.register_keras_serializable(package="sentisite")
class TokenMask(keras.layers.Layer):
    """True where a token id is a real token (padding is id 0)."""

    def call(self, ids):
        return tf.not_equal(ids, 0)


@keras.saving.register_keras_serializable(package="sentisite")
class MaskedGlobalMaxPool(keras.layers.Layer):
    """Max over the time steps that hold real input, so padding never changes a row's result.

    `window` is the convolution width that produced the features ('valid' padding): a row of L
    tokens (at least `window`, see FitLength) has L - window + 1 real positions.
    """

    def __init__(self, window: int = 1, **kwargs):
        super().__init__(**kwargs)
        self.window = window

    def call(self, features, mask):
        lengths = tf.reduce_sum(tf.cast(mask, tf.int32), axis=1)
        lengths = tf.maximum(lengths, self.window)
        positions = tf.range(tf.shape(features)[1])[tf.newaxis, :]
        valid = positions < (lengths - self.window + 1)[:, tf.newaxis]
        very_small = tf.cast(-1e9, features.dtype)
        pooled = tf.reduce_max(tf.where(valid[:, :, tf.newaxis], features, very_small), axis=1)
        return pooled

    def get_config(self):
        return {**super().get_config(), "window": self.window}


@keras.saving.register_keras_serializable(package="sentisite")
class MaskedGlobalAveragePool(keras.layers.Layer):
    """Mean over the real time steps (0 for an empty text)."""

    def call(self, features, mask):
        weights = tf.cast(mask, features.dtype)[:, :, tf.newaxis]
        total = tf.reduce_sum(features * weights, axis=1)
        return total / tf.maximum(tf.reduce_sum(weights, axis=1), 1.0)


@keras.saving.register_keras_serializable(package="sentisite")
class ShiftedContext(keras.layers.Layer):
    """Lai et al.'s contexts: the left context of word i is the forward state after word i-1, the right
    context the backward state after word i+1; the ends get the zero initial state."""

    def call(self, forward, backward, mask):
        weights = tf.cast(mask, forward.dtype)[:, :, tf.newaxis]
        forward, backward = forward * weights, backward * weights
        left = tf.pad(forward[:, :-1], [[0, 0], [1, 0], [0, 0]])
        right = tf.pad(backward[:, 1:], [[0, 0], [0, 1], [0, 0]])
        return left, right


@keras.saving.register_keras_serializable(package="sentisite")
class ScopeMarks(keras.layers.Layer):
    """Two marks per token for the sentence network (ml/models/reader.py): is it within `scope` tokens after a
    negation ("not", "never", ... : negation-scope marking, Das & Chen 2001, Pang et al. 2002), and does it
    come after a contrast word ("but", "however": the clause that usually decides). Token ids in, a
    (batch, length, 2) float tensor out, 0 on padding. The word lists are vocabulary ids, fixed at build."""

    def __init__(self, negation_ids: list[int], contrast_ids: list[int], scope: int = 3, **kwargs):
        super().__init__(**kwargs)
        self.negation_ids = [int(i) for i in negation_ids]
        self.contrast_ids = [int(i) for i in contrast_ids]
        self.scope = int(scope)

    @staticmethod
    def _is_any(ids, chosen: list[int]):
        if not chosen:
            return tf.zeros(tf.shape(ids), tf.float32)
        return tf.cast(tf.reduce_any(tf.equal(ids[:, :, tf.newaxis], tf.constant(chosen, ids.dtype)), -1), tf.float32)

    def call(self, ids):
        length = tf.shape(ids)[1]
        negation = tf.pad(self._is_any(ids, self.negation_ids), [[0, 0], [self.scope, 0]])
        # Token t is in scope when one of tokens t-1 ... t-scope is a negation.
        in_scope = tf.reduce_max(
            tf.stack([negation[:, self.scope - k : self.scope - k + length] for k in range(1, self.scope + 1)], -1), -1
        )
        contrast = self._is_any(ids, self.contrast_ids)
        after_contrast = tf.cast(tf.cumsum(contrast, axis=1, exclusive=True) > 0, tf.float32)
        real = tf.cast(tf.not_equal(ids, 0), tf.float32)
        return tf.stack([in_scope * real, after_contrast * real], axis=-1)

    def get_config(self):
        return {
            **super().get_config(),
            "negation_ids": self.negation_ids,
            "contrast_ids": self.contrast_ids,
            "scope": self.scope,
        }


@keras.saving.register_keras_serializable(package="sentisite")
class Negated(keras.layers.Layer):
    """Each token's vector, or its negated form where ScopeMarks marks it as negated (mark 0)."""

    def call(self, vectors, negated_vectors, marks):
        negated = marks[:, :, :1]
        return vectors + negated * (negated_vectors - vectors)


@keras.saving.register_keras_serializable(package="sentisite")
class LogitStack(keras.layers.Layer):
    """Combine member log-odds as a weighted sum (weights and bias fit on validation); log-odds out.

    With `length_scale` > 0 the weights depend on the text: member i weighs
    weights_[i] + short_weights[i] * s + gate_weights[i] * g, and the bias is bias + short_bias * s +
    gate_bias * g, where s = length_scale / (words + length_scale) is 1 for a text of no words and falls
    towards 0 for a long review, and g is 1 when the text holds one of `gate_words` (a negation or a
    contrast word; none: g is 0). So the sentence network (ml/models/reader.py) can lead on a typed sentence
    that negates, and the n-gram models on a whole review. The layer then takes the raw texts as its second
    input."""

    def __init__(
        self,
        weights_: list[float],
        bias: float,
        short_weights: list[float] | None = None,
        short_bias: float = 0.0,
        length_scale: float = 0.0,
        gate_weights: list[float] | None = None,
        gate_bias: float = 0.0,
        gate_words: list[str] | None = None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.weights_ = [float(w) for w in weights_]
        self.bias = float(bias)
        self.short_weights = [float(w) for w in short_weights] if short_weights else [0.0] * len(self.weights_)
        self.short_bias = float(short_bias)
        self.length_scale = float(length_scale)
        self.gate_weights = [float(w) for w in gate_weights] if gate_weights else [0.0] * len(self.weights_)
        self.gate_bias = float(gate_bias)
        self.gate_words = [str(word) for word in gate_words or []]
        if not len(self.short_weights) == len(self.gate_weights) == len(self.weights_):
            raise ValueError("a LogitStack needs as many short and gate weights as weights")

    @property
    def by_length(self) -> bool:
        return self.length_scale > 0

    def shortness(self, texts):
        """s for each text: length_scale / (whitespace-separated words + length_scale), as a column."""
        words = tf.cast(tf.strings.split(tf.reshape(texts, [-1])).row_lengths(), tf.float32)
        return tf.reshape(self.length_scale / (words + self.length_scale), [-1, 1])

    def gate(self, texts):
        """g for each text: 1.0 when its normalised words hold one of gate_words, else 0.0, as a column."""
        texts = tf.reshape(texts, [-1])
        if not self.gate_words:
            return tf.zeros([tf.shape(texts)[0], 1], tf.float32)
        pattern = ".*(?:^| )(?:" + "|".join(self.gate_words) + ")(?: |$).*"
        return tf.reshape(tf.cast(tf.strings.regex_full_match(standardize(texts), pattern), tf.float32), [-1, 1])

    def call(self, logits, texts=None):
        stacked = tf.concat(logits, axis=-1) if isinstance(logits, list | tuple) else logits
        combined = tf.reduce_sum(stacked * tf.constant(self.weights_, dtype=stacked.dtype), -1, keepdims=True)
        combined += self.bias
        if not self.by_length:
            return combined
        if texts is None:
            raise ValueError("a LogitStack fit by length needs the texts")
        for condition, weights, bias in (
            (self.shortness(texts), self.short_weights, self.short_bias),
            (self.gate(texts), self.gate_weights, self.gate_bias),
        ):
            weighted = tf.reduce_sum(stacked * tf.constant(weights, dtype=stacked.dtype), -1, keepdims=True)
            combined += tf.cast(condition, stacked.dtype) * (weighted + bias)
        return combined

    def member_weights(self, shortness: float, gate: float = 0.0) -> list[float]:
        """Each member's weight for a text of that shortness and gate (ml.explanation scales explanations by it)."""
        return [
            w + v * shortness + u * gate
            for w, v, u in zip(self.weights_, self.short_weights, self.gate_weights, strict=True)
        ]

    def bias_for(self, shortness: float, gate: float = 0.0) -> float:
        return self.bias + self.short_bias * shortness + self.gate_bias * gate

    def get_config(self):
        return {
            **super().get_config(),
            "weights_": self.weights_,
            "bias": self.bias,
            "short_weights": self.short_weights,
            "short_bias": self.short_bias,
            "length_scale": self.length_scale,
            "gate_weights": self.gate_weights,
            "gate_bias": self.gate_bias,
            "gate_words": self.gate_words,
        }


@keras.saving.register_keras_serializable(package="sentisite")
class SublinearTfidf(keras.layers.Layer):
    """n-gram counts (a sparse batch from TextVectorization) to scikit-learn's sublinear tf-idf
    (`TfidfTransformer(sublinear_tf=True)`, which training fits): (1 + ln count) * idf, each row
    scaled to unit length. The idf of [UNK] (index 0) is 0, so n-grams
    outside the vocabulary count neither in the score nor in the length."""

    def __init__(self, vocabulary_size: int, **kwargs):
        super().__init__(**kwargs)
        self.vocabulary_size = vocabulary_size
        self.idf = self.add_weight(
            shape=(vocabulary_size,), initializer="ones", trainable=False, name="idf", dtype="float32"
        )

    def call(self, counts):
        if not isinstance(counts, tf.SparseTensor):  # Keras traces the layer with a dense stand-in
            counts = tf.cast(counts, self.idf.dtype)
            weighted = tf.where(counts > 0, 1.0 + tf.math.log(tf.maximum(counts, 1.0)), 0.0) * self.idf
            return tf.math.divide_no_nan(weighted, tf.norm(weighted, axis=1, keepdims=True))
        values = (1.0 + tf.math.log(tf.cast(counts.values, self.idf.dtype))) * tf.gather(self.idf, counts.indices[:, 1])
        rows = counts.indices[:, 0]
        norms = tf.sqrt(tf.math.unsorted_segment_sum(tf.square(values), rows, tf.cast(counts.dense_shape[0], tf.int32)))
        values = tf.math.divide_no_nan(values, tf.gather(norms, rows))
        return tf.SparseTensor(counts.indices, values, counts.dense_shape)

    def get_config(self):
        return {**super().get_config(), "vocabulary_size": self.vocabulary_size}
