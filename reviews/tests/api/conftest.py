"""Fixtures of the API tests: DRF's client in place of Django's, throttling counts reset per test."""

import pytest
from rest_framework.test import APIClient


@pytest.fixture(autouse=True)
def fresh_throttle_counts(clear_throttle_counts):
    """Every API test starts with no throttling counts (the fixture is in the root conftest.py)."""


@pytest.fixture
def client():
    """DRF's client (JSON bodies with format="json") in place of Django's."""
    return APIClient()
