"""Word clean-up shared by the pages, the insights, the admin and the explanation tools, in linear time."""

import re

# Anchored at the start only: `re.match` tries one position, so the scan is linear. The unanchored
# `[\W_]+$` this replaces restarted at every position of a run of punctuation (quadratic: about 15 s
# for one 20,000-character word, holding the interpreter lock throughout).
_LEADING = re.compile(r"[\W_]*")


def strip_edge_punctuation(word: str) -> str:
    """`word` without leading and trailing characters that are not letters or digits ("¡Great!!" -> "Great")."""
    start = _LEADING.match(word).end()
    if start == len(word):
        return ""
    end = len(word) - _LEADING.match(word[::-1]).end()
    return word[start:end]


def word_key(word: str) -> str:
    """The form under which a word is counted: lowercase, without leading or trailing punctuation."""
    return strip_edge_punctuation(word.lower())
