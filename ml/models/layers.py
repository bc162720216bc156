"""Custom layers shared by the architectures; registered so that the saved models load anywhere."""

from __future__ import annotations

import keras
import tensorflow as tf


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
class LogitStack(keras.layers.Layer):
    """Combine member log-odds as a weighted sum (weights and bias fit on validation); log-odds out."""

    def __init__(self, weights_: list[float], bias: float, **kwargs):
        super().__init__(**kwargs)
        self.weights_ = [float(w) for w in weights_]
        self.bias = float(bias)

    def call(self, logits):
        stacked = tf.concat(logits, axis=-1) if isinstance(logits, list | tuple) else logits
        weights = tf.constant(self.weights_, dtype=stacked.dtype)
        return tf.reduce_sum(stacked * weights, axis=-1, keepdims=True) + self.bias

    def get_config(self):
        return {**super().get_config(), "weights_": self.weights_, "bias": self.bias}
