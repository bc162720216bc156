"""The API's predict endpoint: verdicts, batches, limits and throttles, every error as JSON."""

import json

import pytest
from django.conf import settings as django_settings

from classifier import registry, rules
from reviews.models import Review
from sentisite.tests.helpers import (
    NEGATIVE_TEXT,
    POSITIVE_TEXT,
    PREDICT,
    REVIEWS,
    TOO_LONG,
    assert_error,
    set_rates,
)

pytestmark = pytest.mark.django_db


# --- predict -----------------------------------------------------------------------------------------------------


def test_predict_one_text(client, served_model):
    response = client.post(PREDICT, {"text": POSITIVE_TEXT}, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert set(body) == {"sentiment", "score", "model_version", "model", "confidence", "warnings"}
    assert body["sentiment"] == "positive"
    assert 0.5 < body["score"] <= 1.0
    assert body["model_version"] == registry.get_service().model_version
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
    real_predict = registry.SentimentService.predict

    def counting_predict(service, texts):
        calls.append(list(texts))
        return real_predict(service, texts)

    monkeypatch.setattr(registry.SentimentService, "predict", counting_predict)
    texts = [f"great film number {i}" for i in range(64)]
    response = client.post(PREDICT, {"texts": texts}, format="json")
    assert response.status_code == 200, response.content
    assert calls == [texts]


def test_predict_text_at_the_length_limit_is_accepted(client, served_model):
    text = ("great " * 4000)[: django_settings.REVIEW_MAX_CHARS]
    assert client.post(PREDICT, {"text": text}, format="json").status_code == 200


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
    assert response["Retry-After"] == str(registry.ModelUnavailable.retry_after)
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
    def broken(service, texts):
        raise RuntimeError("a bug, not bad input")

    monkeypatch.setattr(registry.SentimentService, "predict", broken)
    assert_error(client.post(PREDICT, {"text": "great"}, format="json"), 500, "server_error")
