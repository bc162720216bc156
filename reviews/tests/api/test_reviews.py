"""The API's reviews: create (predict and store), list, filter, search, order, retrieve, delete; owner only."""

import json

import pytest
from django.conf import settings as django_settings
from drf_spectacular.generators import SchemaGenerator

from classifier import registry
from reviews.models import Review
from reviews.tests.factories import ReviewFactory
from sentisite.tests.helpers import (
    NEGATIVE_TEXT,
    POSITIVE_TEXT,
    REVIEWS,
    TOO_LONG,
    assert_error,
    review_url,
    set_rates,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def review_fields() -> set[str]:
    """The fields that the OpenAPI schema documents for a review: every review the API answers holds them all."""
    return set(SchemaGenerator().get_schema(public=True)["components"]["schemas"]["Review"]["properties"])


# --- reviews: create ---------------------------------------------------------------------------------------------


def test_create_predicts_and_stores(token_client, user, served_model, review_fields):
    response = token_client.post(REVIEWS, {"text": POSITIVE_TEXT}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) == review_fields
    review = Review.objects.get()
    assert review.owner == user
    assert body["id"] == review.pk
    assert body["text"] == review.text == POSITIVE_TEXT
    assert body["sentiment"] == review.sentiment == "positive"
    assert body["score"] == pytest.approx(review.score)
    assert body["model_version"] == review.model_version == registry.get_service().model_version
    assert body["model"] == served_model.name
    assert body["verdict_disputed"] is False
    assert [item["word"] for item in body["explanation"]] == POSITIVE_TEXT.split()
    assert body["url"] == f"http://testserver{review_url(review.pk)}"
    assert response["Location"] == body["url"]


def test_create_ignores_server_fields_sent_by_the_client(token_client, user, other_user, served_model):
    response = token_client.post(
        REVIEWS,
        {
            "text": NEGATIVE_TEXT,
            "id": 424242,
            "owner": other_user.pk,
            "sentiment": "positive",
            "score": 1.0,
            "model_version": "forged",
            "created_at": "2000-01-01T00:00:00Z",
            "verdict_disputed": True,
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    review = Review.objects.get()
    assert review.pk != 424242
    assert review.owner == user
    assert review.sentiment == "negative" and review.score < 0.5
    assert review.model_version == registry.get_service().model_version
    assert review.created_at.year > 2000
    assert review.verdict_disputed is False
    assert not other_user.reviews.exists()


def test_create_with_a_form(token_client, served_model):
    response = token_client.post(REVIEWS, f"text={NEGATIVE_TEXT}", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 201, response.content
    assert response.json()["sentiment"] == "negative"


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"text": ""},
        {"text": "   "},
        {"text": TOO_LONG},
        {"text": 42},
        {"text": None},
        {"text": ["a"]},
        {"text": "a\x00b"},
    ],
    ids=["missing", "empty", "whitespace", "too-long", "number", "null", "list", "nul-char"],
)
def test_create_rejects_bad_text_and_stores_nothing(token_client, missing_model, body):
    error = assert_error(token_client.post(REVIEWS, json.dumps(body), content_type="application/json"), 400, "invalid")
    assert "text" in error["errors"]
    assert Review.objects.count() == 0


def test_create_with_a_lone_surrogate_is_400(token_client, missing_model):
    response = token_client.post(REVIEWS, '{"text": "bad \\ud83d"}', content_type="application/json")
    assert_error(response, 400, "invalid")
    assert Review.objects.count() == 0


def test_create_with_malformed_json_is_400(token_client, missing_model):
    assert_error(token_client.post(REVIEWS, '{"text": ', content_type="application/json"), 400, "parse_error")


def test_create_with_another_content_type_is_415(token_client):
    assert_error(token_client.post(REVIEWS, "great", content_type="text/plain"), 415, "unsupported_media_type")


def test_create_with_missing_model_is_503_and_stores_nothing(token_client, missing_model):
    response = token_client.post(REVIEWS, {"text": POSITIVE_TEXT}, format="json")
    assert_error(response, 503, "model_unavailable")
    assert response["Retry-After"] == str(registry.ModelUnavailable.retry_after)
    assert Review.objects.count() == 0


def test_reviews_are_throttled_with_the_user_rate(token_client, settings):
    set_rates(settings, user="2/minute")
    for _ in range(2):
        assert token_client.get(REVIEWS).status_code == 200
    response = token_client.get(REVIEWS)
    assert_error(response, 429, "throttled")
    assert int(response["Retry-After"]) > 0


# --- reviews: list, retrieve, delete -----------------------------------------------------------------------------


def test_list_holds_only_ones_own_reviews(token_client, user, other_user, review_fields):
    mine = ReviewFactory.create_batch(3, owner=user)
    ReviewFactory.create_batch(2, owner=other_user)
    body = token_client.get(REVIEWS).json()
    assert body["count"] == 3
    assert {r["id"] for r in body["results"]} == {r.pk for r in mine}
    assert all(set(r) == review_fields for r in body["results"])


def test_list_is_newest_first_and_paginated(token_client, user):
    reviews = ReviewFactory.create_batch(django_settings.REST_FRAMEWORK["PAGE_SIZE"] + 5, owner=user)
    first = token_client.get(REVIEWS).json()
    assert first["count"] == len(reviews)
    assert len(first["results"]) == django_settings.REST_FRAMEWORK["PAGE_SIZE"]
    assert first["previous"] is None and first["next"].endswith("?page=2")
    assert first["results"][0]["id"] == reviews[-1].pk
    second = token_client.get(first["next"]).json()
    assert len(second["results"]) == 5
    assert second["results"][-1]["id"] == reviews[0].pk


def test_page_out_of_range_is_404(token_client, user):
    ReviewFactory(owner=user)
    assert_error(token_client.get(REVIEWS, {"page": 9}), 404, "not_found")
    assert_error(token_client.get(REVIEWS, {"page": "x"}), 404, "not_found")


def test_list_filters_by_sentiment(token_client, user, other_user):
    positive = ReviewFactory(owner=user, sentiment="positive", score=0.9)
    negative = ReviewFactory(owner=user, sentiment="negative", score=0.1)
    ReviewFactory(owner=other_user, sentiment="negative", score=0.2)
    assert [r["id"] for r in token_client.get(REVIEWS, {"sentiment": "negative"}).json()["results"]] == [negative.pk]
    assert [r["id"] for r in token_client.get(REVIEWS, {"sentiment": "positive"}).json()["results"]] == [positive.pk]
    assert token_client.get(REVIEWS, {"sentiment": ""}).json()["count"] == 2


def test_list_searches_the_text_case_insensitively(token_client, user, other_user):
    match = ReviewFactory(owner=user, text="The Cinematography was superb.")
    ReviewFactory(owner=user, text="Nothing to see.")
    ReviewFactory(owner=other_user, text="cinematography too, but not yours")
    body = token_client.get(REVIEWS, {"search": "cinematography"}).json()
    assert [r["id"] for r in body["results"]] == [match.pk]


@pytest.mark.parametrize(
    "ordering, expected",
    [("score", [1, 2, 0]), ("-score", [0, 2, 1]), ("created_at", [0, 1, 2]), ("-created_at", [2, 1, 0])],
)
def test_list_ordering(token_client, user, ordering, expected):
    reviews = [ReviewFactory(owner=user, score=score) for score in (0.9, 0.1, 0.5)]
    body = token_client.get(REVIEWS, {"ordering": ordering}).json()
    assert [r["id"] for r in body["results"]] == [reviews[i].pk for i in expected]


@pytest.mark.parametrize(
    "params, field",
    [
        ({"sentiment": "neutral"}, "sentiment"),
        ({"ordering": "text"}, "ordering"),
        ({"ordering": "owner"}, "ordering"),
        ({"search": "a\x00b"}, "search"),
        ({"search": "a" * 20_001}, "search"),
    ],
)
def test_list_rejects_bad_query_parameters(token_client, params, field):
    error = assert_error(token_client.get(REVIEWS, params), 400, "invalid")
    assert field in error["errors"]


def test_retrieve_own_review(token_client, user):
    review = ReviewFactory(owner=user)
    response = token_client.get(review_url(review.pk))
    assert response.status_code == 200
    assert response.json()["id"] == review.pk and response.json()["text"] == review.text


def test_another_users_review_is_not_found(token_client, other_user):
    theirs = ReviewFactory(owner=other_user)
    assert_error(token_client.get(review_url(theirs.pk)), 404, "not_found")
    assert_error(token_client.delete(review_url(theirs.pk)), 404, "not_found")
    assert Review.objects.filter(pk=theirs.pk).exists()


@pytest.mark.parametrize("review_id", ["999999", "abc", "-1", "1.5", "9" * 30])
def test_unknown_review_ids_are_404(token_client, review_id):
    assert_error(token_client.get(review_url(review_id)), 404, "not_found")
    assert_error(token_client.delete(review_url(review_id)), 404, "not_found")


def test_delete_own_review(token_client, user):
    review, kept = ReviewFactory.create_batch(2, owner=user)
    assert token_client.delete(review_url(review.pk)).status_code == 204
    assert not Review.objects.filter(pk=review.pk).exists()
    assert Review.objects.filter(pk=kept.pk).exists()
    assert_error(token_client.delete(review_url(review.pk)), 404, "not_found")


@pytest.mark.parametrize("method", ["put", "patch"])
def test_reviews_cannot_be_updated(token_client, user, method):
    review = ReviewFactory(owner=user, text="original")
    response = getattr(token_client, method)(review_url(review.pk), {"text": "changed"}, format="json")
    assert_error(response, 405, "method_not_allowed")
    review.refresh_from_db()
    assert review.text == "original"
