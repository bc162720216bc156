"""Writes about accounts: revoking a user's API tokens."""

from rest_framework.authtoken.models import Token


def api_tokens_revoke(*, user) -> int:
    """Delete every API token of `user` (a new password signs out every device); returns how many."""
    deleted, _ = Token.objects.filter(user=user).delete()
    return deleted
