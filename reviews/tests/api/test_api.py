"""The REST API: predict, the caller's reviews, token and session auth, and every error as JSON."""

import json

import pytest
from django.conf import settings as django_settings
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from classifier import services as classifier_services
from reviews import rules
from reviews.models import Review
from reviews.tests.api.helpers import PASSWORD, REVIEWS, assert_error, csrf_client, review_url, set_rates
from reviews.tests.factories import ReviewFactory

pytestmark = pytest.mark.django_db

PREDICT = "/api/v1/predict"
TOKEN = "/api/v1/auth/token"
POSITIVE_TEXT = "A great and brilliant film, I loved it."
NEGATIVE_TEXT = "An awful, boring and dreadful movie, the worst."
REVIEW_FIELDS = {
    "id",
    "url",
    "text",
    "sentiment",
    "score",
    "model_version",
    "model",
    "confidence",
    "warnings",
    "created_at",
    "verdict_disputed",
    "explanation",
    "sentences",
    "mixed",
}


# --- predict ---------------------------------------------------------------------------------------------------


def test_predict_one_text(client, served_model):
    response = client.post(PREDICT, {"text": POSITIVE_TEXT}, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert set(body) == {"sentiment", "score", "model_version", "model", "confidence", "warnings"}
    assert body["sentiment"] == "positive"
    assert 0.5 < body["score"] <= 1.0
    assert body["model_version"] == classifier_services.get_service().model_version
    assert body["model"] == served_model.name


def test_predict_negative_text(client, served_model):
    body = client.post(PREDICT, {"text": NEGATIVE_TEXT}, format="json").json()
    assert body["sentiment"] == "negative"
    assert 0.0 <= body["score"] < 0.5


def test_predict_accepts_a_form(client, served_model):
    response = client.post(PREDICT, f"text={POSITIVE_TEXT}", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200, response.content
    assert response.json()["sentiment"] == "positive"


def test_predict_stores_nothing(client, served_model):
    client.post(PREDICT, {"text": POSITIVE_TEXT}, format="json")
    client.post(PREDICT, {"texts": [POSITIVE_TEXT, NEGATIVE_TEXT]}, format="json")
    assert Review.objects.count() == 0


def test_predict_with_a_token_works_too(token_client, served_model):
    assert token_client.post(PREDICT, {"text": POSITIVE_TEXT}, format="json").status_code == 200


def test_batch_keeps_the_order_and_equals_single_predictions(client, served_model):
    texts = [NEGATIVE_TEXT, POSITIVE_TEXT, "The plot was dull and the acting awful.", "wonderful " * 40, "the film"]
    response = client.post(PREDICT, {"texts": texts}, format="json")
    assert response.status_code == 200, response.content
    results = response.json()["results"]
    assert len(results) == len(texts)
    singles = [client.post(PREDICT, {"text": text}, format="json").json() for text in texts]
    assert [r["sentiment"] for r in results] == [s["sentiment"] for s in singles]
    assert [r["score"] for r in results] == pytest.approx([s["score"] for s in singles], abs=1e-6)
    assert results[0]["sentiment"] == "negative" and results[1]["sentiment"] == "positive"


def test_batch_is_one_model_call(client, served_model, monkeypatch):
    calls = []
    real_predict = classifier_services.predict

    def counting_predict(texts, **kwargs):
        calls.append(list(texts))
        return real_predict(texts, **kwargs)

    monkeypatch.setattr(classifier_services, "predict", counting_predict)
    texts = [f"great film number {i}" for i in range(64)]
    response = client.post(PREDICT, {"texts": texts}, format="json")
    assert response.status_code == 200, response.content
    assert calls == [texts]


def test_predict_text_at_the_length_limit_is_accepted(client, served_model):
    text = ("great " * 4000)[: django_settings.REVIEW_MAX_CHARS]
    assert client.post(PREDICT, {"text": text}, format="json").status_code == 200


TOO_LONG = "a" * (20_000 + 1)


@pytest.mark.parametrize(
    "body, field",
    [
        ({}, "non_field_errors"),
        ({"review": "great"}, "non_field_errors"),
        ({"text": "great", "texts": ["great"]}, "non_field_errors"),
        ({"text": ""}, "text"),
        ({"text": "  \n\t "}, "text"),
        ({"text": TOO_LONG}, "text"),
        ({"text": 42}, "text"),
        ({"text": 4.2}, "text"),
        ({"text": True}, "text"),
        ({"text": None}, "text"),
        ({"text": ["great"]}, "text"),
        ({"text": {"a": "great"}}, "text"),
        ({"text": "great\x00film"}, "text"),
        ({"texts": []}, "texts"),
        ({"texts": ["great"] * 65}, "texts"),
        ({"texts": ["great", ""]}, "texts"),
        ({"texts": ["great", 7]}, "texts"),
        ({"texts": ["great", None]}, "texts"),
        ({"texts": ["great", TOO_LONG]}, "texts"),
        ({"texts": "great"}, "texts"),
        ({"texts": {"0": "great"}}, "texts"),
        ({"texts": None}, "texts"),
        (["great"], "non_field_errors"),
        ("great", "non_field_errors"),
    ],
)
def test_predict_rejects_bad_input(client, missing_model, body, field):
    # missing_model: were validation to let the input through, the answer would be a 503, not the 400 expected.
    body_text = json.dumps(body)
    response = client.post(PREDICT, body_text, content_type="application/json")
    error = assert_error(response, 400, "invalid")
    assert field in error["errors"], error


def test_a_bad_batch_item_is_named_by_its_index(client):
    error = assert_error(client.post(PREDICT, {"texts": ["great", "  "]}, format="json"), 400, "invalid")
    assert error["errors"] == {"texts": {"1": [rules.BLANK_MESSAGE]}}
    assert error["detail"] == f"texts.1: {rules.BLANK_MESSAGE}"


def test_error_detail_names_the_field(client):
    error = assert_error(client.post(PREDICT, {"text": 42}, format="json"), 400, "invalid")
    assert error == {"detail": "text: Must be a string.", "code": "invalid", "errors": {"text": ["Must be a string."]}}


@pytest.mark.parametrize(
    "raw",
    ['{"text": "lone \\ud800 surrogate"}', '{"texts": ["fine", "\\udfff"]}'],
    ids=["text", "texts"],
)
def test_lone_surrogates_are_400(client, missing_model, raw):
    assert_error(client.post(PREDICT, raw, content_type="application/json"), 400, "invalid")


@pytest.mark.parametrize(
    "raw",
    [
        '{"text": "great"',
        "{'text': 'great'}",
        '{"text": NaN}',
        "",
        "[" * 100_000 + "]" * 100_000,
        b'{"text": "\xff\xfe great"}',
        '{"text": ' + "9" * 5000 + "}",
    ],
    ids=["truncated", "single-quotes", "nan", "empty", "deeply-nested", "not-utf8", "huge-number"],
)
def test_malformed_json_is_400(client, missing_model, raw):
    response = client.post(PREDICT, raw, content_type="application/json")
    assert response.status_code == 400, response.content
    assert response.json()["code"] in {"parse_error", "invalid"}


@pytest.mark.parametrize("content_type", ["text/plain", "application/xml", "multipart/form-data; boundary=x"])
def test_other_content_types_are_415(client, content_type):
    response = client.post(PREDICT, "text=great", content_type=content_type)
    body = assert_error(response, 415, "unsupported_media_type")
    assert content_type.split(";")[0] in body["detail"]


@pytest.mark.parametrize("url", [PREDICT, REVIEWS])
def test_a_body_over_256_kib_is_413(token_client, missing_model, url):
    body = json.dumps({"text": "great " * 50_000})
    assert len(body) > django_settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    response = token_client.post(url, body, content_type="application/json")
    assert_error(response, 413, "request_too_large")
    assert Review.objects.count() == 0


def test_a_form_over_256_kib_is_413(client):
    response = client.post(PREDICT, "text=" + "a" * 300_000, content_type="application/x-www-form-urlencoded")
    assert_error(response, 413, "request_too_large")


def test_missing_model_is_503_with_retry_after(client, missing_model):
    response = client.post(PREDICT, {"text": POSITIVE_TEXT}, format="json")
    body = assert_error(response, 503, "model_unavailable")
    assert "model unavailable" in body["detail"]
    assert response["Retry-After"] == str(classifier_services.ModelUnavailable.retry_after)
    # The server-side reason names paths on the server; the client does not need them.
    assert str(missing_model) not in response.content.decode()


def test_batch_with_missing_model_is_503(client, missing_model):
    response = client.post(PREDICT, {"texts": [POSITIVE_TEXT, NEGATIVE_TEXT]}, format="json")
    assert_error(response, 503, "model_unavailable")


def test_anonymous_predict_is_throttled_with_retry_after(client, served_model, settings):
    set_rates(settings, anon="2/minute")
    for _ in range(2):
        assert client.post(PREDICT, {"text": POSITIVE_TEXT}, format="json").status_code == 200
    response = client.post(PREDICT, {"text": POSITIVE_TEXT}, format="json")
    assert_error(response, 429, "throttled")
    assert 0 < int(response["Retry-After"]) <= 60


def test_signed_in_predict_uses_the_user_rate(token_client, served_model, settings):
    set_rates(settings, anon="1/minute", user="3/minute")
    for _ in range(3):
        assert token_client.post(PREDICT, {"text": POSITIVE_TEXT}, format="json").status_code == 200
    assert_error(token_client.post(PREDICT, {"text": POSITIVE_TEXT}, format="json"), 429, "throttled")


def test_predict_refuses_get(client):
    assert_error(client.get(PREDICT), 405, "method_not_allowed")


def test_an_unexpected_failure_is_a_json_500(client, monkeypatch):
    def broken(texts, **kwargs):
        raise RuntimeError("a bug, not bad input")

    monkeypatch.setattr(classifier_services, "predict", broken)
    assert_error(client.post(PREDICT, {"text": "great"}, format="json"), 500, "server_error")


# --- reviews: create ---------------------------------------------------------------------------------------------


def test_create_predicts_and_stores(token_client, user, served_model):
    response = token_client.post(REVIEWS, {"text": POSITIVE_TEXT}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) == REVIEW_FIELDS
    review = Review.objects.get()
    assert review.owner == user
    assert body["id"] == review.pk
    assert body["text"] == review.text == POSITIVE_TEXT
    assert body["sentiment"] == review.sentiment == "positive"
    assert body["score"] == pytest.approx(review.score)
    assert body["model_version"] == review.model_version == classifier_services.get_service().model_version
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
    assert review.model_version == classifier_services.get_service().model_version
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
    assert response["Retry-After"] == str(classifier_services.ModelUnavailable.retry_after)
    assert Review.objects.count() == 0


def test_reviews_are_throttled_with_the_user_rate(token_client, settings):
    set_rates(settings, user="2/minute")
    for _ in range(2):
        assert token_client.get(REVIEWS).status_code == 200
    response = token_client.get(REVIEWS)
    assert_error(response, 429, "throttled")
    assert int(response["Retry-After"]) > 0


# --- reviews: list, retrieve, delete -----------------------------------------------------------------------------


def test_list_holds_only_ones_own_reviews(token_client, user, other_user):
    mine = ReviewFactory.create_batch(3, owner=user)
    ReviewFactory.create_batch(2, owner=other_user)
    body = token_client.get(REVIEWS).json()
    assert body["count"] == 3
    assert {r["id"] for r in body["results"]} == {r.pk for r in mine}
    assert all(set(r) == REVIEW_FIELDS for r in body["results"])


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


# --- anything else under /api/v1/ --------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/api/v1/nothing-here", "/api/v1/reviews", "/api/v1/predict/", "/api/v1/"])
def test_unknown_api_paths_are_json_404(path):
    client = APIClient(enforce_csrf_checks=True)
    assert_error(client.get(path), 404, "not_found")
    assert_error(client.post(path, {}, format="json"), 404, "not_found")
    assert_error(client.delete(path), 404, "not_found")
