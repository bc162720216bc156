"""Reads of reviews, always scoped to their owner."""

import datetime
import hashlib
from collections import defaultdict
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import QuerySet, Sum

from ml.text.words import word_key

from .models import Review, ReviewDay, Sentiment
from .search import text_search


def review_list(*, user, sentiment: str | None = None, search: str | None = None) -> QuerySet[Review]:
    """The user's own reviews, newest first, optionally filtered by sentiment and a text search (the
    text contains it, whatever the case: through a trigram index on PostgreSQL and FTS5 on SQLite)."""
    reviews = Review.objects.owned_by(user)
    if sentiment:
        reviews = reviews.with_sentiment(sentiment)
    if search:
        reviews = text_search(reviews, search)
    return reviews.order_by("-created_at", "-id")


def review_list_count(*, user, sentiment: str | None = None, search: str | None = None) -> int | None:
    """How many reviews review_list() holds, read from the per-day counts; None with a search, whose
    matches only a query over the reviews can count (reviews.pagination bounds that count)."""
    if search:
        return None
    return review_counts(user=user)[sentiment or "total"]


def review_get(*, user, review_id: int) -> Review:
    """One of the user's reviews; another user's review raises Review.DoesNotExist."""
    return Review.objects.owned_by(user).get(pk=review_id)


def review_counts(*, user) -> dict[str, int]:
    """How many of the user's reviews have each sentiment, plus the total."""
    counts = {choice: 0 for choice in Sentiment.values}
    # From the per-day counts (a few rows a day), not the reviews.
    for row in ReviewDay.objects.filter(owner=user).values("sentiment").annotate(n=Sum("reviews")).order_by():
        counts[row["sentiment"]] = row["n"] or 0
    counts["total"] = sum(counts.values())
    return counts


# --- Trends: the user's sentiment over time and the words behind their verdicts ---

TIMELINE_UNITS = ("day", "week", "month")
# The longest span (first to last review, in days) drawn per day, then per week; longer spans go per month.
DAILY_UP_TO_DAYS = 31
WEEKLY_UP_TO_DAYS = 366
TOP_WORDS_FROM_LATEST = 200
TOP_WORDS_CACHE_SECONDS = 24 * 3600


@dataclass(frozen=True)
class TimelinePoint:
    """One period of the timeline: how many reviews of each verdict began in it."""

    start: datetime.date
    positive: int = 0
    negative: int = 0
    score_sum: float = 0.0

    @property
    def total(self) -> int:
        return self.positive + self.negative

    @property
    def average_score(self) -> float | None:
        return self.score_sum / self.total if self.total else None


@dataclass(frozen=True)
class SentimentTimeline:
    unit: str  # one of TIMELINE_UNITS
    points: list[TimelinePoint]  # consecutive periods, oldest first, empty ones included


@dataclass(frozen=True)
class WordInfluence:
    word: str  # lowercase, edge punctuation stripped
    weight: float  # summed over the reviews read; positive pushed verdicts towards positive
    reviews: int  # in how many of those reviews it appears


@dataclass(frozen=True)
class TopWords:
    positive: list[WordInfluence]  # strongest first
    negative: list[WordInfluence]  # strongest (most negative) first
    reviews: int  # how many reviews were read


def _period_start(moment: datetime.date, unit: str) -> datetime.date:
    if unit == "week":
        return moment - datetime.timedelta(days=moment.weekday())  # weeks start on Monday (ISO 8601)
    if unit == "month":
        return moment.replace(day=1)
    return moment


def _next_period(start: datetime.date, unit: str) -> datetime.date:
    if unit == "week":
        return start + datetime.timedelta(days=7)
    if unit == "month":
        return (start.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return start + datetime.timedelta(days=1)


def _unit_for_span(days: int) -> str:
    if days <= DAILY_UP_TO_DAYS:
        return "day"
    return "week" if days <= WEEKLY_UP_TO_DAYS else "month"


def review_sentiment_timeline(*, user, unit: str | None = None) -> SentimentTimeline:
    """The user's positive and negative reviews counted per day, week or month (days in settings.TIME_ZONE,
    as the pages show dates).

    `unit` None picks one from the span between the first and the last review, so the chart keeps a
    readable number of bars. Periods without reviews are included with zero counts. Read from the
    per-day counts (ReviewDay), so the cost follows the days with reviews, not the reviews.
    """
    if unit is not None and unit not in TIMELINE_UNITS:
        raise ValueError(f"unit must be one of {', '.join(TIMELINE_UNITS)}, not {unit!r}")
    rows = list(
        ReviewDay.objects.filter(owner=user, reviews__gt=0).values_list("day", "sentiment", "reviews", "score_sum")
    )
    if not rows:
        return SentimentTimeline(unit=unit or "day", points=[])
    first, last = min(row[0] for row in rows), max(row[0] for row in rows)
    unit = unit or _unit_for_span((last - first).days)
    counts: dict[datetime.date, dict] = {}
    for day, sentiment, reviews, score_sum in rows:
        bucket = counts.setdefault(_period_start(day, unit), {"positive": 0, "negative": 0, "score_sum": 0.0})
        bucket[sentiment] += reviews
        bucket["score_sum"] += score_sum
    points = []
    start, last = _period_start(first, unit), _period_start(last, unit)
    while start <= last:
        points.append(TimelinePoint(start=start, **counts.get(start, {})))
        start = _next_period(start, unit)
    return SentimentTimeline(unit=unit, points=points)


def review_top_words(*, user, limit: int = 10, latest: int = TOP_WORDS_FROM_LATEST) -> TopWords:
    """The words that most often drove the user's verdicts: explanation weights summed per word over
    their `latest` reviews; the `limit` strongest towards positive and towards negative.

    Cached under the ids of those reviews (read from an index): the explanations are walked again only
    when a review joins or leaves them, not on every view of the history.
    """
    newest = Review.objects.owned_by(user).order_by("-created_at", "-id")
    ids = ",".join(map(str, newest.values_list("id", flat=True)[:latest]))
    digest = hashlib.sha256(ids.encode()).hexdigest()[:32]
    key = f"reviews:top-words:v1:{user.pk}:{limit}:{latest}:{digest}"
    top = cache.get(key)
    if top is None:
        top = _top_words(list(newest.values_list("explanation", flat=True)[:latest]), limit)
        cache.set(key, top, TOP_WORDS_CACHE_SECONDS)
    return top


def _top_words(explanations: list[list], limit: int) -> TopWords:
    weights: dict[str, float] = defaultdict(float)
    appearances: dict[str, int] = defaultdict(int)
    keys: dict[str, str] = {}  # word_key of each spelling met: reviews repeat their words
    for explanation in explanations:
        seen = set()
        for word, weight in explanation or ():
            key = keys.get(word)
            if key is None:
                key = keys[word] = word_key(word)
            if not key:
                continue
            weights[key] += weight
            seen.add(key)
        for key in seen:
            appearances[key] += 1
    influences = [
        WordInfluence(word=key, weight=round(total, 4), reviews=appearances[key]) for key, total in weights.items()
    ]
    positive = sorted((i for i in influences if i.weight > 0), key=lambda i: (-i.weight, i.word))
    negative = sorted((i for i in influences if i.weight < 0), key=lambda i: (i.weight, i.word))
    return TopWords(positive=positive[:limit], negative=negative[:limit], reviews=len(explanations))
