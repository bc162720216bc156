"""Writes about accounts: a user's API token (get, regenerate, revoke)."""

from django.db import transaction
from rest_framework.authtoken.models import Token


def api_token_get(*, user) -> Token:
    """The user's REST API token, created on first use."""
    token, _ = Token.objects.get_or_create(user=user)
    return token


def api_token_regenerate(*, user) -> Token:
    """Replace the user's API token with a fresh one; the old one stops working at once."""
    with transaction.atomic():
        Token.objects.filter(user=user).delete()
        return Token.objects.create(user=user)


def api_tokens_revoke(*, user) -> int:
    """Delete every API token of `user` (a new password signs out every device); returns how many."""
    deleted, _ = Token.objects.filter(user=user).delete()
    return deleted
