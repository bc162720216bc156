"""Words and their weights: the Attribution every method answers, and explaining by perturbing the text."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

MAX_VARIANTS = 256
_WORD = re.compile(r"\S+")
_HAS_LETTER_OR_DIGIT = re.compile(r"[^\W_]")
METHODS = ("auto", "occlusion", "unk")


@dataclass(frozen=True)
class Attribution:
    """Each word's weight and the part of the log-odds that no word holds; for the exact method,
    sum(weights) + bias is the model's log-odds."""

    words: list[str]
    weights: np.ndarray
    bias: float

    def pairs(self) -> list[tuple[str, float]]:
        return [(word, float(weight)) for word, weight in zip(self.words, self.weights, strict=True)]


def split_words(text: str) -> tuple[list[str], list[tuple[int, int]]]:
    spans = [match.span() for match in _WORD.finditer(text)]
    return [text[start:end] for start, end in spans], spans


def occlusion(
    predict_logits: Callable[[list[str]], np.ndarray], text: str, batch_size: int = 256
) -> list[tuple[str, float]]:
    """[(word, weight)]: how much the log-odds fall when the word is deleted. Words without letters or
    digits weigh 0; a long text is cut in runs of words so that the cost stays one batch of <= 257."""
    return perturbation(predict_logits, text, replacement=None, batch_size=batch_size).pairs()


def perturbation(
    predict_logits: Callable[[list[str]], np.ndarray],
    text: str,
    replacement: Callable[[str], str] | None = None,
    batch_size: int = 256,
) -> Attribution:
    """Weights by cutting each word (`replacement` None: occlusion) or by replacing it with
    `replacement(word)` (e.g. out-of-vocabulary tokens, which keep positions and lengths)."""
    words, spans = split_words(text)
    candidates = [i for i, word in enumerate(words) if _HAS_LETTER_OR_DIGIT.search(word)]
    run = -(-len(candidates) // MAX_VARIANTS) if candidates else 1
    groups = [candidates[start : start + run] for start in range(0, len(candidates), run)]
    variants = [
        replace_spans(text, [spans[i] for i in group], [replacement(words[i]) if replacement else "" for i in group])
        for group in groups
    ]
    scores = np.concatenate([predict_logits(chunk) for chunk in _chunks([text, *variants], batch_size)])
    full, changed = scores[0], scores[1:]
    weights = np.zeros(len(words))
    for group, weight in zip(groups, full - changed, strict=True):
        weights[group] = weight
    return Attribution(words, weights, float(full - weights.sum()))


def replace_spans(text: str, spans: list[tuple[int, int]], replacements: list[str] | None = None) -> str:
    """`text` with the given (sorted, disjoint) character spans cut out or replaced."""
    replacements = replacements or [""] * len(spans)
    pieces, position = [], 0
    for (start, end), replacement in zip(spans, replacements, strict=True):
        pieces.append(text[position:start])
        pieces.append(replacement)
        position = end
    pieces.append(text[position:])
    return "".join(pieces)


def _chunks(items: list[str], size: int):
    for start in range(0, len(items), size):
        yield items[start : start + size]
