"""The one text normalisation, used in training, evaluation, exploration and serving.

It runs as TensorFlow string ops inside the exported model (a registered `standardize` function of a
`TextVectorization` layer), so the site feeds raw strings to exactly the code that training used.
`normalize()` exposes the same function to Python callers (exploration, tests).
"""

from __future__ import annotations

import keras
import numpy as np
import tensorflow as tf

# Vocabulary tokens, not passwords (bandit and ruff judge by the name).
OOV_TOKEN = "[UNK]"  # noqa: S105  # nosec B105
PAD_TOKEN = ""  # nosec B105

# Negations are never stopwords: "not good" must stay "not good".
NEGATIONS = frozenset({"not", "no", "nor", "never"})

# The common English function words (NLTK's list, its n't forms folded into "not" below).
STOPWORDS = (
    frozenset(
        """i me my myself we our ours ourselves you your yours yourself yourselves he him his himself she
    her hers herself it its itself they them their theirs themselves what which who whom this that
    these those am is are was were be been being have has had having do does did doing a an the and
    but if or because as until while of at by for with about against between into through during
    before after above below to from up down in out on off over under again further then once here
    there when where why how all any both each few more most other some such only own same so than
    too very s t can will just don should now d ll m o re ve y ain""".split()
    )
    - NEGATIONS
)

_HTML_TAG = r"<[^>]{0,200}>"
_HTML_ENTITY = r"&(?:[a-z]{2,8}|#[0-9]{1,7}|#x[0-9a-f]{1,6});"
_NEGATION_SUFFIX = r"n[’']t\b"
_NOT_A_WORD = r"[^\pL\pN]+"
# Whole tokens only: RE2's \b is ASCII-only and would cut "désolé" at "é". Every token gets its own
# pair of spaces first, so adjacent stopwords each match.
_STOPWORDS_PATTERN = r" (?:" + "|".join(sorted(STOPWORDS)) + r") "


def _normalize(text: tf.Tensor, remove_stopwords: bool) -> tf.Tensor:
    text = tf.strings.lower(text, encoding="utf-8")
    text = tf.strings.regex_replace(text, _HTML_TAG, " ")
    text = tf.strings.regex_replace(text, _HTML_ENTITY, " ")
    # "didn't" -> "did not": the negation survives punctuation stripping as its own token.
    text = tf.strings.regex_replace(text, _NEGATION_SUFFIX, " not")
    text = tf.strings.regex_replace(text, r"[’']", "")
    text = tf.strings.regex_replace(text, _NOT_A_WORD, " ")
    if remove_stopwords:
        text = tf.strings.regex_replace(" " + tf.strings.regex_replace(text, " ", "  ") + " ", _STOPWORDS_PATTERN, " ")
        text = tf.strings.regex_replace(text, " +", " ")
    return tf.strings.strip(text)


@keras.saving.register_keras_serializable(package="sentisite", name="standardize")
def standardize(text: tf.Tensor) -> tf.Tensor:
    """Lowercase, drop HTML tags and entities, fold n't into "not", drop punctuation."""
    return _normalize(text, remove_stopwords=False)


@keras.saving.register_keras_serializable(package="sentisite", name="standardize_without_stopwords")
def standardize_without_stopwords(text: tf.Tensor) -> tf.Tensor:
    """`standardize`, then drop English stopwords, keeping negations."""
    return _normalize(text, remove_stopwords=True)


STANDARDIZERS = {False: standardize, True: standardize_without_stopwords}


def normalize(texts: list[str], *, remove_stopwords: bool = False, batch_size: int = 4096) -> list[str]:
    """The exact normalisation of the models, for Python callers; returns space-joined tokens."""
    function = STANDARDIZERS[remove_stopwords]
    out: list[str] = []
    for start in range(0, len(texts), batch_size):
        batch = tf.constant(texts[start : start + batch_size], dtype=tf.string)
        out.extend(value.decode("utf-8") for value in function(batch).numpy())
    return out


def build_vectorizer(
    texts: list[str] | None,
    *,
    max_tokens: int,
    remove_stopwords: bool = False,
    vocabulary: list[str] | None = None,
) -> keras.layers.TextVectorization:
    """A TextVectorization layer (id 0 = padding, 1 = [UNK]) adapted on training texts only.

    No fixed output length: a batch is padded to its longest text, and `FitLength` in the model
    truncates. A single short review is therefore never a sea of padding.
    """
    layer = keras.layers.TextVectorization(
        max_tokens=max_tokens,
        standardize=STANDARDIZERS[remove_stopwords],
        split="whitespace",
        output_mode="int",
        vocabulary=vocabulary,
        name="vectorizer",
    )
    if vocabulary is None:
        if texts is None:
            raise ValueError("build_vectorizer needs training texts or a vocabulary.")
        layer.adapt(tf.data.Dataset.from_tensor_slices(np.asarray(texts, dtype=object)).batch(1024))
    return layer


@keras.saving.register_keras_serializable(package="sentisite")
class FitLength(keras.layers.Layer):
    """Pad token ids to at least `min_length` and cut them to `max_length`, keeping head and tail.

    Long reviews often state the verdict at the end, so a text over `max_length` tokens keeps its
    first `head` tokens and its last `max_length - head` (Sun et al. 2019 found head+tail best).
    Rows are cut by their own length, so padding in a batch never changes a row's result.
    """

    def __init__(self, max_length: int, min_length: int = 1, head: int | None = None, **kwargs):
        super().__init__(**kwargs)
        if max_length < min_length or min_length < 1:
            raise ValueError(f"Need 1 <= min_length <= max_length, got {min_length}, {max_length}.")
        self.max_length = max_length
        self.min_length = min_length
        self.head = max_length // 4 if head is None else head

    def call(self, ids):
        ids = tf.convert_to_tensor(ids)
        width = tf.shape(ids)[1]
        ids = tf.pad(ids, [[0, 0], [0, tf.maximum(self.min_length - width, 0)]])
        lengths = tf.math.count_nonzero(ids, axis=1, dtype=tf.int32)
        positions = tf.range(tf.minimum(tf.shape(ids)[1], self.max_length))[tf.newaxis, :]
        overflow = tf.maximum(lengths - self.max_length, 0)[:, tf.newaxis]
        # Positions past the head jump forward by the overflow, so they read the row's tail.
        source = tf.where(positions < self.head, positions, positions + overflow)
        return tf.gather(ids, source, batch_dims=1)

    def get_config(self):
        return {**super().get_config(), "max_length": self.max_length, "min_length": self.min_length, "head": self.head}
