"""RNN: a bidirectional GRU read over the whole review, max- and mean-pooled over time."""

import keras

from ml.config import TrainConfig
from ml.models.common import embedded_tokens, positive_probability
from ml.models.layers import MaskedGlobalAveragePool, MaskedGlobalMaxPool


def build_model(config: TrainConfig, vectorizer: keras.layers.TextVectorization) -> keras.Model:
    texts, mask, x = embedded_tokens(config, vectorizer)
    x = keras.layers.Bidirectional(keras.layers.GRU(config.units, return_sequences=True), name="bigru")(x, mask=mask)
    # Pooling every state, not just the last, keeps long reviews from forgetting their start.
    x = keras.layers.Concatenate()([MaskedGlobalMaxPool()(x, mask), MaskedGlobalAveragePool()(x, mask)])
    return keras.Model(texts, positive_probability(config, x), name="rnn")
