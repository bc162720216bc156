"""ml.text.words: edge punctuation stripped exactly as the old regular expression did, in linear time."""

import re
import time

import pytest

from ml.text.words import strip_edge_punctuation, word_key

# The quadratic pattern it replaces, kept here as the reference for short words.
OLD = re.compile(r"^[\W_]+|[\W_]+$")


@pytest.mark.parametrize(
    "word",
    [
        "Great!!",
        "¡Great!",
        "(brilliant)",
        "_under_",
        "...",
        "",
        "a",
        "!a!",
        "don't",
        "l'été",
        "٣٤",
        "👍good👍",
        "x\u200d",
        "«Très»",
        "9/10",
    ],
)
def test_strips_like_the_regular_expression_it_replaces(word):
    assert strip_edge_punctuation(word) == OLD.sub("", word)
    assert word_key(word) == OLD.sub("", word.lower())


def test_a_long_word_of_punctuation_takes_linear_time():
    """The old pattern took about 15 s on this word (quadratic); a regression fails the generous bound."""
    hostile = ["a" + "!" * 19_998 + "a", "!" * 20_000, "a" + "_" * 19_999, "\u200d" * 20_000]
    started = time.perf_counter()
    for word in hostile * 10:
        word_key(word)
    assert time.perf_counter() - started < 2.0
    assert [strip_edge_punctuation(word) for word in hostile] == ["a" + "!" * 19_998 + "a", "", "a", ""]
