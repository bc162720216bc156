"""The front and the head that every network shares: raw strings in, one probability out."""

import keras

from ml.config import TrainConfig
from ml.models.layers import TokenMask
from ml.preprocessing import FitLength


def embedded_tokens(config: TrainConfig, vectorizer: keras.layers.TextVectorization, *, min_length: int = 1):
    """Raw strings -> token ids (head+tail cut, padded to `min_length`) -> (input, padding mask, embeddings)."""
    texts = keras.Input(shape=(), dtype="string", name="text")
    ids = FitLength(config.max_length, min_length=min_length, name="fit_length")(vectorizer(texts))
    mask = TokenMask(name="token_mask")(ids)
    embedded = keras.layers.Embedding(vectorizer.vocabulary_size(), config.embedding_dim, name="embedding")(ids)
    return texts, mask, keras.layers.SpatialDropout1D(0.2)(embedded)


def positive_probability(config: TrainConfig, features):
    """Dropout, then the probability that the review is positive."""
    features = keras.layers.Dropout(config.dropout)(features)
    return keras.layers.Dense(1, activation="sigmoid", name="positive")(features)
