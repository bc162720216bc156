"""Writes to reviews: create (predict, then store in one transaction), dispute and delete."""

from dataclasses import asdict

from django.db import transaction

from classifier.classify import classify
from sentisite import metrics

from .models import Review


def review_create(*, user, text: str, model: str | None = None, sentences: bool = False) -> Review:
    """Classify `text` with `model` (a shipped model's name; None for the default), explain it with the
    same model (and score each sentence when asked), and store it all for `user`.

    A text longer than the model explains (classifier.registry.explanation_limit) is stored with an
    empty explanation and no sentences. Raises ModelUnavailable or UnknownModel, storing nothing. The
    model runs before the transaction opens, so no database lock is held while it thinks.
    """
    result = classify([text], model=model, explain=True, sentences=sentences, strict=False)[0]
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
