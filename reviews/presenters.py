"""What the pages draw from stored data: explanation weights as highlight classes, the timeline as SVG geometry."""

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils.formats import date_format

from ml.text import strip_edge_punctuation, word_key

from .selectors import SentimentTimeline

# Strength levels per direction, as fractions of the text's largest |weight|: below the first a
# word is left plain (almost every word carries a little weight; colouring them all is noise).
LEVEL_FLOORS = (0.15, 0.4, 0.7)
# A word that moves the log-odds by less than this is left plain whatever the rest of
# the text does: in a text where nothing matters, normalising would dress noise up as a strong signal.
MIN_WEIGHT = 0.05
TOP_WORDS_IN_TEXT = 5
MINUS = "\u2212"  # a real minus sign: "−1.20" reads (and is read aloud) as a negative number
_WORD = re.compile(r"\S+")  # the words of ml.explain.split_words, so stored words line up with the text


def weight_level(weight: float, largest: float) -> int:
    """-3..3: the direction (sign) and strength (1..3) of a word's weight, relative to the largest |weight|
    of its text; 0 leaves the word plain."""
    if largest <= 0 or abs(weight) < MIN_WEIGHT:
        return 0
    ratio = abs(weight) / largest
    strength = sum(ratio >= floor for floor in LEVEL_FLOORS)
    return int(math.copysign(strength, weight)) if strength else 0


def signed(weight: float) -> str:
    """+2.31 / −1.20 (with a real minus sign)."""
    return f"+{weight:.2f}" if weight >= 0 else f"{MINUS}{abs(weight):.2f}"


@dataclass(frozen=True)
class Segment:
    """A run of the review's text: a word with its weight, or the whitespace between two words."""

    text: str
    level: int = 0  # -3..3, see weight_level; 0 for plain words and whitespace
    weight: float = 0.0

    @property
    def css_class(self) -> str:
        if not self.level:
            return ""
        return f"hl hl--{'pos' if self.level > 0 else 'neg'}-{abs(self.level)}"

    @property
    def description(self) -> str:
        direction = "positive" if self.level > 0 else "negative"
        return f"Pushed towards {direction} ({signed(self.weight)})"


@dataclass(frozen=True)
class KeyWord:
    word: str
    weight: float

    @property
    def signed_weight(self) -> str:
        return signed(self.weight)


@dataclass(frozen=True)
class ExplainedText:
    """A review's text cut into segments that join back to it exactly, and its strongest words."""

    segments: list[Segment]
    positive: list[KeyWord]  # strongest first
    negative: list[KeyWord]  # strongest first

    @property
    def has_highlights(self) -> bool:
        return bool(self.positive or self.negative)


def explain_text(text: str, explanation: Sequence[Sequence]) -> ExplainedText | None:
    """Pair each whitespace-separated word of `text` with its weight from `explanation` ([[word, weight], ...]).

    None when the explanation does not fit the text (none stored, or made for other words): the page
    then shows the text plain rather than colouring the wrong words.
    """
    matches = list(_WORD.finditer(text))
    if not explanation or len(explanation) != len(matches):
        return None
    if any(match.group() != word for match, (word, _) in zip(matches, explanation, strict=True)):
        return None
    largest = max(abs(weight) for _, weight in explanation)
    segments, position = [], 0
    for match, (word, weight) in zip(matches, explanation, strict=True):
        if match.start() > position:
            segments.append(Segment(text[position : match.start()]))
        segments.append(Segment(word, weight_level(weight, largest), weight))
        position = match.end()
    if position < len(text):
        segments.append(Segment(text[position:]))
    marked = [segment for segment in segments if segment.level]
    return ExplainedText(
        segments=segments,
        positive=_strongest(sorted((s for s in marked if s.level > 0), key=lambda s: -s.weight)),
        negative=_strongest(sorted((s for s in marked if s.level < 0), key=lambda s: s.weight)),
    )


def _strongest(segments: Iterable[Segment]) -> list[KeyWord]:
    """The first TOP_WORDS_IN_TEXT distinct words (a word repeated in the text is listed once)."""
    seen, words = set(), []
    for segment in segments:
        key = word_key(segment.text)
        if key and key not in seen:
            seen.add(key)
            words.append(KeyWord(word=strip_edge_punctuation(segment.text), weight=segment.weight))
        if len(words) == TOP_WORDS_IN_TEXT:
            break
    return words


# --- The timeline chart on the history page ---

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
