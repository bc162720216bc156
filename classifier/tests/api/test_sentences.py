"""?sentences=true on predict and on review creation: each sentence's verdict with exact offsets, and `mixed`."""

import pytest

from reviews.models import Review
from sentisite.tests.helpers import REVIEWS

pytestmark = pytest.mark.django_db

PREDICT = "/api/v1/predict"
# CRLF, an emoji of two code points and a trailing space: offsets are code point indices into the text as sent.
TEXT = "A great and brilliant film \U0001f44d\U0001f3fd.\r\nAn awful, boring waste. "
SENTENCE_FIELDS = {"text", "start", "end", "sentiment", "score", "confidence"}


def assert_sentences(text, sentences):
    assert [s["text"] for s in sentences] == [
        "A great and brilliant film \U0001f44d\U0001f3fd.",
        "An awful, boring waste.",
    ]
    for sentence in sentences:
        assert set(sentence) == SENTENCE_FIELDS
        assert text[sentence["start"] : sentence["end"]] == sentence["text"]
        assert sentence["sentiment"] == ("positive" if sentence["score"] >= 0.5 else "negative")
    assert sentences[0]["score"] > 0.5 > sentences[1]["score"]


def test_predict_with_sentences(client, served_model):
    body = client.post(f"{PREDICT}?sentences=true", {"text": TEXT}, format="json").json()
    assert_sentences(TEXT, body["sentences"])
    assert isinstance(body["mixed"], bool)
    plain = client.post(PREDICT, {"text": TEXT}, format="json").json()
    assert "sentences" not in plain and "mixed" not in plain
    assert plain["score"] == pytest.approx(body["score"])


def test_a_batch_with_sentences_keeps_each_texts_own(client, served_model):
    response = client.post(f"{PREDICT}?sentences=true&explain=true", {"texts": ["Brilliant.", TEXT]}, format="json")
    first, second = response.json()["results"]
    assert [s["text"] for s in first["sentences"]] == ["Brilliant."] and first["mixed"] is False
    assert first["sentences"][0]["score"] == pytest.approx(first["score"])  # one sentence: the text's own verdict
    assert_sentences(TEXT, second["sentences"])
    assert second["explanation"]


def test_a_bad_sentences_flag_is_a_400(client, served_model):
    response = client.post(f"{PREDICT}?sentences=maybe", {"text": TEXT}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {"sentences": ["Must be a valid boolean."]}


def test_review_creation_stores_the_breakdown(token_client, user, served_model):
    response = token_client.post(f"{REVIEWS}?sentences=true", {"text": TEXT}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert_sentences(TEXT, body["sentences"])
    review = Review.objects.get(pk=body["id"])
    assert review.text == TEXT and review.mixed == body["mixed"]
    assert [set(item) for item in review.sentences] == [
        SENTENCE_FIELDS - {"text"}
    ] * 2  # the text is sliced, not copied
    again = token_client.get(f"{REVIEWS}{review.pk}/").json()
    assert again["sentences"] == body["sentences"]
    without = token_client.post(REVIEWS, {"text": TEXT}, format="json").json()
    assert without["sentences"] == [] and without["mixed"] is None
