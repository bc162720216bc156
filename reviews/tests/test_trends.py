"""Trends on the history page: the sentiment timeline and the top words, asserted exactly on known reviews."""

import datetime

import pytest
from django.utils import timezone

from reviews import selectors
from reviews.models import Review, Sentiment
from reviews.selectors import SentimentTimeline, TimelinePoint, TopWords, WordInfluence
from reviews.services import review_days_rebuild
from reviews.tests.factories import ReviewFactory

pytestmark = pytest.mark.django_db

UTC = datetime.UTC


def review_at(
    owner, when: datetime.datetime, sentiment: str = Sentiment.POSITIVE, score: float | None = None, **fields
):
    """A review created at `when` (created_at is auto_now_add, so it is set after the insert)."""
    score = score if score is not None else (0.9 if sentiment == Sentiment.POSITIVE else 0.1)
    review = ReviewFactory(owner=owner, sentiment=sentiment, score=score, **fields)
    Review.objects.filter(pk=review.pk).update(created_at=when)
    review_days_rebuild(user=owner)  # an update() passes by the per-day counts
    return review


def at(day: int, month: int = 3, hour: int = 12, year: int = 2026) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, tzinfo=UTC)


# --- The timeline ---


def test_a_user_without_reviews_has_an_empty_timeline(user):
    assert selectors.review_sentiment_timeline(user=user) == SentimentTimeline(unit="day", points=[])


def test_short_spans_are_counted_per_day_with_empty_days_included(user, other_user):
    review_at(user, at(2), score=0.75)
    review_at(user, at(2, hour=18), score=0.25)  # a positive with 0.25 cannot happen; the sum is what is tested
    review_at(user, at(2, hour=20), Sentiment.NEGATIVE, score=0.5)
    review_at(user, at(4), Sentiment.NEGATIVE, score=0.0)
    review_at(other_user, at(3))  # someone else's review is not counted and does not fill 3 March
    timeline = selectors.review_sentiment_timeline(user=user)
    assert timeline == SentimentTimeline(
        unit="day",
        points=[
            TimelinePoint(datetime.date(2026, 3, 2), positive=2, negative=1, score_sum=1.5),
            TimelinePoint(datetime.date(2026, 3, 3)),
            TimelinePoint(datetime.date(2026, 3, 4), positive=0, negative=1, score_sum=0.0),
        ],
    )
    assert [point.average_score for point in timeline.points] == [0.5, None, 0.0]
    assert [point.total for point in timeline.points] == [3, 0, 1]


def test_a_span_over_a_month_is_counted_per_week_starting_monday(user):
    review_at(user, at(1))  # Sunday 1 March 2026: its week starts on Monday 23 February
    review_at(user, at(2))  # Monday 2 March
    review_at(user, at(8), Sentiment.NEGATIVE)  # Sunday 8 March: still the week of 2 March
    review_at(user, at(3, month=4))  # Friday 3 April: the week of 30 March
    timeline = selectors.review_sentiment_timeline(user=user)
    assert timeline.unit == "week"
    assert [(point.start, point.positive, point.negative) for point in timeline.points] == [
        (datetime.date(2026, 2, 23), 1, 0),
        (datetime.date(2026, 3, 2), 1, 1),
        (datetime.date(2026, 3, 9), 0, 0),
        (datetime.date(2026, 3, 16), 0, 0),
        (datetime.date(2026, 3, 23), 0, 0),
        (datetime.date(2026, 3, 30), 1, 0),
    ]


def test_a_span_over_a_year_is_counted_per_month(user):
    review_at(user, at(31, month=12, year=2024), Sentiment.NEGATIVE)
    review_at(user, at(15, month=2, year=2026))
    review_at(user, at(28, month=2, year=2026))
    timeline = selectors.review_sentiment_timeline(user=user)
    assert timeline.unit == "month"
    assert len(timeline.points) == 15  # December 2024 to February 2026
    assert timeline.points[0] == TimelinePoint(datetime.date(2024, 12, 1), positive=0, negative=1, score_sum=0.1)
    assert timeline.points[1].start == datetime.date(2025, 1, 1)
    assert timeline.points[-1] == TimelinePoint(datetime.date(2026, 2, 1), positive=2, negative=0, score_sum=1.8)
    assert sum(point.total for point in timeline.points) == 3


@pytest.mark.parametrize(("last_day", "unit"), [(31, "day"), (32, "week")])
def test_the_unit_switches_after_31_days(user, last_day, unit):
    review_at(user, at(1, month=1))
    review_at(user, datetime.datetime(2026, 1, 1, 12, tzinfo=UTC) + datetime.timedelta(days=last_day))
    assert selectors.review_sentiment_timeline(user=user).unit == unit


def test_the_unit_can_be_chosen(user):
    review_at(user, at(2))
    review_at(user, at(4))
    timeline = selectors.review_sentiment_timeline(user=user, unit="month")
    assert timeline == SentimentTimeline(unit="month", points=[TimelinePoint(datetime.date(2026, 3, 1), 2, 0, 1.8)])
    with pytest.raises(ValueError, match="unit must be one of"):
        selectors.review_sentiment_timeline(user=user, unit="fortnight")


def test_days_are_taken_in_the_sites_time_zone(user, settings):
    # The per-day counts are kept in settings.TIME_ZONE (the pages' dates); a site that changes it
    # recounts them with reviews.services.review_days_rebuild().
    settings.TIME_ZONE = "Asia/Tokyo"
    with timezone.override("Asia/Tokyo"):
        review_at(user, at(2, hour=23))  # 23:00 UTC on 2 March is already 3 March in Tokyo
        timeline = selectors.review_sentiment_timeline(user=user)
    assert [point.start for point in timeline.points] == [datetime.date(2026, 3, 3)]


# --- The top words ---


def test_top_words_sum_weights_per_normalised_word(user, other_user):
    ReviewFactory(owner=user, explanation=[["Brilliant!", 2.0], ["acting,", 0.5], ["dull", -1.0], ["—", 0.0]])
    ReviewFactory(owner=user, explanation=[["brilliant", 1.0], ["(dull)", -2.5], ["plot", -0.25], ["acting", -0.5]])
    ReviewFactory(owner=user, explanation=[])  # a review from before explanations were stored
    ReviewFactory(owner=other_user, explanation=[["awful", -9.0], ["brilliant", 9.0]])
    assert selectors.review_top_words(user=user) == TopWords(
        positive=[WordInfluence("brilliant", 3.0, 2)],
        negative=[WordInfluence("dull", -3.5, 2), WordInfluence("plot", -0.25, 1)],
        reviews=3,
    )


def test_a_word_counts_once_per_review_but_all_its_weights_add_up(user):
    ReviewFactory(owner=user, explanation=[["good", 1.0], ["GOOD", 0.5], ["Good.", 0.25]])
    assert selectors.review_top_words(user=user).positive == [WordInfluence("good", 1.75, 1)]


def test_top_words_keep_the_strongest_with_ties_in_alphabetical_order(user):
    ReviewFactory(
        owner=user, explanation=[[f"w{i:02d}", float(i)] for i in range(1, 13)] + [["zeta", 12.0], ["alpha", -1.0]]
    )
    top = selectors.review_top_words(user=user, limit=3)
    assert [(word.word, word.weight) for word in top.positive] == [("w12", 12.0), ("zeta", 12.0), ("w11", 11.0)]
    assert [word.word for word in top.negative] == ["alpha"]
    assert len(selectors.review_top_words(user=user).positive) == 10


def test_top_words_read_only_the_latest_reviews(user):
    review_at(user, at(1), explanation=[["ancient", 5.0]])
    review_at(user, at(2), explanation=[["recent", 1.0]])
    review_at(user, at(3), explanation=[["newest", -1.0]])
    top = selectors.review_top_words(user=user, latest=2)
    assert top == TopWords(
        positive=[WordInfluence("recent", 1.0, 1)], negative=[WordInfluence("newest", -1.0, 1)], reviews=2
    )
    assert "ancient" in [word.word for word in selectors.review_top_words(user=user).positive]


def test_words_that_cancel_out_or_are_only_punctuation_are_left_out(user):
    ReviewFactory(owner=user, explanation=[["fine", 1.0], ["...", 3.0], ["!!", -3.0]])
    ReviewFactory(owner=user, explanation=[["fine", -1.0]])
    assert selectors.review_top_words(user=user) == TopWords(positive=[], negative=[], reviews=2)


@pytest.mark.parametrize(
    ("word", "key"),
    [
        ("Brilliant!", "brilliant"),
        ("(dull)", "dull"),
        ("don't", "don't"),
        ("well-made.", "well-made"),
        ("...", ""),
        ("Épique,", "épique"),
        ("_x_", "x"),
        ("10/10", "10/10"),
    ],
)
def test_word_key(word, key):
    assert selectors.word_key(word) == key
