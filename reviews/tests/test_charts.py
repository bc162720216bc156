"""The timeline chart: steps, geometry, date labels."""

import datetime

import pytest

from reviews.charts import Tick, nice_step, period_label, timeline_chart
from reviews.selectors import SentimentTimeline, TimelinePoint


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
