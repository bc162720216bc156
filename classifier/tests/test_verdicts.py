"""Confidence bands and warnings: the band logic, each warning code through predict, and the shipped default."""

import pytest

from classifier import language, registry
from classifier.verdicts import (
    DEFAULT_BANDS,
    VERY_SHORT_WORDS,
    Confidence,
    VerdictWarning,
    bands_of,
    confidence_band,
    describe,
    word_count,
)
from ml.inference.artifact import ARTIFACTS_DIR
from ml.inference.coverage import VerdictReader
from ml.testing import NEUTRAL_WORDS, POSITIVE_WORDS

FRENCH = "Ce film est magnifique."
GIBBERISH = "asdfgh qwerty"


@pytest.mark.parametrize(
    ("score", "band"),
    [
        (0.99, "high"),
        (0.01, "high"),
        (0.9, "high"),
        (0.1, "high"),
        (0.89, "medium"),
        (0.3, "medium"),
        (0.7, "medium"),
        (0.69, "low"),
        (0.5, "low"),
        (0.35, "low"),
    ],
)
def test_bands_of_the_verdicts_probability(score, band):
    assert confidence_band(score) == band


def test_an_artifacts_own_bands_are_used_and_bad_ones_ignored():
    assert bands_of({}) == DEFAULT_BANDS
    assert bands_of({"confidence_bands": {"high": 0.8, "medium": 0.6}}) == {"high": 0.8, "medium": 0.6}
    assert confidence_band(0.85, bands_of({"confidence_bands": {"high": 0.8, "medium": 0.6}})) == "high"
    for broken in ({"high": 0.6, "medium": 0.8}, {"high": 1.5, "medium": 0.7}, {"high": "x"}, {"medium": 0.7}):
        assert bands_of({"confidence_bands": broken}) == DEFAULT_BANDS


def test_word_count_counts_words_with_a_letter_or_digit():
    assert word_count("Not bad at all.") == 4
    assert word_count("10/10 -- !!! great") == 2
    assert word_count("") == 0


def test_every_code_has_a_sentence_and_an_unknown_code_is_shown_as_itself():
    assert all(
        sentence and sentence != code
        for code, sentence in zip(VerdictWarning.values, describe(VerdictWarning.values), strict=True)
    )
    assert describe(["from_the_future"]) == ["from_the_future"]


def test_a_confident_english_review_has_no_warning(served_model):
    text = " ".join([POSITIVE_WORDS[0], *NEUTRAL_WORDS[:5], POSITIVE_WORDS[1]])
    prediction = registry.predict([text])[0]
    assert prediction.warnings == ()
    assert prediction.confidence == confidence_band(prediction.score) != Confidence.NONE


def test_no_known_words_means_confidence_none(served_model):
    unknown, known = registry.predict([GIBBERISH, "great film"])
    assert unknown.confidence == Confidence.NONE
    assert unknown.warnings[0] == VerdictWarning.NO_KNOWN_WORDS
    assert unknown.label in {"positive", "negative"} and 0 <= unknown.score <= 1  # still a verdict for old clients
    assert known.confidence != Confidence.NONE and VerdictWarning.NO_KNOWN_WORDS not in known.warnings
    # Punctuation alone has no word at all: the model knows none of them either.
    assert registry.predict(["?!"])[0].confidence == Confidence.NONE


def test_known_token_counts_use_the_models_vocabulary(served_model):
    predictor = registry.get_service().predictor
    counts = predictor.known_token_counts([GIBBERISH, "great film", "great asdfgh film qwerty boring"])
    assert list(counts) == [0, 2, 3]


def test_very_short(served_model):
    short, long_enough = registry.predict(["great film", "the film was great"])
    assert VerdictWarning.VERY_SHORT in short.warnings
    assert VerdictWarning.VERY_SHORT not in long_enough.warnings
    assert word_count("the film was great") == VERY_SHORT_WORDS


def test_truncated_when_a_network_reads_only_head_and_tail(served_model):
    max_length = registry.get_service().predictor.manifest["max_length"]
    exact = " ".join(["film"] * max_length)
    over = " ".join(["film"] * (max_length + 1))
    at_limit, beyond = registry.predict([exact, over])
    assert VerdictWarning.TRUNCATED not in at_limit.warnings
    assert VerdictWarning.TRUNCATED in beyond.warnings


def test_not_english(served_model):
    french, english = registry.predict([FRENCH, "The pizza was cold and the waiter was rude."])
    assert VerdictWarning.NOT_ENGLISH in french.warnings
    assert VerdictWarning.NOT_ENGLISH not in english.warnings


@pytest.mark.parametrize(
    "text",
    [
        "Not bad at all.",
        "Great movie!",
        "I loved it",
        "Dreadful and boring.",
        "10/10",
        "lol",
        GIBBERISH,
        "Superb acting, dull plot.",
    ],
)
def test_short_english_and_gibberish_are_not_called_foreign(text):
    assert not language.looks_foreign(text)


@pytest.mark.parametrize(
    "text",
    [
        FRENCH,
        "Je n'ai pas aimé ce film.",
        "Ein schrecklicher Film, langweilig von Anfang bis Ende.",
        "Una película maravillosa.",
        "Фильм отличный, всем советую.",
    ],
)
def test_other_languages_are_called_foreign(text):
    assert language.looks_foreign(text)


@pytest.mark.shipped_model
def test_shipped_default_says_it_cannot_tell_gibberish_and_flags_french(settings):

    settings.SENTIMENT_MODEL_DIR = ARTIFACTS_DIR / "default"
    registry.reset()
    try:
        gibberish, french, english = registry.predict(
            [GIBBERISH, FRENCH, "A wonderful film, I loved every minute of it."]
        )
    finally:
        registry.reset()
    assert gibberish.confidence == Confidence.NONE and VerdictWarning.NO_KNOWN_WORDS in gibberish.warnings
    assert VerdictWarning.NOT_ENGLISH in french.warnings
    assert english.warnings == () and english.label == "positive" and english.confidence != Confidence.NONE


def test_the_fast_reader_agrees_with_the_exact_look_up(served_model):

    predictor = registry.get_service().predictor
    reader = VerdictReader(predictor.model, predictor.coverage)
    assert reader.anchors and reader.max_length == predictor.manifest["max_length"]
    texts = [
        GIBBERISH,
        "great film",
        "<b>film</b> asdfgh",
        "<a great='film'> qwerty",
        "&amp; film",
        "film&amp;",
        "the",
        "don't",
        " ".join(["film"] * 30),
        " ".join(["film"] * 33),
        "<br />" * 40 + " film",
        "?!",
        "",
    ]
    no_known, truncated = reader(texts)
    exact = predictor.coverage(texts)
    assert list(no_known) == list(exact.known == 0)
    assert list(truncated) == list(exact.truncated)
