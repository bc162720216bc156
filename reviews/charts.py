"""The history page's timeline as SVG geometry: diverging bars per period, axes, and the table under it."""

import math
from dataclasses import dataclass

from django.utils.formats import date_format

from .selectors import SentimentTimeline

CHART_WIDTH, CHART_HEIGHT = 600, 280
PLOT_LEFT, PLOT_RIGHT, PLOT_TOP, PLOT_BOTTOM = 48, 588, 14, 224
MAX_BAR_WIDTH = 36
MAX_X_LABELS = 8
UNIT_WORDING = {"day": "day", "week": "week (starting Monday)", "month": "month"}
SHORT_DATE = {"day": "j M", "week": "j M", "month": "M Y"}


def period_label(start, unit: str) -> str:
    """ "Tue 3 Mar 2026", "Week of 2 Mar 2026", "March 2026"."""
    if unit == "week":
        return f"Week of {date_format(start, 'j M Y')}"
    return date_format(start, "D j M Y" if unit == "day" else "F Y")


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    count: int
    label: str  # for the bar's <title>: "Week of 2 Mar 2026: 3 positive"


@dataclass(frozen=True)
class Tick:
    position: float  # y for the count axis, x (the centre of a bar) for the date axis
    label: str


@dataclass(frozen=True)
class TableRow:
    label: str
    positive: int
    negative: int
    average_score: float | None


@dataclass(frozen=True)
class TimelineChart:
    unit: str
    title: str
    summary: str  # "5 positive and 3 negative verdicts, from ... to ...": shown under the chart
    description: str  # the summary with how to read the chart, for its <desc>
    zero_y: float
    positive_bars: list[Bar]
    negative_bars: list[Bar]
    count_ticks: list[Tick]
    date_ticks: list[Tick]
    rows: list[TableRow]  # the periods with reviews, for the table under the chart
    width: int = CHART_WIDTH
    height: int = CHART_HEIGHT
    plot_left: int = PLOT_LEFT
    plot_right: int = PLOT_RIGHT
    plot_top: int = PLOT_TOP
    plot_bottom: int = PLOT_BOTTOM

    @property
    def unit_wording(self) -> str:
        return UNIT_WORDING[self.unit]

    @property
    def date_axis_y(self) -> int:
        return self.plot_bottom + 18

    @property
    def date_title_y(self) -> int:
        return self.height - 6

    @property
    def count_title_x(self) -> int:
        return 14

    @property
    def count_title_y(self) -> float:
        return (self.plot_top + self.plot_bottom) / 2

    @property
    def count_label_x(self) -> int:
        return self.plot_left - 8

    @property
    def plot_centre_x(self) -> float:
        return (self.plot_left + self.plot_right) / 2


def nice_step(largest: int, ticks: int = 4) -> int:
    """The smallest of 1, 2, 5, 10, 20, 50, ... that covers `largest` in at most `ticks` steps."""
    magnitude = 1
    while True:
        for multiple in (1, 2, 5):
            if multiple * magnitude * ticks >= largest:
                return multiple * magnitude
        magnitude *= 10


def timeline_chart(timeline: SentimentTimeline) -> TimelineChart | None:
    """Diverging bars: positive reviews rise above the zero line, negative ones hang below it, one slot
    per period; direction as well as colour tells them apart. None for a user without reviews."""
    points = timeline.points
    if not points:
        return None
    unit = timeline.unit
    most_positive = max(point.positive for point in points)
    most_negative = max(point.negative for point in points)
    step = nice_step(max(most_positive, most_negative, 1))
    above = math.ceil(most_positive / step) * step
    below = math.ceil(most_negative / step) * step
    scale = (PLOT_BOTTOM - PLOT_TOP) / (above + below)
    zero_y = PLOT_TOP + above * scale
    slot = (PLOT_RIGHT - PLOT_LEFT) / len(points)
    bar_width = min(slot * 0.7, MAX_BAR_WIDTH)
    positive_bars, negative_bars, date_ticks = [], [], []
    label_every = math.ceil(len(points) / MAX_X_LABELS)
    for index, point in enumerate(points):
        centre = PLOT_LEFT + slot * (index + 0.5)
        x = round(centre - bar_width / 2, 1)
        long_label = period_label(point.start, unit)
        if point.positive:
            height = round(point.positive * scale, 1)
            positive_bars.append(
                Bar(
                    x,
                    round(zero_y - height, 1),
                    round(bar_width, 1),
                    height,
                    point.positive,
                    f"{long_label}: {point.positive} positive",
                )
            )
        if point.negative:
            height = round(point.negative * scale, 1)
            negative_bars.append(
                Bar(
                    x,
                    round(zero_y, 1),
                    round(bar_width, 1),
                    height,
                    point.negative,
                    f"{long_label}: {point.negative} negative",
                )
            )
        if index % label_every == 0:
            date_ticks.append(Tick(round(centre, 1), date_format(point.start, SHORT_DATE[unit])))
    count_ticks = [Tick(round(zero_y - value * scale, 1), str(value)) for value in range(0, above + 1, step)]
    count_ticks += [Tick(round(zero_y + value * scale, 1), str(value)) for value in range(step, below + 1, step)]
    positive_total = sum(point.positive for point in points)
    negative_total = sum(point.negative for point in points)
    first, last = (period_label(point.start, unit) for point in (points[0], points[-1]))
    if len(points) > 1:
        span = f"from {first} to {last}"
    elif unit == "week":
        span = f"in the week of {date_format(points[0].start, 'j M Y')}"
    else:
        span = f"{'on' if unit == 'day' else 'in'} {first}"
    return TimelineChart(
        unit=unit,
        title=f"Your verdicts per {UNIT_WORDING[unit]}",
        summary=f"{positive_total} positive and {negative_total} negative verdicts, {span}.",
        description=(
            f"Bars above the line count positive verdicts, bars below it negative ones, per {unit}, {span}: "
            f"{positive_total} positive and {negative_total} negative in all."
        ),
        zero_y=round(zero_y, 1),
        positive_bars=positive_bars,
        negative_bars=negative_bars,
        count_ticks=count_ticks,
        date_ticks=date_ticks,
        rows=[
            TableRow(period_label(point.start, unit), point.positive, point.negative, point.average_score)
            for point in points
            if point.total
        ],
    )
