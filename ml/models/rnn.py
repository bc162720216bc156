"""RNN: a bidirectional GRU read over the whole review, max- and mean-pooled over time."""

import keras

from ml.config import TrainConfig
from ml.models.layers import MaskedGlobalAveragePool, MaskedGlobalMaxPool, TokenMask
from ml.preprocessing import FitLength


def build_model(config: TrainConfig, vectorizer: keras.layers.TextVectorization) -> keras.Model:
    texts = keras.Input(shape=(), dtype="string", name="text")
    ids = FitLength(config.max_length, name="fit_length")(vectorizer(texts))
    mask = TokenMask(name="token_mask")(ids)
    x = keras.layers.Embedding(vectorizer.vocabulary_size(), config.embedding_dim, name="embedding")(ids)
    x = keras.layers.SpatialDropout1D(0.2)(x)
    x = keras.layers.Bidirectional(keras.layers.GRU(config.units, return_sequences=True), name="bigru")(x, mask=mask)
    # Pooling every state, not just the last, keeps long reviews from forgetting their start.
    x = keras.layers.Concatenate()([MaskedGlobalMaxPool()(x, mask), MaskedGlobalAveragePool()(x, mask)])
    x = keras.layers.Dropout(config.dropout)(x)
    outputs = keras.layers.Dense(1, activation="sigmoid", name="positive")(x)
    return keras.Model(texts, outputs, name="rnn")
