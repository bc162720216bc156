"""The front and the head that every network shares: raw strings in, one probability out."""

import keras

from ml.config import TrainConfig
from ml.models.layers import TokenMask
from ml.text.preprocessing import FitLength


def token_ids(config: TrainConfig, vectorizer: keras.layers.TextVectorization, *, min_length: int = 1):
    """Raw strings -> token ids (head+tail cut, padded to `min_length`): (input, ids, padding mask)."""
    texts = keras.Input(shape=(), dtype="string", name="text")
    ids = FitLength(config.max_length, min_length=min_length, name="fit_length")(vectorizer(texts))
    return texts, ids, TokenMask(name="token_mask")(ids)


def embed(config: TrainConfig, vectorizer: keras.layers.TextVectorization, ids):
    """The embedding layer every network starts from (named "embedding": explanations integrate from it)."""
    embedded = keras.layers.Embedding(vectorizer.vocabulary_size(), config.embedding_dim, name="embedding")(ids)
    return keras.layers.SpatialDropout1D(0.2)(embedded)


def embedded_tokens(config: TrainConfig, vectorizer: keras.layers.TextVectorization, *, min_length: int = 1):
    """Raw strings -> token ids (head+tail cut, padded to `min_length`) -> (input, padding mask, embeddings)."""
    texts, ids, mask = token_ids(config, vectorizer, min_length=min_length)
    return texts, mask, embed(config, vectorizer, ids)


def positive_probability(config: TrainConfig, features):
    """Dropout, then the probability that the review is positive."""
    features = keras.layers.Dropout(config.dropout)(features)
    return keras.layers.Dense(1, activation="sigmoid", name="positive")(features)


def stacked_model(stack: keras.layers.Layer, members: list[keras.Model], name: str) -> keras.Model:
    """Raw strings -> each member's log-odds -> `stack` (a LogitStack) -> a sigmoid named "positive".

    The sigmoid is a new layer for each graph: logit_model() reads the input of "positive", which must be
    unambiguous (a layer called in two graphs has two inputs)."""
    texts = keras.Input(shape=(), dtype="string", name="text")
    logits = [member(texts) for member in members]
    combined = stack(logits, texts) if stack.by_length else stack(logits)
    outputs = keras.layers.Activation("sigmoid", name="positive")(combined)
    return keras.Model(texts, outputs, name=name)


def logit_model(model: keras.Model, name: str | None = None) -> keras.Model:
    """The same model without its final sigmoid: raw strings in, the positive log-odds out.

    Probabilities saturate at exactly 0 or 1 in float32 once |log-odds| passes ~17, which confident
    reviews (and the n-gram model) reach; stacking and explanations work on the log-odds instead."""
    head = model.get_layer("positive")
    if not isinstance(head, keras.layers.Dense):  # an ensemble's head is a bare sigmoid over its log-odds
        return keras.Model(model.inputs, head.input, name=name or f"{model.name}_logit")
    linear = keras.layers.Dense(1, name="positive_logit")
    outputs = linear(head.input)
    linear.set_weights(head.get_weights())
    return keras.Model(model.inputs, outputs, name=name or f"{model.name}_logit")
