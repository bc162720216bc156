"""The sentence network ("reader"): Kim's CNN over word vectors, each token also marked as negated or after
a contrast word (ScopeMarks), trained mostly on SST-2's labelled phrases. Its filters can then tell "good"
from "not ... good" and weigh the clause after "but"; the stack by length (ml/training/ensemble.py) lets it
lead on short texts. It reads at most `max_length` tokens (head and tail), so its cost is bounded."""

import keras

from ml.config import TrainConfig
from ml.models.common import embed, positive_probability, token_ids
from ml.models.layers import MaskedGlobalMaxPool, ScopeMarks

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
    x = keras.layers.Concatenate(name="marked_tokens")([embed(config, vectorizer, ids), marks])
    pooled = []
    for width in config.kernel_sizes:
        features = keras.layers.Conv1D(config.filters, width, activation="relu", name=f"conv{width}")(x)
        pooled.append(MaskedGlobalMaxPool(window=width, name=f"max_pool{width}")(features, mask))
    x = keras.layers.Concatenate()(pooled) if len(pooled) > 1 else pooled[0]
    return keras.Model(texts, positive_probability(config, x), name="reader")
