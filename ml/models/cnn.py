"""CNN: word embeddings, Conv1D of several widths, max-pooling over time (Kim 2014)."""

import keras

from ml.config import TrainConfig
from ml.models.layers import MaskedGlobalMaxPool, TokenMask
from ml.preprocessing import FitLength


def build_model(config: TrainConfig, vectorizer: keras.layers.TextVectorization) -> keras.Model:
    texts = keras.Input(shape=(), dtype="string", name="text")
    ids = FitLength(config.max_length, min_length=max(config.kernel_sizes), name="fit_length")(vectorizer(texts))
    mask = TokenMask(name="token_mask")(ids)
    x = keras.layers.Embedding(vectorizer.vocabulary_size(), config.embedding_dim, name="embedding")(ids)
    x = keras.layers.SpatialDropout1D(0.2)(x)
    pooled = []
    for width in config.kernel_sizes:
        features = keras.layers.Conv1D(config.filters, width, activation="relu", name=f"conv{width}")(x)
        pooled.append(MaskedGlobalMaxPool(window=width, name=f"max_pool{width}")(features, mask))
    x = keras.layers.Concatenate()(pooled) if len(pooled) > 1 else pooled[0]
    x = keras.layers.Dropout(config.dropout)(x)
    outputs = keras.layers.Dense(1, activation="sigmoid", name="positive")(x)
    return keras.Model(texts, outputs, name="cnn")
