"""Fixtures of the API tests: a DRF client, a token-authenticated one, and throttling counts reset per test."""

import pytest
from django.core.cache import cache
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient


@pytest.fixture(autouse=True)
def clear_throttle_counts(db):
    """Throttling counts live in the cache (a database table here): no test inherits another's."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def client():
    """DRF's client (JSON bodies with format="json") in place of Django's."""
    return APIClient()


@pytest.fixture
def token_client(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client
