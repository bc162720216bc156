"""The API's extras: word weights (?explain=true), the model choice (?model=), /models, and disputed verdicts."""

import shutil
from urllib.parse import urlencode

import pytest

from classifier import services as classifier_services
from ml.artifacts import read_json, write_json
from reviews.api import catalog
from reviews.models import Review
from reviews.tests.api.helpers import assert_error, csrf_client, review_url, set_rates
from reviews.tests.factories import ReviewFactory

pytestmark = pytest.mark.django_db

PREDICT = "/api/v1/predict"
REVIEWS = "/api/v1/reviews/"
MODELS = "/api/v1/models"
MIXED_TEXT = "The acting was brilliant but the plot was dreadful."
POSITIVE_TEXT = "A great and brilliant film, I loved it."
NEGATIVE_TEXT = "An awful, boring and dreadful movie, the worst."
VERDICT_FIELDS = {"sentiment", "score", "model_version", "model", "confidence", "warnings"}


@pytest.fixture
def two_models(tiny_artifact, tmp_path, settings, catalogue):
    """Two shipped models side by side: "default" (served when no ?model= is given) and "other" (catalogued).

    Both are the tiny model; "other" gets its own model_version, so that an answer shows which one gave it.
    """
    catalogue("other")
    root = tmp_path / "artifacts"
    for name in ("default", "other"):
        shutil.copytree(tiny_artifact, root / name)
    config = read_json(root / "other" / "config.json")
    write_json(root / "other" / "config.json", {**config, "model_version": f"other-{config['model_version']}"})
    settings.SENTIMENT_MODEL_DIR = root / "default"
    classifier_services.reset()
    yield root
    classifier_services.reset()


def version_of(artifact) -> str:
    return read_json(artifact / "config.json")["model_version"]


def dispute_url(review_id) -> str:
    return f"{REVIEWS}{review_id}/dispute"


# --- ?explain= ------------------------------------------------------------------------------------------------


def test_explain_gives_every_word_in_text_order_with_its_weight(client, served_model):
    response = client.post(f"{PREDICT}?explain=true", {"text": MIXED_TEXT}, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert set(body) == VERDICT_FIELDS | {"explanation"}
    assert [item["word"] for item in body["explanation"]] == MIXED_TEXT.split()
    assert all(set(item) == {"word", "weight"} and isinstance(item["weight"], float) for item in body["explanation"])
    weights = {item["word"]: item["weight"] for item in body["explanation"]}
    assert weights["brilliant"] > 0 > weights["dreadful."]
    # The classifier's own explanation, rounded for the wire.
    expected = classifier_services.explain(MIXED_TEXT)
    assert [item["weight"] for item in body["explanation"]] == pytest.approx([w for _, w in expected], abs=1e-4)


@pytest.mark.parametrize("query", ["", "?explain=false", "?explain=0", "?explain="])
def test_without_explain_there_is_no_explanation(client, served_model, query):
    single = client.post(f"{PREDICT}{query}", {"text": MIXED_TEXT}, format="json").json()
    assert set(single) == VERDICT_FIELDS
    batch = client.post(f"{PREDICT}{query}", {"texts": [MIXED_TEXT, POSITIVE_TEXT]}, format="json").json()
    assert all(set(result) == VERDICT_FIELDS for result in batch["results"])


def test_batch_explains_each_text_in_order(client, served_model):
    # One sentiment word each: with several, the tiny model saturates and no single word changes much.
    texts = ["A brilliant film.", "A dreadful plot.", MIXED_TEXT, "the film"]
    response = client.post(f"{PREDICT}?explain=true", {"texts": texts}, format="json")
    assert response.status_code == 200, response.content
    results = response.json()["results"]
    assert [[item["word"] for item in result["explanation"]] for result in results] == [t.split() for t in texts]
    assert [result["sentiment"] for result in results[:2]] == ["positive", "negative"]
    positive, negative, mixed = ({i["word"]: i["weight"] for i in r["explanation"]} for r in results[:3])
    assert positive["brilliant"] > 0 and negative["dreadful"] < 0
    assert mixed["brilliant"] > 0 > mixed["dreadful."]
    # Each verdict is the same as when the text is sent alone.
    single = client.post(f"{PREDICT}?explain=true", {"text": MIXED_TEXT}, format="json").json()
    assert results[2]["explanation"] == single["explanation"]


def test_an_explained_batch_is_capped(client, missing_model):
    # missing_model: the cap is checked before any model work.
    response = client.post(f"{PREDICT}?explain=true", {"texts": ["a film"] * 9}, format="json")
    error = assert_error(response, 400, "invalid")
    assert "at most 8 texts" in error["detail"]


@pytest.mark.parametrize("value", ["maybe", "2", "truee", "null"])
def test_a_bad_explain_flag_is_400(client, missing_model, value):
    # missing_model: a flag that slipped through would reach the model and answer 503.
    response = client.post(f"{PREDICT}?explain={value}", {"text": MIXED_TEXT}, format="json")
    error = assert_error(response, 400, "invalid")
    assert error["errors"] == {"explain": ["Must be a valid boolean."]}


# --- ?model= --------------------------------------------------------------------------------------------------


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


# --- /models ----------------------------------------------------------------------------------------------------


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
    real_read_json = catalog.read_json
    monkeypatch.setattr(catalog, "read_json", lambda path: reads.append(path) or real_read_json(path))
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


# --- the stored explanation, and disputes -----------------------------------------------------------------------


def test_a_created_review_carries_its_explanation(token_client, served_model):
    response = token_client.post(
        REVIEWS, {"text": MIXED_TEXT, "explanation": [{"word": "forged", "weight": 9}]}, format="json"
    )
    assert response.status_code == 201, response.content
    explanation = response.json()["explanation"]
    assert [item["word"] for item in explanation] == MIXED_TEXT.split()
    weights = {item["word"]: item["weight"] for item in explanation}
    assert weights["brilliant"] > 0 > weights["dreadful."]
    assert Review.objects.get().explanation == [[item["word"], item["weight"]] for item in explanation]


def test_a_stored_explanation_reads_as_words_and_weights(token_client, user):
    review = ReviewFactory(owner=user, explanation=[["Great", 1.23456], ["film.", -0.1]])
    assert token_client.get(review_url(review.pk)).json()["explanation"] == [
        {"word": "Great", "weight": 1.2346},
        {"word": "film.", "weight": -0.1},
    ]


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
