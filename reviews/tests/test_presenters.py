"""Presenters: explanation weights to highlight levels and segments."""

import pytest

from classifier.classify import SentenceVerdict
from reviews.presenters import STRIP_WIDTH, KeyWord, Segment, explain_text, sentence_strip, signed, weight_level

# --- Weight to level ---


@pytest.mark.parametrize(
    ("weight", "level"),
    [
        (2.0, 3),
        (1.4, 3),
        (1.39, 2),
        (0.8, 2),
        (0.79, 1),
        (0.3, 1),
        (0.29, 0),
        (0.0, 0),
        (-2.0, -3),
        (-1.4, -3),
        (-1.0, -2),
        (-0.5, -1),
        (-0.2, 0),
    ],
)
def test_weight_level_is_relative_to_the_largest_weight(weight, level):
    # Floors at 15%, 40% and 70% of the largest |weight| (2.0 here).
    assert weight_level(weight, 2.0) == level


def test_weight_level_ignores_noise_below_the_absolute_floor():
    # In a text where no word matters, the "strongest" word is still noise: it is left plain.
    assert weight_level(0.04, 0.04) == 0
    assert weight_level(-0.049, 0.049) == 0
    assert weight_level(0.05, 0.05) == 3


def test_weight_level_of_an_all_zero_text_is_plain():
    assert weight_level(0.0, 0.0) == 0


@pytest.mark.parametrize(("weight", "text"), [(2.314, "+2.31"), (0.0, "+0.00"), (-1.2, "\u22121.20")])
def test_signed(weight, text):
    assert signed(weight) == text


# --- Explained text ---

TEXT = "  The acting was BRILLIANT,\n\tbut the plot…  dreadful!  "
EXPLANATION = [
    [word, weight] for word, weight in zip(TEXT.split(), [0.01, 0.2, 0.0, 2.0, -0.3, 0.0, -0.9, -1.5], strict=True)
]


def test_segments_join_back_to_the_exact_text():
    explained = explain_text(TEXT, EXPLANATION)
    assert "".join(segment.text for segment in explained.segments) == TEXT


def test_segments_carry_levels_and_classes():
    explained = explain_text(TEXT, EXPLANATION)
    words = [segment for segment in explained.segments if segment.text.strip()]
    assert [(s.text, s.level) for s in words] == [
        ("The", 0),
        ("acting", 0),
        ("was", 0),
        ("BRILLIANT,", 3),
        ("but", -1),
        ("the", 0),
        ("plot…", -2),
        ("dreadful!", -3),
    ]
    assert [s.css_class for s in words if s.level] == ["hl hl--pos-3", "hl hl--neg-1", "hl hl--neg-2", "hl hl--neg-3"]
    assert explained.segments[0] == Segment("  ")
    assert explained.segments[-1] == Segment("  ")
    assert Segment("\n\t") in explained.segments
    assert words[3].description == "Pushed towards positive (+2.00)"
    assert words[-1].description == "Pushed towards negative (\u22121.50)"


def test_the_strongest_words_are_listed_without_edge_punctuation():
    explained = explain_text(TEXT, EXPLANATION)
    assert explained.positive == [KeyWord("BRILLIANT", 2.0)]
    assert explained.negative == [KeyWord("dreadful", -1.5), KeyWord("plot", -0.9), KeyWord("but", -0.3)]
    assert explained.has_highlights
    assert explained.negative[1].signed_weight == "\u22120.90"


def test_the_lists_hold_five_distinct_words_at_most():
    words = ["great", "Great!", "good", "fine", "nice", "fun", "neat"]
    text = " ".join(words)
    explained = explain_text(text, [[word, 1.0 - index / 10] for index, word in enumerate(words)])
    assert [word.word for word in explained.positive] == ["great", "good", "fine", "nice", "fun"]
    assert explained.negative == []


def test_a_text_where_nothing_matters_has_no_highlights():
    explained = explain_text("just some words", [["just", 0.01], ["some", -0.02], ["words", 0.0]])
    assert explained is not None
    assert not explained.has_highlights
    assert all(segment.level == 0 for segment in explained.segments)


@pytest.mark.parametrize(
    "explanation",
    [
        [],  # stored before explanations existed
        [["A", 0.1], ["film", 0.2]],  # too few words
        [["A", 0.1], ["good", 0.5], ["film", 0.2], ["extra", 0.1]],  # too many
        [["A", 0.1], ["bad", 0.5], ["film", 0.2]],  # made for another text
    ],
)
def test_an_explanation_that_does_not_fit_the_text_is_not_used(explanation):
    assert explain_text("A good film", explanation) is None


def test_markup_stays_text_in_segments():
    # Escaping is the template's job; the segment holds the raw word, exactly.
    explained = explain_text("<script>alert(1)</script> awful", [["<script>alert(1)</script>", 0.0], ["awful", -2.0]])
    assert explained.segments[0] == Segment("<script>alert(1)</script>", 0, 0.0)


# --- Sentence by sentence ---


def sentence(start: int, end: int, score: float, confidence: str = "high") -> dict:
    return {
        "text": "x" * (end - start),
        "start": start,
        "end": end,
        "sentiment": "positive" if score >= 0.5 else "negative",
        "score": score,
        "confidence": confidence,
    }


def test_no_strip_for_fewer_than_two_sentences():
    assert sentence_strip(None) is None
    assert sentence_strip([]) is None
    assert sentence_strip([sentence(0, 10, 0.9)], mixed=False) is None


def test_segments_share_the_strip_by_length_in_order():
    strip = sentence_strip([sentence(0, 30, 0.99), sentence(31, 41, 0.2, "medium"), sentence(42, 43, 0.5, "none")])
    first, second, third = strip.parts
    assert [part.number for part in strip.parts] == [1, 2, 3]
    assert first.x == 0 and second.x > first.x + first.width and third.x > second.x + second.width
    assert first.width == pytest.approx(3 * second.width, rel=0.01)
    assert third.width > first.width / 30  # a one-character sentence still shows
    assert third.x + third.width == pytest.approx(STRIP_WIDTH, abs=0.05)
    assert [part.css_class for part in strip.parts] == ["sentence--pos-3", "sentence--neg-2", "sentence--none"]
    assert [part.label for part in strip.parts] == ["positive", "negative", "cannot tell"]
    assert [part.marker for part in strip.parts] == ["▲", "▼", "?"]
    assert second.certainty == pytest.approx(0.8)
    assert strip.summary == "3 sentences: 1 positive, 1 negative, 1 cannot tell"
    assert strip.mixed is False and strip.open_list


def test_a_low_confidence_sentence_is_leaning_and_mixed_is_kept():
    strip = sentence_strip([sentence(0, 5, 0.6, "low"), sentence(6, 9, 0.05)], mixed=True)
    assert strip.parts[0].label == "leaning positive" and strip.parts[0].css_class == "sentence--pos-1"
    assert strip.mixed is True


def test_thousands_of_sentences_fit_the_strip():
    strip = sentence_strip([sentence(i * 10, i * 10 + 9, 0.9) for i in range(2000)])
    last = strip.parts[-1]
    assert last.x + last.width == pytest.approx(STRIP_WIDTH, abs=0.5)
    assert all(part.width > 0 for part in strip.parts) and not strip.open_list


def test_sentence_verdicts_from_the_service_are_read_too():
    verdicts = [
        SentenceVerdict("Great.", 0, 6, "positive", 0.97, "high"),
        SentenceVerdict("Awful.", 7, 13, "negative", 0.1, "high"),
    ]
    assert [part.text for part in sentence_strip(verdicts, mixed=True).parts] == ["Great.", "Awful."]
