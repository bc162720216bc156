"""The sentence network ("reader"): Kim's CNN over word vectors, each token also marked as negated or after
a contrast word (ScopeMarks), trained mostly on SST-2's labelled phrases.

A negated token's vector goes through a learnt linear map first ("negation"), which starts as -I: negation
as an operator on word meaning (as in Socher et al.'s compositional models), so that what the map learns
from "not funny" carries over to "not dull", a pairing the labels rarely show. The marks also join each
token's vector, so the filters can weigh the clause after "but". The stack by length
(ml/training/ensemble.py) lets it lead on short texts. It reads at most `max_length` tokens (head and
tail), so its cost is bounded."""

import keras
import numpy as np

from ml.config import TrainConfig
from ml.models.common import embed, positive_probability, token_ids
from ml.models.layers import MaskedGlobalMaxPool, Negated, ScopeMarks

# Normalised tokens (ml.text.preprocessing folds "n't" into "not"); the standard lists of the cited papers.
NEGATIONS = ("not", "no", "never", "nor", "without", "nothing", "none", "neither", "hardly", "barely")
CONTRASTS = ("but", "however")
SCOPE = 3  # tokens after a negation that it governs: punctuation is gone by then, so a fixed window


def build_model(config: TrainConfig, vectorizer: keras.layers.TextVectorization) -> keras.Model:
    texts, ids, mask = token_ids(config, vectorizer, min_length=max(config.kernel_sizes))
    index = {word: i for i, word in enumerate(vectorizer.get_vocabulary())}
    marks = ScopeMarks(
        [index[word] for word in NEGATIONS if word in index],
        [index[word] for word in CONTRASTS if word in index],
        scope=SCOPE,
        name="scope_marks",
    )(ids)
    embedded = embed(config, vectorizer, ids)
    negation = keras.layers.Dense(config.embedding_dim, use_bias=False, kernel_initializer="zeros", name="negation")
    embedded = Negated(name="negated_tokens")(embedded, negation(embedded), marks)
    x = keras.layers.Concatenate(name="marked_tokens")([embedded, marks])
    pooled = []
    for width in config.kernel_sizes:
        features = keras.layers.Conv1D(config.filters, width, activation="relu", name=f"conv{width}")(x)
        pooled.append(MaskedGlobalMaxPool(window=width, name=f"max_pool{width}")(features, mask))
    x = keras.layers.Concatenate()(pooled) if len(pooled) > 1 else pooled[0]
    model = keras.Model(texts, positive_probability(config, x), name="reader")
    negation.set_weights([-np.eye(config.embedding_dim, dtype="float32")])
    return model
