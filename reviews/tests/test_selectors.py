"""Reads are always scoped to their owner: list, filters, search, one review, counts."""

import datetime

import pytest
from django.utils import timezone

from reviews import selectors
from reviews.models import Review, Sentiment
from reviews.tests.factories import ReviewFactory

pytestmark = pytest.mark.django_db


def test_review_list_holds_only_the_users_reviews(user, other_user):
    mine = ReviewFactory.create_batch(3, owner=user)
    ReviewFactory.create_batch(2, owner=other_user)
    assert set(selectors.review_list(user=user)) == set(mine)


def test_review_list_is_newest_first(user):
    now = timezone.now()
    old, new, middle = (ReviewFactory(owner=user) for _ in range(3))
    for review, age in ((old, 3), (new, 1), (middle, 2)):
        Review.objects.filter(pk=review.pk).update(created_at=now - datetime.timedelta(days=age))
    assert list(selectors.review_list(user=user)) == [new, middle, old]


def test_review_list_ties_break_on_id(user):
    first, second = ReviewFactory.create_batch(2, owner=user)
    Review.objects.filter(owner=user).update(created_at=timezone.now())
    assert list(selectors.review_list(user=user)) == [second, first]


def test_review_list_filters_by_sentiment(user):
    positive = ReviewFactory(owner=user, sentiment=Sentiment.POSITIVE, score=0.9)
    negative = ReviewFactory(owner=user, sentiment=Sentiment.NEGATIVE, score=0.1)
    assert list(selectors.review_list(user=user, sentiment="positive")) == [positive]
    assert list(selectors.review_list(user=user, sentiment="negative")) == [negative]
    assert len(selectors.review_list(user=user, sentiment=None)) == 2


def test_review_list_searches_the_text_case_insensitively(user, other_user):
    hit = ReviewFactory(owner=user, text="The Cinematography was superb")
    ReviewFactory(owner=user, text="Dull plot")
    ReviewFactory(owner=other_user, text="cinematography of someone else")
    assert list(selectors.review_list(user=user, search="cinematography")) == [hit]
    assert list(selectors.review_list(user=user, search="nothing like this")) == []


def test_review_get_returns_own_review_and_hides_others(user, other_user):
    mine = ReviewFactory(owner=user)
    theirs = ReviewFactory(owner=other_user)
    assert selectors.review_get(user=user, review_id=mine.pk) == mine
    with pytest.raises(Review.DoesNotExist):
        selectors.review_get(user=user, review_id=theirs.pk)
    with pytest.raises(Review.DoesNotExist):
        selectors.review_get(user=user, review_id=10**9)


def test_review_counts(user, other_user):
    ReviewFactory.create_batch(3, owner=user, sentiment=Sentiment.POSITIVE)
    ReviewFactory.create_batch(2, owner=user, sentiment=Sentiment.NEGATIVE, score=0.2)
    ReviewFactory.create_batch(4, owner=other_user, sentiment=Sentiment.NEGATIVE, score=0.2)
    assert selectors.review_counts(user=user) == {"positive": 3, "negative": 2, "total": 5}


def test_review_counts_of_a_new_user_are_zero(user):
    assert selectors.review_counts(user=user) == {"positive": 0, "negative": 0, "total": 0}
