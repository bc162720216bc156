"""RCNN of Lai et al. (2015): recurrent left/right context around each word, tanh, max-pooling; no convolution."""

import keras

from ml.config import TrainConfig
from ml.models.layers import MaskedGlobalMaxPool, ShiftedContext, TokenMask
from ml.preprocessing import FitLength


def build_model(config: TrainConfig, vectorizer: keras.layers.TextVectorization) -> keras.Model:
    texts = keras.Input(shape=(), dtype="string", name="text")
    ids = FitLength(config.max_length, name="fit_length")(vectorizer(texts))
    mask = TokenMask(name="token_mask")(ids)
    embedded = keras.layers.Embedding(vectorizer.vocabulary_size(), config.embedding_dim, name="embedding")(ids)
    embedded = keras.layers.SpatialDropout1D(0.2)(embedded)
    # Forward and backward recurrent states, realigned to word order by Bidirectional.
    forward, backward = keras.layers.Bidirectional(
        keras.layers.GRU(config.units, return_sequences=True), merge_mode=None, name="context_rnn"
    )(embedded, mask=mask)
    left, right = ShiftedContext(name="shifted_context")(forward, backward, mask)
    # x_i = [c_l(w_i); e(w_i); c_r(w_i)], y_i = tanh(W x_i + b)  (equations 3-4 of the paper)
    x = keras.layers.Concatenate(name="word_with_context")([left, embedded, right])
    x = keras.layers.Dense(config.hidden_dim, activation="tanh", name="latent_semantic")(x)
    x = MaskedGlobalMaxPool(name="max_pool")(x, mask)  # equation 5: element-wise max over words
    x = keras.layers.Dropout(config.dropout)(x)
    outputs = keras.layers.Dense(1, activation="sigmoid", name="positive")(x)
    return keras.Model(texts, outputs, name="rcnn")
