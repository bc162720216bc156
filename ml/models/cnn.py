"""CNN: word embeddings, Conv1D of several widths, max-pooling over time (Kim 2014)."""

import keras

from ml.config import TrainConfig
from ml.models.common import embedded_tokens, positive_probability
from ml.models.layers import MaskedGlobalMaxPool


def build_model(config: TrainConfig, vectorizer: keras.layers.TextVectorization) -> keras.Model:
    texts, mask, x = embedded_tokens(config, vectorizer, min_length=max(config.kernel_sizes))
    pooled = []
    for width in config.kernel_sizes:
        features = keras.layers.Conv1D(config.filters, width, activation="relu", name=f"conv{width}")(x)
        pooled.append(MaskedGlobalMaxPool(window=width, name=f"max_pool{width}")(features, mask))
    x = keras.layers.Concatenate()(pooled) if len(pooled) > 1 else pooled[0]
    return keras.Model(texts, positive_probability(config, x), name="cnn")
