"""The API's disputed verdicts: marking a verdict wrong and undoing it, owner only, throttled."""

import pytest

from reviews.tests.factories import ReviewFactory
from sentisite.tests.helpers import REVIEWS, assert_error, csrf_client, review_url, set_rates

pytestmark = pytest.mark.django_db


# --- the stored explanation, and disputes ------------------------------------------------------------------------


def dispute_url(review_id) -> str:
    return f"{REVIEWS}{review_id}/dispute"


def test_dispute_and_undo(token_client, user):
    review = ReviewFactory(owner=user)
    response = token_client.post(dispute_url(review.pk))
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["id"] == review.pk and body["verdict_disputed"] is True
    assert body["url"] == f"http://testserver{review_url(review.pk)}"
    review.refresh_from_db()
    assert review.verdict_disputed is True
    assert token_client.post(dispute_url(review.pk)).json()["verdict_disputed"] is True  # idempotent
    assert token_client.get(review_url(review.pk)).json()["verdict_disputed"] is True

    response = token_client.delete(dispute_url(review.pk))
    assert response.status_code == 200, response.content
    assert response.json()["verdict_disputed"] is False
    review.refresh_from_db()
    assert review.verdict_disputed is False
    assert token_client.delete(dispute_url(review.pk)).json()["verdict_disputed"] is False


def test_another_users_review_cannot_be_disputed(token_client, other_user):
    theirs = ReviewFactory(owner=other_user)
    assert_error(token_client.post(dispute_url(theirs.pk)), 404, "not_found")
    theirs.verdict_disputed = True
    theirs.save(update_fields=["verdict_disputed"])
    assert_error(token_client.delete(dispute_url(theirs.pk)), 404, "not_found")
    theirs.refresh_from_db()
    assert theirs.verdict_disputed is True


@pytest.mark.parametrize("review_id", ["999999", "abc", "-1", "9" * 30])
def test_disputing_an_unknown_review_is_404(token_client, review_id):
    assert_error(token_client.post(dispute_url(review_id)), 404, "not_found")
    assert_error(token_client.delete(dispute_url(review_id)), 404, "not_found")


def test_dispute_needs_authentication(client, user):
    review = ReviewFactory(owner=user)
    for method in (client.post, client.delete):
        response = method(dispute_url(review.pk))
        assert_error(response, 401, "not_authenticated")
        assert response["WWW-Authenticate"] == "Token"
    review.refresh_from_db()
    assert review.verdict_disputed is False


def test_dispute_refuses_other_methods(token_client, user):
    review = ReviewFactory(owner=user)
    assert_error(token_client.get(dispute_url(review.pk)), 405, "method_not_allowed")
    assert_error(token_client.put(dispute_url(review.pk), {}, format="json"), 405, "method_not_allowed")


def test_session_dispute_needs_csrf(user, password):
    client, token = csrf_client(user, password)
    review = ReviewFactory(owner=user)
    body = assert_error(client.post(dispute_url(review.pk)), 403, "permission_denied")
    assert "CSRF" in body["detail"]
    review.refresh_from_db()
    assert review.verdict_disputed is False
    assert client.post(dispute_url(review.pk), HTTP_X_CSRFTOKEN=token).json()["verdict_disputed"] is True
    assert_error(client.delete(dispute_url(review.pk)), 403, "permission_denied")
    review.refresh_from_db()
    assert review.verdict_disputed is True
    assert client.delete(dispute_url(review.pk), HTTP_X_CSRFTOKEN=token).json()["verdict_disputed"] is False


def test_dispute_is_throttled_with_the_user_rate(token_client, user, settings):
    set_rates(settings, user="1/minute")
    review = ReviewFactory(owner=user)
    assert token_client.post(dispute_url(review.pk)).status_code == 200
    assert_error(token_client.delete(dispute_url(review.pk)), 429, "throttled")
