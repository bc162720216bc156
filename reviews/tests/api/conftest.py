"""Fixtures of the API tests: DRF's client in place of Django's, the user's password, throttling counts reset per test."""

import pytest
from rest_framework.test import APIClient

from sentisite.tests.helpers import PASSWORD


@pytest.fixture(autouse=True)
def fresh_throttle_counts(clear_throttle_counts):
    """Every API test starts with no throttling counts (the fixture is in the root conftest.py)."""


@pytest.fixture
def client():
    """DRF's client (JSON bodies with format="json") in place of Django's."""
    return APIClient()


@pytest.fixture
def password(user):
    """The user's password, stored here so that these tests do not depend on how the factory sets it."""
    user.set_password(PASSWORD)
    user.save(update_fields=["password"])
    return PASSWORD
