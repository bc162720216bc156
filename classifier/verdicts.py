"""What a verdict says besides its label: how confident it is (a band) and its warnings, in one place.

Confidence is a band of the verdict's (calibrated) probability, max(p, 1 - p): `high` from
bands["high"], `medium` from bands["medium"], `low` below; `none` when the model knows no word of the
text. The bands are the artifact's config.json `confidence_bands` (chosen on the grouped validation
split), else DEFAULT_BANDS. Warnings are stable codes (VerdictWarning); API clients may rely on them.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Sequence

from django.db import models

from ml.inference.coverage import VerdictReader

from . import language

logger = logging.getLogger(__name__)

# Used when an artifact records no bands of its own.
DEFAULT_BANDS = {"high": 0.9, "medium": 0.7}
# A text with fewer words than this is very short (a word holds a letter or a digit).
VERY_SHORT_WORDS = 4
_WORD = re.compile(r"[^\W_]")
_TOKEN = re.compile(r"\S+")


class Sentiment(models.TextChoices):
    """A verdict's label; stored reviews (reviews.models.Review) use the same choices."""

    POSITIVE = "positive", "Positive"
    NEGATIVE = "negative", "Negative"


class Confidence(models.TextChoices):
    HIGH = "high", "High"
    MEDIUM = "medium", "Medium"
    LOW = "low", "Low"
    NONE = "none", "None: the model cannot tell"


class VerdictWarning(models.TextChoices):
    """The codes (stable) and the sentence a page shows for each."""

    NO_KNOWN_WORDS = "no_known_words", "None of its words is in the model's vocabulary, so the model cannot tell."
    NOT_ENGLISH = "not_english", "It does not look like English; the model has only learnt English reviews."
    VERY_SHORT = "very_short", f"It has fewer than {VERY_SHORT_WORDS} words: a verdict on so little is often wrong."
    TRUNCATED = "truncated", "It is long: the model read only its beginning and its end."


def bands_of(manifest: dict) -> dict[str, float]:
    """The artifact's confidence bands, or the defaults when it has none (or unusable ones)."""
    bands = manifest.get("confidence_bands")
    if not bands:
        return DEFAULT_BANDS
    try:
        high, medium = float(bands["high"]), float(bands["medium"])
    except (KeyError, TypeError, ValueError):
        high = medium = -1.0
    if not 0.5 <= medium <= high <= 1.0:
        logger.warning("Ignoring confidence_bands %r (need 0.5 <= medium <= high <= 1); using %r", bands, DEFAULT_BANDS)
        return DEFAULT_BANDS
    return {"high": high, "medium": medium}


def confidence_band(score: float, bands: dict[str, float] = DEFAULT_BANDS) -> str:
    """The band of a probability of "positive": how far the verdict's probability max(p, 1 - p) goes."""
    sure = max(score, 1.0 - score)
    if sure >= bands["high"]:
        return Confidence.HIGH
    if sure >= bands["medium"]:
        return Confidence.MEDIUM
    return Confidence.LOW


def word_count(text: str) -> int:
    """Whitespace-separated words that hold a letter or a digit ("--" and "!!!" are not words)."""
    return sum(1 for word in text.split() if _WORD.search(word))


def is_very_short(text: str) -> bool:
    """word_count(text) < VERY_SHORT_WORDS, reading no further than it needs to."""
    found = 0
    for match in _TOKEN.finditer(text):
        if _WORD.search(match.group()):
            found += 1
            if found >= VERY_SHORT_WORDS:
                return False
    return True


_readers_lock = threading.Lock()


def reader_for(predictor):
    """The predictor's VerdictReader, built once (it asks the model which anchor words it knows)."""
    # Kept on the predictor itself, so that it goes with it: a WeakKeyDictionary entry whose value holds
    # the predictor (its bound `coverage`) is never dropped, and kept every model ever loaded alive.
    reader = getattr(predictor, "verdict_reader", None)
    if reader is None:
        with _readers_lock:
            reader = getattr(predictor, "verdict_reader", None)
            if reader is None:
                reader = predictor.verdict_reader = VerdictReader(predictor.model, predictor.coverage)
    return reader


def warm_up(predictor) -> None:
    """Build what assess() needs once, at load time: the model's vocabulary look-up and the language identifier."""
    reader_for(predictor)(["warm up the vocabulary", "<b>a second warm-up text</b>"])
    language.identifier()


def assess(texts: Sequence[str], scores: Sequence[float], predictor) -> list[tuple[str, tuple[str, ...]]]:
    """(confidence, warnings) of each text's verdict: at most one vocabulary look-up for the whole batch
    (ml.inference.coverage.VerdictReader), a language check per text."""
    bands = bands_of(predictor.manifest)
    flags = reader_for(predictor)(list(texts))
    results = []
    for index, (text, score) in enumerate(zip(texts, scores, strict=True)):
        warnings = []
        unknown = flags is not None and bool(flags[0][index])
        if unknown:
            warnings.append(VerdictWarning.NO_KNOWN_WORDS)
        if language.looks_foreign(text):
            warnings.append(VerdictWarning.NOT_ENGLISH)
        if is_very_short(text):
            warnings.append(VerdictWarning.VERY_SHORT)
        if flags is not None and flags[1][index]:
            warnings.append(VerdictWarning.TRUNCATED)
        confidence = Confidence.NONE if unknown else confidence_band(float(score), bands)
        results.append((str(confidence), tuple(str(code) for code in warnings)))
    return results


# A few words for each code, where a list has no room for the sentence.
SHORT_LABELS = {
    VerdictWarning.NO_KNOWN_WORDS: "No known words",
    VerdictWarning.NOT_ENGLISH: "Not English",
    VerdictWarning.VERY_SHORT: "Very short",
    VerdictWarning.TRUNCATED: "Read in part",
}


def describe(codes: Sequence[str]) -> list[str]:
    """The sentence for each warning code (an unknown code, e.g. from a newer release, as itself)."""
    labels = dict(VerdictWarning.choices)
    return [labels.get(code, code) for code in codes]


def notes(codes: Sequence[str]) -> list[tuple[str, str]]:
    """(short label, sentence) for each warning code."""
    return [(SHORT_LABELS.get(code, code), sentence) for code, sentence in zip(codes, describe(codes), strict=True)]
