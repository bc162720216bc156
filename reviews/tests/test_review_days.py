"""The per-day counts (ReviewDay) match the reviews after every way a review comes or goes."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.db.models import Count, Sum
from django.urls import reverse

from reviews import selectors, services
from reviews.models import Review, ReviewDay, Sentiment
from reviews.tests.factories import ReviewFactory, UserFactory

pytestmark = pytest.mark.django_db


def counted(user) -> dict:
    """{(day, sentiment): (reviews, score sum)} as kept, leaving out emptied days."""
    rows = ReviewDay.objects.filter(owner=user, reviews__gt=0)
    return {(row.day, row.sentiment): (row.reviews, round(row.score_sum, 6)) for row in rows}


def recounted(user) -> dict:
    """The same, counted from the reviews themselves."""
    by_day: dict = {}
    for review in Review.objects.filter(owner=user):
        key = (services.review_day_of(review), review.sentiment)
        reviews, total = by_day.get(key, (0, 0.0))
        by_day[key] = (reviews + 1, total + review.score)
    return {key: (reviews, round(total, 6)) for key, (reviews, total) in by_day.items()}


def test_counts_follow_creates_and_deletes(user, other_user):
    kept = [
        ReviewFactory(owner=user, score=0.25 * n, sentiment=Sentiment.NEGATIVE if n < 2 else "positive")
        for n in range(4)
    ]
    ReviewFactory.create_batch(3, owner=other_user)
    assert counted(user) == recounted(user) and len(recounted(user)) == 2
    services.review_delete(user=user, review_id=kept[0].pk)
    kept[1].delete()
    assert counted(user) == recounted(user)
    assert selectors.review_counts(user=user) == {"positive": 2, "negative": 0, "total": 2}
    assert selectors.review_counts(user=other_user)["total"] == 3


def test_counts_follow_review_create(served_model, user):
    services.review_create(user=user, text="A brilliant, wonderful film, I loved it.")
    services.review_create(user=user, text="An awful, boring, dreadful waste.")
    assert counted(user) == recounted(user)
    assert selectors.review_counts(user=user) == {"positive": 1, "negative": 1, "total": 2}


def test_the_admins_bulk_delete_and_deleting_a_user_keep_the_counts(admin_client, user, other_user):
    reviews = ReviewFactory.create_batch(5, owner=user)
    ReviewFactory.create_batch(2, owner=other_user)
    chosen = [review.pk for review in reviews[:3]]
    response = admin_client.post(
        reverse("admin:reviews_review_changelist"),
        {"action": "delete_selected", "_selected_action": chosen, "post": "yes"},
    )
    assert response.status_code == 302
    assert Review.objects.filter(owner=user).count() == 2
    assert counted(user) == recounted(user)
    get_user_model().objects.filter(pk=other_user.pk).delete()
    assert not ReviewDay.objects.filter(owner_id=other_user.pk).exists()


def test_rebuild_recounts_rows_written_around_the_services(user):
    reviews = ReviewFactory.create_batch(4, owner=user)
    Review.objects.filter(pk__in=[r.pk for r in reviews[:2]]).update(
        created_at=datetime.datetime(2025, 1, 5, tzinfo=datetime.UTC)
    )
    assert counted(user) != recounted(user)
    services.review_days_rebuild(user=user)
    assert counted(user) == recounted(user)
    assert services.review_days_rebuild() == ReviewDay.objects.count()


def test_the_chart_reads_the_counts_not_the_reviews(user, django_assert_num_queries):
    ReviewFactory.create_batch(30, owner=user)
    with django_assert_num_queries(1):
        timeline = selectors.review_sentiment_timeline(user=user)
    assert sum(point.total for point in timeline.points) == 30
    totals = Review.objects.filter(owner=user).aggregate(n=Count("id"), s=Sum("score"))
    assert sum(point.score_sum for point in timeline.points) == pytest.approx(totals["s"])


def test_many_users_counts_stay_apart(db):
    users = UserFactory.create_batch(3)
    for number, owner in enumerate(users):
        ReviewFactory.create_batch(number + 1, owner=owner)
    assert [selectors.review_counts(user=owner)["total"] for owner in users] == [1, 2, 3]
