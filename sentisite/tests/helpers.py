"""What the API tests of every app share (not a test module): addresses, a password, texts, reading errors and rates."""

import json

from django.conf import settings as django_settings
from django.middleware.csrf import get_token
from django.test import RequestFactory
from rest_framework.test import APIClient

REVIEWS = "/api/v1/reviews/"
PREDICT = "/api/v1/predict"
MIXED_TEXT = "The acting was brilliant but the plot was dreadful."
POSITIVE_TEXT = "A great and brilliant film, I loved it."
NEGATIVE_TEXT = "An awful, boring and dreadful movie, the worst."
TOO_LONG = "a" * (20_000 + 1)


def review_url(review_id) -> str:
    return f"{REVIEWS}{review_id}/"


def assert_error(response, status: int, code: str) -> dict:
    """An error response: the status, JSON, and the body shape every error shares."""
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = json.loads(response.content)
    assert isinstance(body["detail"], str) and body["detail"]
    assert body["code"] == code
    assert set(body) <= {"detail", "code", "errors"}
    return body


def set_rates(settings, **rates):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], **rates},
    }


def csrf_client(user, password) -> tuple[APIClient, str]:
    """A session-authenticated client that enforces CSRF, and a valid token for its cookie."""
    client = APIClient(enforce_csrf_checks=True)
    assert client.login(username=user.username, password=password)
    request = RequestFactory().get("/")
    token = get_token(request)
    client.cookies[django_settings.CSRF_COOKIE_NAME] = request.META["CSRF_COOKIE"]
    return client, token
