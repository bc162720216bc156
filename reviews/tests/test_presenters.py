"""Presenters: explanation weights to highlight levels and segments, the timeline to chart geometry."""

import datetime

import pytest

from reviews.presenters import (
    KeyWord,
    Segment,
    Tick,
    explain_text,
    nice_step,
    period_label,
    signed,
    timeline_chart,
    weight_level,
)
from reviews.selectors import SentimentTimeline, TimelinePoint

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
    ["The", 0.01],
    ["acting", 0.2],
    ["was", 0.0],
    ["BRILLIANT,", 2.0],
    ["but", -0.3],
    ["the", 0.0],
    ["plot…", -0.9],
    ["dreadful!", -1.5],
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


# --- The timeline chart ---


@pytest.mark.parametrize(
    ("largest", "step"), [(1, 1), (4, 1), (5, 2), (8, 2), (9, 5), (20, 5), (21, 10), (399, 100), (401, 200)]
)
def test_nice_step(largest, step):
    assert nice_step(largest) == step


def test_no_chart_without_reviews():
    assert timeline_chart(SentimentTimeline(unit="day", points=[])) is None


def test_chart_geometry_of_a_known_timeline():
    timeline = SentimentTimeline(
        unit="day",
        points=[
            TimelinePoint(datetime.date(2026, 3, 2), positive=4, negative=1, score_sum=3.0),
            TimelinePoint(datetime.date(2026, 3, 3)),
            TimelinePoint(datetime.date(2026, 3, 4), positive=1, negative=3, score_sum=1.0),
        ],
    )
    chart = timeline_chart(timeline)
    # Counts 0..4 above the line and 0..3 below it, step 1, over a plot 210 units high: 30.0 per review.
    assert chart.zero_y == 14 + 4 * 30.0
    assert chart.count_ticks == [
        Tick(134.0, "0"),
        Tick(104.0, "1"),
        Tick(74.0, "2"),
        Tick(44.0, "3"),
        Tick(14.0, "4"),
        Tick(164.0, "1"),
        Tick(194.0, "2"),
        Tick(224.0, "3"),
    ]
    # Three slots of 180 across the 540-wide plot; bars 36 wide, centred in their slot.
    assert [(bar.x, bar.y, bar.width, bar.height, bar.count) for bar in chart.positive_bars] == [
        (120.0, 14.0, 36, 120.0, 4),
        (480.0, 104.0, 36, 30.0, 1),
    ]
    assert [(bar.y, bar.height, bar.count) for bar in chart.negative_bars] == [(134.0, 30.0, 1), (134.0, 90.0, 3)]
    assert chart.positive_bars[0].label == "Mon 2 Mar 2026: 4 positive"
    assert chart.negative_bars[1].label == "Wed 4 Mar 2026: 3 negative"
    assert [tick.label for tick in chart.date_ticks] == ["2 Mar", "3 Mar", "4 Mar"]
    assert chart.title == "Your verdicts per day"
    assert chart.description == (
        "Bars above the line count positive verdicts, bars below it negative ones, per day, "
        "from Mon 2 Mar 2026 to Wed 4 Mar 2026: 5 positive and 4 negative in all."
    )
    assert chart.summary == "5 positive and 4 negative verdicts, from Mon 2 Mar 2026 to Wed 4 Mar 2026."
    assert [(row.label, row.positive, row.negative, row.average_score) for row in chart.rows] == [
        ("Mon 2 Mar 2026", 4, 1, 0.6),
        ("Wed 4 Mar 2026", 1, 3, 0.25),
    ]


def test_only_positive_reviews_fill_the_plot_above_the_line():
    chart = timeline_chart(
        SentimentTimeline(unit="week", points=[TimelinePoint(datetime.date(2026, 3, 2), positive=3)])
    )
    assert chart.zero_y == 224.0
    assert chart.negative_bars == []
    assert chart.positive_bars[0].height == 210.0
    assert chart.positive_bars[0].label == "Week of 2 Mar 2026: 3 positive"
    assert "in the week of 2 Mar 2026: 3 positive and 0 negative" in chart.description
    assert chart.summary == "3 positive and 0 negative verdicts, in the week of 2 Mar 2026."
    assert chart.unit_wording == "week (starting Monday)"


def test_many_periods_get_at_most_eight_date_labels():
    start = datetime.date(2026, 1, 1)
    points = [TimelinePoint(start + datetime.timedelta(days=7 * i), positive=1) for i in range(30)]
    chart = timeline_chart(SentimentTimeline(unit="week", points=points))
    assert len(chart.date_ticks) == 8  # every 4th of 30
    assert len(chart.positive_bars) == 30
    assert chart.positive_bars[0].width == 12.6  # 70% of a 540 / 30 slot


@pytest.mark.parametrize(
    ("unit", "label"), [("day", "Tue 3 Mar 2026"), ("week", "Week of 3 Mar 2026"), ("month", "March 2026")]
)
def test_period_label(unit, label):
    assert period_label(datetime.date(2026, 3, 3), unit) == label
