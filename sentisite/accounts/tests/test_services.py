"""Account writes: the API token is made once, regenerated with a new key, revoked."""

import pytest
from rest_framework.authtoken.models import Token

from sentisite.accounts import services

pytestmark = pytest.mark.django_db


def test_api_token_get_creates_once(user):
    token = services.api_token_get(user=user)
    assert token.user == user
    assert len(token.key) == 40
    assert services.api_token_get(user=user).key == token.key
    assert Token.objects.filter(user=user).count() == 1


def test_api_token_regenerate_replaces_the_key(user, other_user):
    old = services.api_token_get(user=user).key
    theirs = services.api_token_get(user=other_user).key
    new = services.api_token_regenerate(user=user)
    assert new.key != old
    assert not Token.objects.filter(key=old).exists()
    assert Token.objects.get(user=user).key == new.key
    assert Token.objects.get(user=other_user).key == theirs


def test_api_token_regenerate_works_without_an_existing_token(user):
    assert services.api_token_regenerate(user=user).user == user


def test_api_tokens_revoke_deletes_the_users_token_only(user, other_user):
    services.api_token_get(user=user)
    theirs = services.api_token_get(user=other_user).key
    assert services.api_tokens_revoke(user=user) == 1
    assert services.api_tokens_revoke(user=user) == 0
    assert list(Token.objects.values_list("key", flat=True)) == [theirs]
