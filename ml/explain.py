"""Word-level explanations by occlusion: how much the positive log-odds fall when a word is removed.

Occlusion is faithful by construction: it asks the served model itself (raw text in, log-odds out),
through the same preprocessing, what each word changes, with no surrogate model or gradient
approximation; the n-gram and max-pooling parts of our models are not smooth, which makes
gradient-based attributions unreliable for them. Cost: one batched call of at most 257 texts.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np

MAX_VARIANTS = 256
_WORD = re.compile(r"\S+")
_HAS_LETTER_OR_DIGIT = re.compile(r"[^\W_]")


def occlusion(
    predict_logits: Callable[[list[str]], np.ndarray], text: str, batch_size: int = 256
) -> list[tuple[str, float]]:
    """[(word, weight)] for every whitespace-separated word of `text`, in order; a positive weight
    pushed the verdict towards positive, in log-odds. Words without letters or digits weigh 0.

    `predict_logits` gives log-odds, not probabilities: a confident model's probabilities are
    exactly 1.0 with or without any one word, which would explain nothing."""
    spans = [match.span() for match in _WORD.finditer(text)]
    words = [text[start:end] for start, end in spans]
    candidates = [i for i, word in enumerate(words) if _HAS_LETTER_OR_DIGIT.search(word)]
    run = -(-len(candidates) // MAX_VARIANTS) if candidates else 1
    groups = [candidates[start : start + run] for start in range(0, len(candidates), run)]
    variants = [_without(text, [spans[i] for i in group]) for group in groups]
    scores = np.concatenate([predict_logits(chunk) for chunk in _chunks([text, *variants], batch_size)])
    full, without = scores[0], scores[1:]
    weights = np.zeros(len(words))
    for group, weight in zip(groups, full - without, strict=True):
        weights[group] = weight
    return [(word, float(weight)) for word, weight in zip(words, weights, strict=True)]


def _without(text: str, spans: list[tuple[int, int]]) -> str:
    """`text` with the given (sorted, disjoint) character spans cut out."""
    pieces, position = [], 0
    for start, end in spans:
        pieces.append(text[position:start])
        position = end
    pieces.append(text[position:])
    return "".join(pieces)


def _chunks(items: list[str], size: int):
    for start in range(0, len(items), size):
        yield items[start : start + size]
