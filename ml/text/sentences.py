"""Split a review into sentences, as character spans of the original text.

One rule, used to cut training spans (ml.data.spans) and to score a text sentence by sentence on the site.
A sentence ends at a run of `.`, `!`, `?` or `…` (with any closing quotes or brackets after it) that is
followed by white space, the end of the text, or a capital letter with no space ("great.The acting"),
and at every line break. It does not end after a known abbreviation (`Dr.`, `vs.`), after a single
letter (`U.S.`, `J. K. Rowling`), or at an ellipsis followed by a lower-case word. Every candidate is
looked at once with a fixed amount of context, so a text of n characters splits in O(n).

pysbd and syntok were weighed (docs/decisions.md): both split well, but neither has had a release since
2022, and both walk long texts with many regular expressions, which we would have to prove linear.
"""

from __future__ import annotations

import re

# Candidate ends: terminal punctuation with its closing quotes/brackets, or a line break.
_CANDIDATE = re.compile(r"[.!?\u2026]+[\"'\u201d\u2019)\]]*|\r\n|\r|\n|\u2028|\u2029")
_ABBREVIATIONS = frozenset("dr mr mrs ms mx prof st jr sr vs etc eg ie cf al approx dept mt vol inc ltd ft".split())
_WORD_BEFORE = re.compile(r"([^\W\d_]+)\.?$")  # the letters just before the full stop
_LOOKBEHIND = 12  # characters of context before a candidate: enough for the longest abbreviation


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence: `text[start:end]` is the sentence without surrounding white space."""
    spans = []
    start = 0
    for match in _CANDIDATE.finditer(text):
        if _is_boundary(text, match):
            _append(spans, text, start, match.end())
            start = match.end()
    _append(spans, text, start, len(text))
    return spans


def split_sentences(text: str) -> list[str]:
    return [text[start:end] for start, end in sentence_spans(text)]


def _append(spans: list[tuple[int, int]], text: str, start: int, end: int) -> None:
    piece = text[start:end]
    stripped = piece.strip()
    if not stripped:
        return
    offset = start + (len(piece) - len(piece.lstrip()))
    spans.append((offset, offset + len(stripped)))


def _is_boundary(text: str, match: re.Match) -> bool:
    mark = match.group()
    if mark[0] in "\r\n\u2028\u2029":
        return True
    after = text[match.end() : match.end() + 1]
    if after and not after.isspace():
        # No space after it: a boundary only before a capital letter ("great.The"), and not inside
        # initials ("U.S.A"); never before a lower-case letter or a digit ("site.com", "3.5").
        if not after.isupper():
            return False
        if mark[0] in "!?\u2026":
            return True
        word = _word_before(text, match.start())
        return len(word) > 1 and word not in _ABBREVIATIONS
    if mark.startswith(".") and mark.rstrip("\"'\u201d\u2019)]") == ".":
        word = _word_before(text, match.start())
        if word in _ABBREVIATIONS or len(word) == 1:
            return False
    if mark.startswith("...") or mark.startswith("\u2026"):
        # An ellipsis inside a sentence ("it was ... fine") is followed by a lower-case word.
        following = text[match.end() : match.end() + _LOOKBEHIND].lstrip()
        if following[:1].islower():
            return False
    return True


def _word_before(text: str, position: int) -> str:
    found = _WORD_BEFORE.search(text[max(0, position - _LOOKBEHIND) : position])
    return found.group(1).casefold() if found else ""
