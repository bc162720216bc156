"""What one request may ask of the models: only catalogued models (an allow-list, not any folder with a
config.json), and explanations on the slow models for short texts only; each refusal is clear, never a 500."""

import pytest

from classifier import registry
from reviews.models import Review

pytestmark = pytest.mark.django_db

HOME = "/"
PREDICT = "/api/v1/predict"
REVIEWS = "/api/v1/reviews/"
LIMIT = 60
SHORT = "A brilliant film, I loved it."
LONG = " ".join(["A brilliant film, I loved it."] * 10)  # 299 characters, over LIMIT


@pytest.fixture
def models(shipped_models, settings):
    """ "default", "slow" (catalogued, slow explanations) and "stray": a complete artifact not in the catalogue."""
    settings.SENTIMENT_SLOW_EXPLAIN_MAX_CHARS = LIMIT
    return shipped_models("default", "slow", slow=("slow",), stray=("stray",))


def test_a_folder_outside_the_catalogue_is_refused_by_the_api(client, api, models):
    for response in (
        client.post(f"{PREDICT}?model=stray", {"text": SHORT}, content_type="application/json"),
        api.post(f"{REVIEWS}?model=stray", {"text": SHORT}, content_type="application/json"),
    ):
        assert response.status_code == 400, response.content
        assert response.json()["code"] == "unknown_model"
        assert response.json()["choices"] == ["default", "slow"]
    assert [model["name"] for model in client.get("/api/v1/models").json()["results"]] == ["default", "slow"]
    assert "stray" not in registry.loaded_models() and not Review.objects.exists()


def test_a_folder_outside_the_catalogue_is_a_clear_page_error(client, models):
    html = client.get(HOME).content.decode()
    assert '<option value="slow"' in html and "stray" not in html
    response = client.post(HOME, {"text": SHORT, "model": "stray"})
    assert response.status_code == 200 and "verdict" not in response.context
    assert "There is no model called “stray”: choose one from the list." in response.content.decode()


def test_the_api_refuses_to_explain_a_long_text_on_a_slow_model(client, models):
    response = client.post(f"{PREDICT}?model=slow&explain=true", {"text": LONG}, content_type="application/json")
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "invalid"
    assert body["errors"]["text"] == [
        f"The slow model explains reviews of at most {LIMIT} characters (this one has {len(LONG)}): its explanations "
        "(and sentence-by-sentence verdicts) cost far more than its verdicts. Ask without them, or choose another model."
    ]
    assert "slow" not in registry.loaded_models()  # refused before any work
    batch = client.post(f"{PREDICT}?model=slow&explain=true", {"texts": [SHORT, LONG]}, content_type="application/json")
    assert batch.status_code == 400, batch.content
    assert batch.json()["errors"] == {"texts": {"1": body["errors"]["text"]}}  # the long one, by its index
    # Without an explanation, or explained by a fast model, the same text is answered.
    assert client.post(f"{PREDICT}?model=slow", {"text": LONG}, content_type="application/json").status_code == 200
    explained = client.post(f"{PREDICT}?explain=true", {"text": LONG}, content_type="application/json")
    assert explained.status_code == 200 and len(explained.json()["explanation"]) == len(LONG.split())
    short = client.post(f"{PREDICT}?model=slow&explain=true", {"text": SHORT}, content_type="application/json")
    assert short.status_code == 200 and len(short.json()["explanation"]) == len(SHORT.split())


def test_the_page_gives_the_verdict_and_says_why_nothing_is_highlighted(client, models):
    response = client.post(HOME, {"text": LONG, "model": "slow"})
    assert response.status_code == 200
    assert response.context["verdict"].label == "Positive" and response.context["verdict"].explanation is None
    assert f"No words are highlighted: the slow model explains reviews of at most {LIMIT} characters" in (
        response.content.decode()
    )
    short = client.post(HOME, {"text": SHORT, "model": "slow"})
    assert short.context["verdict"].explanation is not None and "No words are highlighted" not in short.content.decode()


def test_a_long_review_on_a_slow_model_is_stored_without_an_explanation(signed_in, api, user, models):
    response = signed_in.post(HOME, {"text": LONG, "model": "slow"}, follow=True)
    assert response.status_code == 200 and "No words are highlighted" in response.content.decode()
    created = api.post(f"{REVIEWS}?model=slow", {"text": LONG}, content_type="application/json")
    assert created.status_code == 201, created.content
    assert created.json()["explanation"] == [] and created.json()["sentiment"] == "positive"
    assert [review.explanation for review in Review.objects.filter(owner=user)] == [[], []]
    assert api.post(f"{REVIEWS}?model=slow", {"text": SHORT}, content_type="application/json").json()["explanation"]
