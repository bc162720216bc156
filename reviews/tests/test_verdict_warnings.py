"""Confidence and warnings on every surface: the classify page, detail, history, admin, the API, and the migration."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from classifier import registry
from classifier.verdicts import VerdictWarning, describe
from reviews.models import Review
from reviews.tests.factories import ReviewFactory

pytestmark = pytest.mark.django_db

HOME = reverse("reviews:home")
LONG = " ".join(["the film was great and the plot was good"] * 10)  # 100 words: more than the tiny model's 32
# A text for each code, read by the tiny test model.
CASES = {
    VerdictWarning.NO_KNOWN_WORDS: "asdfgh qwerty",
    VerdictWarning.NOT_ENGLISH: "Ce film est magnifique.",
    VerdictWarning.VERY_SHORT: "great film",
    VerdictWarning.TRUNCATED: LONG,
}


def sentence(code: str) -> str:
    return describe([code])[0].replace("'", "&#x27;")


@pytest.mark.parametrize("code", list(CASES))
def test_each_warning_is_said_on_the_classify_page(client, served_model, code):
    response = client.post(HOME, {"text": CASES[code]})
    assert response.status_code == 200
    assert code in response.context["verdict"].warnings
    html = response.content.decode()
    assert 'data-testid="warnings"' in html and sentence(code) in html


def test_no_known_words_says_it_cannot_tell_without_bar_or_bold_verdict(client, served_model):
    response = client.post(HOME, {"text": "asdfgh qwerty"})
    html = response.content.decode()
    assert response.context["verdict"].confidence == "none"
    assert 'data-testid="cannot-tell"' in html and ">The model cannot tell<" in html
    assert "<meter" not in html and "verdict__percent" not in html
    assert 'data-testid="verdict">Positive<' not in html and 'data-testid="verdict">Negative<' not in html


def test_low_confidence_reads_not_sure_leaning(client, served_model, monkeypatch):
    low = registry.Prediction("negative", 0.4, "tiny-x", "low", ())
    monkeypatch.setattr(registry.SentimentService, "predict", lambda service, texts: [low])
    html = client.post(HOME, {"text": "the film was a film"}).content.decode()
    assert "Not sure — leaning negative" in html and "verdict__label--plain" in html
    assert 'data-testid="verdict">Negative<' not in html
    assert "<meter" in html  # still the bar: the lean is information


def test_a_stored_review_keeps_and_shows_its_confidence_and_warnings(client, user, served_model):
    client.force_login(user)
    response = client.post(HOME, {"text": "asdfgh qwerty"})
    review = Review.objects.get(owner=user)
    assert response["Location"] == review.get_absolute_url()
    assert review.confidence == "none" and review.warnings[0] == VerdictWarning.NO_KNOWN_WORDS
    detail = client.get(review.get_absolute_url()).content.decode()
    assert ">The model cannot tell<" in detail and sentence(VerdictWarning.NO_KNOWN_WORDS) in detail
    history = client.get(reverse("reviews:history")).content.decode()
    assert ">Cannot tell<" in history and ">No known words<" in history


def test_history_shows_the_lean_of_an_unsure_verdict_and_each_warning(client, user):
    client.force_login(user)
    ReviewFactory(owner=user, sentiment="positive", score=0.6, confidence="low", warnings=["not_english", "truncated"])
    html = client.get(reverse("reviews:history")).content.decode()
    assert ">Leaning positive<" in html and ">Not English<" in html and ">Read in part<" in html


def test_admin_lists_and_filters_by_confidence_and_warning(admin_client):
    flagged = ReviewFactory(text="Ce film est magnifique.", confidence="medium", warnings=["not_english"])
    plain = ReviewFactory(text="A plain English review of a film.", confidence="high", warnings=[])
    changelist = reverse("admin:reviews_review_changelist")
    html = admin_client.get(changelist).content.decode()
    assert ">Not English<" in html
    for query, expected in [
        ({"warning": "not_english"}, [flagged]),
        ({"warning": "-"}, [plain]),
        ({"confidence__exact": "high"}, [plain]),
    ]:
        response = admin_client.get(changelist, query)
        assert response.status_code == 200
        assert list(response.context["cl"].queryset) == expected


@pytest.mark.parametrize("code", list(CASES))
def test_each_warning_is_in_the_predict_api(served_model, code):
    response = APIClient().post("/api/v1/predict", {"text": CASES[code]}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert code in body["warnings"]
    assert body["sentiment"] in {"positive", "negative"} and body["confidence"] in {"high", "medium", "low", "none"}


def test_predict_api_answers_200_with_confidence_none_for_unknown_words(served_model):
    response = APIClient().post("/api/v1/predict", {"texts": ["asdfgh qwerty", "the film was great"]}, format="json")
    assert response.status_code == 200
    unknown, known = response.json()["results"]
    assert unknown["confidence"] == "none" and unknown["warnings"][0] == "no_known_words"
    assert known["confidence"] != "none" and "no_known_words" not in known["warnings"]


def test_reviews_api_create_list_and_detail_carry_both_fields(token_client, served_model):
    created = token_client.post("/api/v1/reviews/", {"text": "Ce film est magnifique."}, format="json")
    assert created.status_code == 201
    assert "not_english" in created.json()["warnings"] and created.json()["confidence"]
    detail = token_client.get(created.json()["url"]).json()
    listed = token_client.get("/api/v1/reviews/").json()["results"][0]
    for body in (detail, listed):
        assert (body["confidence"], body["warnings"]) == (created.json()["confidence"], created.json()["warnings"])


def test_the_migration_fills_existing_rows(transactional_db):
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before, after = [("reviews", "0002_review_explanation")], [("reviews", "0003_review_confidence_warnings")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old_apps = executor.loader.project_state(before).apps
    User = old_apps.get_model("auth", "User")
    OldReview = old_apps.get_model("reviews", "Review")
    owner = User.objects.create(username="migrated")
    rows = {
        "sure": OldReview.objects.create(
            owner=owner, text="An excellent film, truly.", sentiment="positive", score=0.97, model_version="m"
        ),
        "fair": OldReview.objects.create(
            owner=owner, text="Dull but watchable in the end.", sentiment="negative", score=0.2, model_version="m"
        ),
        "short": OldReview.objects.create(
            owner=owner, text="Meh.", sentiment="negative", score=0.45, model_version="m"
        ),
    }
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(after)
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())  # back to the latest state for the tests that follow
    got = {name: Review.objects.get(pk=row.pk) for name, row in rows.items()}
    assert (got["sure"].confidence, got["sure"].warnings) == ("high", [])
    assert (got["fair"].confidence, got["fair"].warnings) == ("medium", [])
    assert (got["short"].confidence, got["short"].warnings) == ("low", ["very_short"])
