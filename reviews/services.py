"""Writes to reviews: create (predict, then store in one transaction), dispute and delete; the per-day counts."""

import datetime
from dataclasses import asdict

from django.db import transaction
from django.db.models import Count, F, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from classifier import budget
from classifier.classify import classify
from sentisite import metrics

from .models import Review, ReviewDay


def review_create(*, user, text: str, model: str | None = None, sentences: bool = False) -> Review:
    """Classify `text` with `model` (a shipped model's name; None for the default), explain it with the
    same model (and score each sentence when asked), and store it all for `user`.

    A text longer than the model explains (classifier.registry.explanation_limit) is stored with an
    empty explanation and no sentences. Raises ModelUnavailable, UnknownModel or budget.OverBudget (the
    user's CPU budget, whichever door), storing nothing. The model runs before the transaction opens, so no
    database lock is held while it thinks.
    """
    result = classify(
        [text], model=model, explain=True, sentences=sentences, strict=False, client=budget.user_key(user)
    )[0]
    prediction = result.prediction
    with transaction.atomic():
        return Review.objects.create(
            owner=user,
            text=text,
            sentiment=prediction.label,
            score=prediction.score,
            model_version=prediction.model_version,
            confidence=prediction.confidence,
            warnings=list(prediction.warnings),
            explanation=[[word, round(weight, 4)] for word, weight in result.explanation or []],
            sentences=[
                {k: v for k, v in asdict(sentence).items() if k != "text"} for sentence in result.sentences or []
            ],
            mixed=result.mixed,
        )


def review_set_disputed(*, user, review_id: int, disputed: bool) -> Review:
    """Mark (or unmark) one of `user`'s verdicts as wrong; another user's review is Review.DoesNotExist."""
    with transaction.atomic():
        review = Review.objects.owned_by(user).select_for_update().get(pk=review_id)
        if review.verdict_disputed != disputed:
            review.verdict_disputed = disputed
            review.save(update_fields=["verdict_disputed"])
            metrics.count_dispute(disputed)
    return review


def review_delete(*, user, review_id: int) -> None:
    """Delete one of `user`'s reviews; another user's review is Review.DoesNotExist, like a missing one."""
    deleted, _ = Review.objects.owned_by(user).filter(pk=review_id).delete()
    if not deleted:
        raise Review.DoesNotExist(f"No review {review_id} for this user.")


def review_day_of(review: Review) -> datetime.date:
    """The day a review counts for: its date in settings.TIME_ZONE (as the pages show dates)."""
    return timezone.localtime(review.created_at, timezone.get_default_timezone()).date()


def review_day_count(*, review: Review, change: int) -> None:
    """Add `review` to its owner's per-day counts (change=1) or take it away (change=-1).

    Called for every review saved or deleted (reviews.receivers), in the same transaction; concurrent
    writers of one day meet on the counts row's lock, and get_or_create settles a race to create it.
    """
    key = {"owner_id": review.owner_id, "day": review_day_of(review), "sentiment": review.sentiment}
    with transaction.atomic():
        if change > 0:
            ReviewDay.objects.get_or_create(**key)
        ReviewDay.objects.filter(**key).update(
            reviews=F("reviews") + change, score_sum=F("score_sum") + change * review.score
        )


def review_days_rebuild(*, user=None) -> int:
    """Recount the per-day counts from the reviews (every user's, or one user's); the number of rows
    written. For rows written around the services (bulk_create, an update of created_at)."""
    reviews = Review.objects.all() if user is None else Review.objects.owned_by(user)
    days = (
        reviews.annotate(day=TruncDate("created_at", tzinfo=timezone.get_default_timezone()))
        .values("owner_id", "day", "sentiment")
        .annotate(n=Count("id"), score_sum=Sum("score"))
        .order_by()
    )
    with transaction.atomic():
        (ReviewDay.objects.all() if user is None else ReviewDay.objects.filter(owner=user)).delete()
        created = ReviewDay.objects.bulk_create(
            (
                ReviewDay(
                    owner_id=row["owner_id"],
                    day=row["day"],
                    sentiment=row["sentiment"],
                    reviews=row["n"],
                    score_sum=row["score_sum"],
                )
                for row in days.iterator()
            ),
            batch_size=1000,
        )
    return len(created)
