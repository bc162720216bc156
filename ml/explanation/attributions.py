"""The attribution methods behind ml.explanation.explain: exact for linear n-gram models, Integrated Gradients for
networks, stacked sums for ensembles. Each reproduces the model's own tokenisation from its layers."""

from __future__ import annotations

import re

import numpy as np
import tensorflow as tf

from ml.explanation.words import Attribution, perturbation, split_words
from ml.models.common import logit_model
from ml.models.layers import LogitStack, SublinearTfidf
from ml.text.preprocessing import OOV_TOKEN

# A token that survives every standardisation (lowercase letters and digits) and is in no vocabulary:
# placed after each word, it tells which word each token came from.
_MARK = "qxjzk"
_MARKED = re.compile(rf"{_MARK}(\d+){_MARK}")
UNKNOWN_WORD = "qxjzkunknown"
# TextVectorization's own punctuation pattern, for models built with its string standardisations.
_KERAS_PUNCTUATION = r'[!"#$%&()\*\+,-\./:;<=>?@\[\\\]^_`{|}~\']'
IG_STEPS = 16
# How an n-gram's contribution is split among its words: equally, or in proportion to each word's own
# strength in the model (|its unigram weight|, times its idf). Either way the weights add up exactly.
SHARES = ("equal", "unigram")
SHARE = "unigram"  # chosen on the film-grouped validation split: ml/results/RESULTS.md


def standardize_batch(vectorizer, batch):
    """The vectorizer's own standardisation of a string tensor, as TextVectorization._preprocess applies it."""
    import tensorflow as tf

    standardize = vectorizer._standardize
    if standardize in ("lower", "lower_and_strip_punctuation"):
        batch = tf.strings.lower(batch)
    if standardize in ("strip_punctuation", "lower_and_strip_punctuation"):
        batch = tf.strings.regex_replace(batch, _KERAS_PUNCTUATION, "")
    if callable(standardize):
        batch = standardize(batch)
    return batch


def standardized(vectorizer, texts: list[str]) -> list[str]:
    """What `vectorizer` splits into tokens."""
    import tensorflow as tf

    return [
        value.decode("utf-8") for value in standardize_batch(vectorizer, tf.constant(texts, dtype=tf.string)).numpy()
    ]


def word_tokens(vectorizer, text: str, words: list[str]) -> tuple[list[str], np.ndarray]:
    """The model's tokens of `text` and, for each, the index of the whitespace word it came from."""
    if vectorizer._split != "whitespace":
        raise ValueError("only whitespace-split vectorizers can be explained")
    marked = " ".join(f"{word} {_MARK}{index}{_MARK}" for index, word in enumerate(words))
    with_marks, plain = standardized(vectorizer, [marked, text])
    tokens, owners, pending = [], [], []
    for token in with_marks.split():
        match = _MARKED.fullmatch(token)
        if match is None:
            pending.append(token)
            continue
        # A mark eaten by an HTML tag (`<br /><br />The`) leaves its tokens to the next surviving mark,
        # which follows the word that holds the tag's end: the word those tokens are in.
        tokens.extend(pending)
        owners.extend([int(match[1])] * len(pending))
        pending = []
    expected = plain.split()
    if tokens != expected:  # a mark changed the standardisation (a very long tag): share tokens out by position
        owners = [min(len(words) - 1, index * len(words) // max(len(expected), 1)) for index in range(len(expected))]
        tokens = expected
    return tokens, np.asarray(owners, dtype=np.int64)


def _ngram_widths(vectorizer) -> tuple[int, ...]:
    ngrams = vectorizer._ngrams
    if ngrams is None:
        return (1,)
    return tuple(range(1, ngrams + 1)) if isinstance(ngrams, int) else tuple(ngrams)


def _unigram_strength(explainer, token: str) -> float:
    index = explainer.index.get(token)
    if index is None or index == explainer.oov:
        return 0.0
    return abs(explainer.kernel[index]) * (explainer.idf[index] if explainer.idf is not None else 1.0)


class LinearNgramExplainer:
    """The exact split of a linear n-gram model's log-odds, bias + sum over features of weight x value.

    A feature's contribution (its weight times its value as the model computed it: presence, count, or
    sublinear tf-idf scaled by this text's own norm) is shared equally among its occurrences and each
    occurrence among the words it spans. So the word weights plus the bias are the log-odds."""

    name = "exact"

    def __init__(self, vectorizer, kernel: np.ndarray, bias: float, idf: np.ndarray | None = None, share: str = SHARE):
        if share not in SHARES:
            raise ValueError(f"share must be one of {SHARES}, got {share!r}")
        self.share = share
        self.vectorizer = vectorizer
        self.widths = _ngram_widths(vectorizer)
        vocabulary = vectorizer.get_vocabulary()
        self.index = {token: position for position, token in enumerate(vocabulary)}
        self.oov = self.index.get(OOV_TOKEN, 0)
        self.kernel = np.asarray(kernel, dtype=np.float64).reshape(-1)
        self.bias = float(bias)
        self.idf = None if idf is None else np.asarray(idf, dtype=np.float64)
        self.mode = vectorizer._output_mode

    def _strengths(self, tokens: list[str]) -> np.ndarray:
        if self.share != "unigram":
            return np.zeros(len(tokens))
        return np.array([_unigram_strength(self, token) for token in tokens])

    def __call__(self, text: str) -> Attribution:
        words, _ = split_words(text)
        tokens, owners = word_tokens(self.vectorizer, text, words)
        features, starts, widths = [], [], []
        for width in self.widths:
            for start in range(len(tokens) - width + 1):
                features.append(self.index.get(" ".join(tokens[start : start + width]), self.oov))
                starts.append(start)
                widths.append(width)
        weights = np.zeros(len(words))
        if not features:
            return Attribution(words, weights, self.bias)
        unique, inverse, counts = np.unique(np.asarray(features), return_inverse=True, return_counts=True)
        if self.idf is not None:  # SublinearTfidf: (1 + ln count) * idf, over the row's norm
            values = (1.0 + np.log(counts)) * self.idf[unique]
            norm = np.sqrt(np.sum(values**2))
            values = values / norm if norm > 0 else np.zeros_like(values)
        elif self.mode == "count":
            values = counts.astype(np.float64)
        else:  # multi_hot
            values = np.ones(len(unique))
        per_occurrence = (self.kernel[unique] * values / counts)[inverse]
        token_weights = np.zeros(len(tokens))
        starts, widths = np.asarray(starts), np.asarray(widths)
        strengths = self._strengths(tokens)
        for width in self.widths:
            chosen = widths == width
            positions = starts[chosen][:, np.newaxis] + np.arange(width)
            shares = np.full(positions.shape, 1.0 / width)
            if self.share == "unigram" and width > 1:
                own = strengths[positions]
                total = own.sum(axis=1, keepdims=True)
                shares = np.where(total > 0, own / np.where(total > 0, total, 1.0), shares)
            np.add.at(token_weights, positions.ravel(), (per_occurrence[chosen][:, np.newaxis] * shares).ravel())
        weights += np.bincount(owners, token_weights, minlength=len(words))
        return Attribution(words, weights, self.bias)


class IntegratedGradientsExplainer:
    """Integrated Gradients (Sundararajan et al. 2017) on the embeddings, from the padding token's
    embedding to the text's, in one batch of IG_STEPS + 2 rows with their gradient. Positions and the
    padding mask stay those of the text; FitLength's head+tail cut is followed back to the words."""

    name = "integrated gradients"

    def __init__(self, logits_model, steps: int = IG_STEPS):
        import keras
        import tensorflow as tf

        self.vectorizer = logits_model.get_layer("vectorizer")
        fit_length = logits_model.get_layer("fit_length")
        embedding = logits_model.get_layer("embedding")
        self.fit_length = fit_length
        network = keras.Model([fit_length.output, embedding.output], logits_model.output)
        alphas = tf.constant(np.concatenate([(np.arange(steps) + 0.5) / steps, [0.0, 1.0]]), dtype=tf.float32)

        def integrate(ids):
            text_embedding = embedding(ids)
            baseline = embedding(tf.zeros_like(ids))
            path = baseline + alphas[:, tf.newaxis, tf.newaxis] * (text_embedding - baseline)
            batch_ids = tf.repeat(ids, tf.shape(alphas)[0], axis=0)
            with tf.GradientTape() as tape:
                tape.watch(path)
                logits = tf.reshape(network([batch_ids, path], training=False), [-1])
            gradients = tape.gradient(logits, path)[:steps]
            attributions = tf.reduce_sum(tf.reduce_mean(gradients, axis=0) * (text_embedding - baseline)[0], axis=-1)
            return attributions, logits[steps + 1]

        self._integrate = tf.function(integrate, input_signature=[tf.TensorSpec([1, None], tf.int64)], autograph=False)

    def __call__(self, text: str) -> Attribution:
        import tensorflow as tf

        words, _ = split_words(text)
        tokens, owners = word_tokens(self.vectorizer, text, words)
        raw = tf.cast(self.vectorizer(tf.constant([text])), tf.int64)
        ids = self.fit_length(raw)
        # The token each kept position reads: FitLength applied to the positions themselves (1-based).
        sources = self.fit_length(tf.range(1, tf.shape(raw)[1] + 1, dtype=tf.int64)[tf.newaxis]).numpy()[0] - 1
        attributions, logit = self._integrate(tf.cast(ids, tf.int64))
        attributions = attributions.numpy().astype(np.float64)
        weights = np.zeros(len(words))
        kept = sources >= 0
        if len(tokens) == raw.shape[1] and kept.any():
            np.add.at(weights, owners[sources[kept]], attributions[: len(sources)][kept])
        return Attribution(words, weights, float(logit) - float(weights.sum()))


class StackExplainer:
    """A LogitStack's log-odds are a weighted sum of its members' plus a bias: so are its weights. A stack
    fit by length weighs its members by the text's length and gate; that is one weight per member and text,
    so the sum holds."""

    def __init__(self, stack, members: list):
        self.stack = stack
        self.members = members
        self.name = " + ".join(dict.fromkeys(getattr(member, "name", "occlusion") for member in members))

    def __call__(self, text: str) -> Attribution:
        shortness, gate = 0.0, 0.0
        if self.stack.by_length:
            texts = tf.constant([text])
            shortness, gate = float(self.stack.shortness(texts)[0, 0]), float(self.stack.gate(texts)[0, 0])
        stack_weights, stack_bias = self.stack.member_weights(shortness, gate), self.stack.bias_for(shortness, gate)
        parts = [member(text) for member in self.members]
        weights = sum(w * part.weights for w, part in zip(stack_weights, parts, strict=True))
        bias = stack_bias + sum(w * part.bias for w, part in zip(stack_weights, parts, strict=True))
        return Attribution(parts[0].words, np.asarray(weights, dtype=np.float64), float(bias))


def as_logits(model):
    """`model` with log-odds out (a member inside an ensemble already is)."""
    import keras

    names = {layer.name for layer in model.layers}
    if "positive" in names and isinstance(model.get_layer("positive"), keras.layers.Dense | keras.layers.Activation):
        return logit_model(model)
    return model


def logits_function(model):
    """texts -> log-odds (float64) of `model`, through one traced function."""
    import tensorflow as tf

    inner = as_logits(model)
    function = tf.function(
        lambda batch: inner(batch, training=False), input_signature=[tf.TensorSpec([None], tf.string)], autograph=False
    )
    return lambda texts: function(tf.constant(texts, dtype=tf.string)).numpy().reshape(-1).astype(np.float64)


def unknown_tokens_for(model):
    """A replacement for a word: as many out-of-vocabulary tokens as the word has alphanumeric runs."""

    def replacement(word: str) -> str:
        runs = len(re.findall(r"[^\W_]+", re.sub(r"[’']", "", re.sub(r"n[’']t\b", " not", word.lower()))))
        return " ".join([UNKNOWN_WORD] * max(runs, 1))

    return replacement


def _linear_parts(model):
    """(vectorizer, kernel, bias, idf) of a linear n-gram model, or None."""
    import keras

    layers = [layer for layer in model.layers if not isinstance(layer, keras.layers.InputLayer)]
    if (
        not layers
        or not isinstance(layers[0], keras.layers.TextVectorization)
        or not isinstance(layers[-1], keras.layers.Dense)
    ):
        return None
    vectorizer, dense, middle = layers[0], layers[-1], layers[1:-1]
    if vectorizer._output_mode not in {"multi_hot", "count"} or dense.units != 1:
        return None
    if middle and not (len(middle) == 1 and isinstance(middle[0], SublinearTfidf)):
        return None
    kernel, bias = dense.get_weights()
    idf = middle[0].get_weights()[0] if middle else None
    return vectorizer, kernel, float(bias[0]), idf


def build(model, member_names: list[str] | None = None, share: str = SHARE):
    """The served explainer of `model` (see ml.explanation.explain.explainer_for)."""
    import keras

    stacks = [layer for layer in model.layers if isinstance(layer, LogitStack)]
    if stacks:
        members = (
            [model.get_layer(name) for name in member_names]
            if member_names
            else [layer for layer in model.layers if isinstance(layer, keras.Model)]
        )
        return StackExplainer(stacks[0], [build(member, share=share) for member in members])
    names = {layer.name for layer in model.layers}
    if {"vectorizer", "fit_length", "embedding"} <= names:
        return IntegratedGradientsExplainer(as_logits(model))
    parts = _linear_parts(model)
    if parts is not None:
        return LinearNgramExplainer(*parts, share=share)
    logits = logits_function(model)
    return lambda text: perturbation(logits, text)
