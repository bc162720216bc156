"""The API's word weights: ?explain=true on predict, and the explanation stored with a review."""

import pytest

from classifier import registry
from reviews.models import Review
from reviews.tests.factories import ReviewFactory
from sentisite.tests.helpers import (
    MIXED_TEXT,
    POSITIVE_TEXT,
    PREDICT,
    REVIEWS,
    assert_error,
    review_url,
)

pytestmark = pytest.mark.django_db

VERDICT_FIELDS = {"sentiment", "score", "model_version", "model", "confidence", "warnings"}


# --- ?explain= ---------------------------------------------------------------------------------------------------


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
    expected = registry.explain(MIXED_TEXT)
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


# --- the stored explanation, and disputes ------------------------------------------------------------------------


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
