"""The API's model choice (?model=) and the list of shipped models (/models)."""

from urllib.parse import urlencode

import pytest

from classifier import shipped
from ml.inference.artifact import read_json, write_json
from reviews.models import Review
from reviews.tests.factories import ReviewFactory
from sentisite.tests.helpers import (
    MIXED_TEXT,
    NEGATIVE_TEXT,
    POSITIVE_TEXT,
    PREDICT,
    REVIEWS,
    assert_error,
    review_url,
    set_rates,
)

pytestmark = pytest.mark.django_db

MODELS = "/api/v1/models"


# --- ?model= -----------------------------------------------------------------------------------------------------


@pytest.fixture
def two_models(shipped_models):
    """Two shipped models side by side: "default" (served when no ?model= is given) and "other" (catalogued).

    Both are the tiny model; "other" gets its own model_version, so that an answer shows which one gave it.
    """
    root = shipped_models("default", "other")
    config = read_json(root / "other" / "config.json")
    write_json(root / "other" / "config.json", {**config, "model_version": f"other-{config['model_version']}"})
    return root


def version_of(artifact) -> str:
    return read_json(artifact / "config.json")["model_version"]


def test_the_default_model_answers_and_is_named(client, two_models):
    body = client.post(PREDICT, {"text": POSITIVE_TEXT}, format="json").json()
    assert body["model"] == "default"
    assert body["model_version"] == version_of(two_models / "default")


def test_another_model_answers_when_asked_for(client, two_models):
    other = version_of(two_models / "other")
    assert other != version_of(two_models / "default")
    body = client.post(f"{PREDICT}?model=other&explain=true", {"text": MIXED_TEXT}, format="json").json()
    assert body["model"] == "other" and body["model_version"] == other
    assert [item["word"] for item in body["explanation"]] == MIXED_TEXT.split()
    batch = client.post(f"{PREDICT}?model=other", {"texts": [POSITIVE_TEXT, NEGATIVE_TEXT]}, format="json").json()
    assert [(r["model"], r["model_version"]) for r in batch["results"]] == [("other", other)] * 2
    # Asking for the default by its name is the default.
    named = client.post(f"{PREDICT}?model=default", {"text": POSITIVE_TEXT}, format="json").json()
    assert named["model"] == "default" and named["model_version"] == version_of(two_models / "default")


@pytest.mark.parametrize("name", ["nope", "", "../other", "Other", "default/"])
def test_an_unknown_model_is_400_listing_the_valid_ones(client, two_models, name):
    response = client.post(f"{PREDICT}?{urlencode({'model': name})}", {"text": POSITIVE_TEXT}, format="json")
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "unknown_model"
    assert body["choices"] == ["default", "other"]
    assert "default" in body["detail"] and "other" in body["detail"]
    assert set(body) == {"detail", "code", "choices"}


def test_a_model_name_over_100_characters_is_400(client, two_models):
    response = client.post(f"{PREDICT}?model={'x' * 101}", {"text": POSITIVE_TEXT}, format="json")
    assert "model" in assert_error(response, 400, "invalid")["errors"]


def test_create_with_another_model_stores_its_verdict(token_client, user, two_models):
    other = version_of(two_models / "other")
    response = token_client.post(f"{REVIEWS}?model=other", {"text": MIXED_TEXT}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["model"] == "other" and body["model_version"] == other
    review = Review.objects.get()
    assert review.model_version == other
    assert [word for word, _ in review.explanation] == MIXED_TEXT.split()
    # Read back later, the stored version still names its model.
    assert token_client.get(review_url(review.pk)).json()["model"] == "other"
    assert token_client.get(REVIEWS).json()["results"][0]["model"] == "other"


def test_create_names_the_default_model(token_client, two_models):
    body = token_client.post(REVIEWS, {"text": POSITIVE_TEXT}, format="json").json()
    assert body["model"] == "default" and body["model_version"] == version_of(two_models / "default")


def test_create_with_an_unknown_model_is_400_and_stores_nothing(token_client, two_models):
    response = token_client.post(f"{REVIEWS}?model=nope", {"text": POSITIVE_TEXT}, format="json")
    assert response.status_code == 400, response.content
    assert response.json()["choices"] == ["default", "other"]
    assert not Review.objects.exists()


def test_a_review_whose_model_is_no_longer_shipped_names_none(token_client, user, served_model):
    review = ReviewFactory(owner=user, model_version="retired-20200101-00000000")
    assert token_client.get(review_url(review.pk)).json()["model"] is None


# --- /models -----------------------------------------------------------------------------------------------------


def test_models_lists_the_shipped_ones_with_their_test_metrics(client, two_models):
    metrics = {
        "test_accuracy": 0.9,
        "test_f1_macro": 0.89,
        "test_roc_auc": 0.95,
        "latency_ms_p50_single": 2.5,
        "train_seconds": 12.0,
        "history": {"loss": [0.5, 0.3]},
    }
    write_json(two_models / "default" / "metrics.json", metrics)
    response = client.get(MODELS)
    assert response.status_code == 200, response.content
    assert response.json() == {
        "results": [
            {
                "name": "default",
                "model_version": version_of(two_models / "default"),
                "default": True,
                "metrics": {
                    "test_accuracy": 0.9,
                    "test_f1_macro": 0.89,
                    "test_roc_auc": 0.95,
                    "latency_ms_p50_single": 2.5,
                },
            },
            # The tiny artifact records no test metrics: none are made up.
            {"name": "other", "model_version": version_of(two_models / "other"), "default": False, "metrics": {}},
        ]
    }


def test_models_reads_each_artifact_once_per_process(client, two_models, monkeypatch):
    reads = []
    real_read_json = shipped.read_json
    monkeypatch.setattr(shipped, "read_json", lambda path: reads.append(path) or real_read_json(path))
    first = client.get(MODELS).json()
    assert len(reads) == 2  # one metrics.json each
    write_json(two_models / "default" / "metrics.json", {"test_accuracy": 0.5})
    assert client.get(MODELS).json() == first
    assert len(reads) == 2


def test_models_lists_a_missing_default_without_failing(client, missing_model):
    response = client.get(MODELS)
    assert response.status_code == 200, response.content
    assert response.json() == {
        "results": [{"name": missing_model.name, "model_version": None, "default": True, "metrics": {}}]
    }


def test_models_is_open_to_all_and_throttled_like_predict(client, token_client, two_models, settings):
    set_rates(settings, anon="1/minute", user="2/minute")
    assert client.get(MODELS).status_code == 200
    assert_error(client.get(MODELS), 429, "throttled")
    assert token_client.get(MODELS).status_code == 200
    assert token_client.get(MODELS).status_code == 200
    assert_error(token_client.get(MODELS), 429, "throttled")
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    assert_error(client.get(MODELS), 401, "authentication_failed")


def test_models_refuses_post(client):
    assert_error(client.post(MODELS, {}, format="json"), 405, "method_not_allowed")
