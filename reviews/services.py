"""Writes to reviews: create (predict, then store in one transaction) and delete; the user's API token."""

from django.db import transaction
from rest_framework.authtoken.models import Token

from classifier import services as classifier_services

from .models import Review


def review_create(*, user, text: str) -> Review:
    """Predict the sentiment of `text` and store it for `user`; raises ModelUnavailable, storing nothing."""
    prediction = classifier_services.predict([text])[0]
    with transaction.atomic():
        return Review.objects.create(
            owner=user,
            text=text,
            sentiment=prediction.label,
            score=prediction.score,
            model_version=prediction.model_version,
        )


def review_delete(*, user, review_id: int) -> None:
    """Delete one of `user`'s reviews; another user's review is Review.DoesNotExist, like a missing one."""
    deleted, _ = Review.objects.owned_by(user).filter(pk=review_id).delete()
    if not deleted:
        raise Review.DoesNotExist(f"No review {review_id} for this user.")


def api_token_get(*, user) -> Token:
    """The user's REST API token, created on first use."""
    token, _ = Token.objects.get_or_create(user=user)
    return token


def api_token_regenerate(*, user) -> Token:
    """Replace the user's API token with a fresh one; the old one stops working at once."""
    with transaction.atomic():
        Token.objects.filter(user=user).delete()
        return Token.objects.create(user=user)
