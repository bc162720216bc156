"""RCNN of Lai et al. (2015): recurrent left/right context around each word, tanh, max-pooling; no convolution."""

import keras

from ml.config import TrainConfig
from ml.models.common import embedded_tokens, positive_probability
from ml.models.layers import MaskedGlobalMaxPool, ShiftedContext


def build_model(config: TrainConfig, vectorizer: keras.layers.TextVectorization) -> keras.Model:
    texts, mask, embedded = embedded_tokens(config, vectorizer)
    # Forward and backward recurrent states, realigned to word order by Bidirectional.
    forward, backward = keras.layers.Bidirectional(
        keras.layers.GRU(config.units, return_sequences=True), merge_mode=None, name="context_rnn"
    )(embedded, mask=mask)
    left, right = ShiftedContext(name="shifted_context")(forward, backward, mask)
    # x_i = [c_l(w_i); e(w_i); c_r(w_i)], y_i = tanh(W x_i + b)  (equations 3-4 of the paper)
    x = keras.layers.Concatenate(name="word_with_context")([left, embedded, right])
    x = keras.layers.Dense(config.hidden_dim, activation="tanh", name="latent_semantic")(x)
    x = MaskedGlobalMaxPool(name="max_pool")(x, mask)  # equation 5: element-wise max over words
    return keras.Model(texts, positive_probability(config, x), name="rcnn")
