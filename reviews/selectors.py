"""Reads of reviews, always scoped to their owner."""

from django.db.models import Count, QuerySet

from .models import Review, Sentiment


def review_list(*, user, sentiment: str | None = None, search: str | None = None) -> QuerySet[Review]:
    """The user's own reviews, newest first, optionally filtered by sentiment and a text search."""
    reviews = Review.objects.owned_by(user)
    if sentiment:
        reviews = reviews.with_sentiment(sentiment)
    if search:
        reviews = reviews.filter(text__icontains=search)
    return reviews.order_by("-created_at", "-id")


def review_get(*, user, review_id: int) -> Review:
    """One of the user's reviews; another user's review raises Review.DoesNotExist."""
    return Review.objects.owned_by(user).get(pk=review_id)


def review_counts(*, user) -> dict[str, int]:
    """How many of the user's reviews have each sentiment, plus the total."""
    counts = {choice: 0 for choice in Sentiment.values}
    for row in Review.objects.owned_by(user).values("sentiment").annotate(n=Count("id")):
        counts[row["sentiment"]] = row["n"]
    counts["total"] = sum(counts.values())
    return counts
