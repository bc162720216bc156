"""The API's authentication: tokens (obtained, refused, throttled), sessions and CSRF, the browsable API."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from reviews.models import Review
from reviews.tests.factories import PASSWORD, ReviewFactory
from sentisite.tests.helpers import (
    POSITIVE_TEXT,
    PREDICT,
    REVIEWS,
    assert_error,
    csrf_client,
    review_url,
    set_rates,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clear_throttle_counts")]


@pytest.fixture
def client():
    """DRF's client (JSON bodies with format="json") in place of Django's."""
    return APIClient()


TOKEN = "/api/v1/auth/token"


# --- authentication ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "method, url", [("get", REVIEWS), ("post", REVIEWS), ("get", review_url(1)), ("delete", review_url(1))]
)
def test_reviews_need_authentication(client, method, url):
    response = getattr(client, method)(url)
    assert_error(response, 401, "not_authenticated")
    assert response["WWW-Authenticate"] == "Token"


def test_a_wrong_token_is_401(client, served_model):
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    assert_error(client.get(REVIEWS), 401, "authentication_failed")
    assert_error(client.post(PREDICT, {"text": "great"}, format="json"), 401, "authentication_failed")


def test_obtain_a_token_and_use_it(client, user, password):
    response = client.post(TOKEN, {"username": user.username, "password": PASSWORD}, format="json")
    assert response.status_code == 200, response.content
    token = response.json()["token"]
    assert Token.objects.get(user=user).key == token
    assert client.post(TOKEN, {"username": user.username, "password": PASSWORD}, format="json").json() == {
        "token": token
    }
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get(REVIEWS).status_code == 200


def test_obtain_a_token_with_a_form(client, user, password):
    response = client.post(
        TOKEN, f"username={user.username}&password={PASSWORD}", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200 and response.json()["token"]


@pytest.mark.parametrize(
    "body_for, field",
    [
        (lambda name: {"username": name, "password": "wrong"}, "non_field_errors"),
        (lambda name: {"username": "nobody", "password": PASSWORD}, "non_field_errors"),
        (lambda name: {"username": name}, "password"),
        (lambda name: {"password": PASSWORD}, "username"),
        (lambda name: {"username": name, "password": ""}, "password"),
        (lambda name: {"username": [name], "password": PASSWORD}, "username"),
        (lambda name: {"username": name + "\x00", "password": PASSWORD}, "username"),
    ],
    ids=["wrong-password", "unknown-user", "no-password", "no-username", "blank-password", "list", "nul-char"],
)
def test_token_refuses_bad_credentials(client, user, password, body_for, field):
    error = assert_error(client.post(TOKEN, body_for(user.username), format="json"), 400, "invalid")
    assert field in error["errors"]
    assert not Token.objects.exists()


def test_token_endpoint_refuses_other_content_types(client):
    assert_error(client.post(TOKEN, "username=a", content_type="text/plain"), 415, "unsupported_media_type")


def test_token_brute_force_is_429(client, user, password):
    """The shared lock-out (5 failures per username): the 6th try is refused, even with the right password."""
    for _ in range(5):
        response = client.post(TOKEN, {"username": user.username, "password": "guess"}, format="json")
        assert response.status_code == 400
    response = client.post(TOKEN, {"username": user.username, "password": PASSWORD}, format="json")
    assert_error(response, 429, "throttled")
    assert int(response["Retry-After"]) > 0


def test_token_brute_force_from_many_addresses_is_429(client, user, password):
    for number in range(5):
        response = client.post(
            TOKEN, {"username": user.username, "password": "guess"}, format="json", REMOTE_ADDR=f"10.0.0.{number}"
        )
        assert response.status_code == 400
    response = client.post(
        TOKEN, {"username": user.username.upper(), "password": "guess"}, format="json", REMOTE_ADDR="10.0.1.1"
    )
    assert_error(response, 429, "throttled")


def test_token_throttle_does_not_touch_the_api_rates(client, user, password, settings, served_model):
    set_rates(settings, login="1/minute")
    client.post(TOKEN, {"username": user.username, "password": "guess"}, format="json")
    assert client.post(TOKEN, {"username": user.username, "password": PASSWORD}, format="json").status_code == 429
    assert client.post(PREDICT, {"text": "great"}, format="json").status_code == 200


def test_session_auth_reads_without_csrf(user, password):
    client, _ = csrf_client(user, password)
    ReviewFactory(owner=user)
    response = client.get(REVIEWS)
    assert response.status_code == 200 and response.json()["count"] == 1


def test_session_post_without_csrf_is_403(user, password, served_model):
    client, _ = csrf_client(user, password)
    body = assert_error(client.post(REVIEWS, {"text": POSITIVE_TEXT}, format="json"), 403, "permission_denied")
    assert "CSRF" in body["detail"]
    assert Review.objects.count() == 0


def test_session_delete_without_csrf_is_403(user, password):
    client, _ = csrf_client(user, password)
    review = ReviewFactory(owner=user)
    assert_error(client.delete(review_url(review.pk)), 403, "permission_denied")
    assert Review.objects.filter(pk=review.pk).exists()


def test_session_post_with_csrf_works(user, password, served_model):
    client, token = csrf_client(user, password)
    response = client.post(REVIEWS, {"text": POSITIVE_TEXT}, format="json", HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 201, response.content
    assert Review.objects.get().owner == user


def test_session_predict_needs_csrf_too(user, password, served_model):
    client, token = csrf_client(user, password)
    assert_error(client.post(PREDICT, {"text": POSITIVE_TEXT}, format="json"), 403, "permission_denied")
    assert client.post(PREDICT, {"text": POSITIVE_TEXT}, format="json", HTTP_X_CSRFTOKEN=token).status_code == 200


def test_browsable_api_renders_for_a_signed_in_user(user, password):
    client = APIClient()
    assert client.login(username=user.username, password=password)
    ReviewFactory(owner=user)
    response = client.get(REVIEWS, HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    # Only the raw-data form: DRF's HTML form posts multipart/form-data, which the API refuses with 415.
    assert 'id="post-generic-content-form"' in html
    assert 'enctype="multipart/form-data"' not in html
