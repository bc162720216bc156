"""The classify page (/): verdicts for visitors and members, errors, a missing model, explanations, the model menu."""

import html as html_lib
import re

import pytest
from django.urls import reverse

from classifier import registry, shipped
from reviews import views
from reviews.forms import NUL_MESSAGE
from reviews.models import Review, Sentiment
from reviews.tests.factories import ReviewFactory
from reviews.tests.pages import (
    API_TOKEN,
    ESCAPED_SCRIPT,
    HISTORY,
    HOME,
    POSITIVE_TEXT,
    SCRIPT,
    page_text,
    shown_review_text,
)

pytestmark = pytest.mark.django_db

NEGATIVE_TEXT = "An awful, boring, dreadful waste."

# Emoji, Arabic and Hebrew, a right-to-left mark, leading spaces and a CRLF: all kept byte for byte.
INTERNATIONAL_TEXT = "  Loved it 🎬🍿👍🏽 — فيلم رائع — סרט נהדר \u200f!\r\nSecond line"


# --- Classify (/) ---


def test_home_shows_a_labelled_textarea(client):
    response = client.get(HOME)
    assert response.status_code == 200
    html = page_text(response)
    assert re.search(r'<label[^>]*for="id_text"', html)
    assert re.search(r'<textarea[^>]*name="text"', html)
    assert 'name="csrfmiddlewaretoken"' in html
    assert "Classify review" in html


def test_anonymous_gets_a_positive_verdict_and_nothing_is_stored(client, served_model):
    response = client.post(HOME, {"text": POSITIVE_TEXT})
    assert response.status_code == 200
    verdict = response.context["verdict"]
    assert verdict.label == "Positive"
    assert verdict.score > 0.5
    html = page_text(response)
    assert 'data-testid="verdict">Positive<' in html
    assert re.search(r'verdict__percent"><strong>(&gt;)?\d+\.\d%</strong>', html)
    assert "100.0%" not in html
    assert "<meter" in html
    assert verdict.model_version in html and verdict.model_version.startswith("tiny-")
    assert verdict.confidence_wording in html
    assert POSITIVE_TEXT in html
    assert "Create a free account" in html
    assert not Review.objects.exists()


def test_anonymous_gets_a_negative_verdict(client, served_model):
    response = client.post(HOME, {"text": NEGATIVE_TEXT})
    assert response.status_code == 200
    assert response.context["verdict"].label == "Negative"
    assert 'data-testid="verdict">Negative<' in page_text(response)
    assert not Review.objects.exists()


def test_anonymous_echo_is_escaped(client, served_model):
    html = page_text(client.post(HOME, {"text": SCRIPT}))
    assert SCRIPT not in html
    assert ESCAPED_SCRIPT in html


def test_signed_in_post_stores_the_review_and_redirects_to_it(signed_in, user, served_model):
    response = signed_in.post(HOME, {"text": NEGATIVE_TEXT})
    review = Review.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("reviews:detail", args=[review.pk])
    assert review.owner == user
    assert review.text == NEGATIVE_TEXT
    assert review.sentiment == Sentiment.NEGATIVE
    page = signed_in.get(response["Location"])
    assert 'data-testid="verdict">Negative<' in page_text(page)
    assert "Saved to your history." in page_text(page)


def test_emoji_and_rtl_are_stored_and_shown_exactly(signed_in, served_model):
    response = signed_in.post(HOME, {"text": INTERNATIONAL_TEXT}, follow=True)
    review = Review.objects.get()
    assert review.text == INTERNATIONAL_TEXT
    html = page_text(response)
    assert shown_review_text(html) == INTERNATIONAL_TEXT
    assert 'dir="auto"' in html
    assert INTERNATIONAL_TEXT.strip().splitlines()[0].strip()[:40] in page_text(signed_in.get(HISTORY))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Write a review first: the text is empty."),
        ("   \n\t ", "Write a review first: the text is only spaces."),
        ("great\x00film", NUL_MESSAGE),
        ("a" * 20_001, "at most 20000 characters"),
    ],
)
def test_invalid_text_shows_the_error_and_stores_nothing(signed_in, text, message):
    response = signed_in.post(HOME, {"text": text})
    assert response.status_code == 200
    assert message in page_text(response)
    assert 'aria-invalid="true"' in page_text(response)
    assert "verdict" not in response.context
    assert not Review.objects.exists()


def test_classify_holds_no_transaction_while_predicting():
    # ATOMIC_REQUESTS would otherwise hold the database (SQLite's write lock) during the model call.
    assert "default" in views.home._non_atomic_requests


def test_signed_in_home_lists_the_latest_reviews(signed_in, user, other_user):
    ReviewFactory(owner=user, text="My own recent review")
    ReviewFactory(owner=other_user, text="Somebody else's review")
    html = page_text(signed_in.get(HOME))
    assert "My own recent review" in html
    assert "Somebody else" not in html


# --- The model is unavailable ---


def test_missing_model_gives_a_friendly_503_and_stores_nothing(signed_in, missing_model):
    response = signed_in.post(HOME, {"text": POSITIVE_TEXT})
    assert response.status_code == 503
    assert response["Retry-After"].isdigit()
    html = page_text(response)
    assert "The model is taking a break" in html
    assert "nothing was saved" in html
    assert POSITIVE_TEXT in html  # still in the box, to try again
    assert "does not exist" not in html  # no internals
    assert not Review.objects.exists()


def test_missing_model_for_anonymous_visitors(client, missing_model):
    response = client.post(HOME, {"text": POSITIVE_TEXT})
    assert response.status_code == 503
    assert "The model is taking a break" in page_text(response)


def test_the_rest_of_the_site_works_without_a_model(signed_in, user, missing_model, admin_client):
    review = ReviewFactory(owner=user)
    assert signed_in.get(HOME).status_code == 200
    assert signed_in.get(HISTORY).status_code == 200
    assert signed_in.get(review.get_absolute_url()).status_code == 200
    assert signed_in.get(API_TOKEN).status_code == 200
    assert signed_in.post(reverse("reviews:delete", args=[review.pk])).status_code == 302
    assert admin_client.get(reverse("admin:reviews_review_changelist")).status_code == 200


# --- Explanations: the words that pushed the verdict ---


def test_anonymous_verdict_is_explained(client, served_model):
    text = "The acting was brilliant but the plot was dreadful and far too long."
    response = client.post(HOME, {"text": text})
    html = page_text(response)
    explanation = response.context["verdict"].explanation
    assert explanation is not None
    assert [word.word for word in explanation.positive][:1] == ["brilliant"]
    assert [word.word for word in explanation.negative][:1] == ["dreadful"]
    assert re.search(r'<mark class="hl hl--pos-\d" title="[^"]+">brilliant</mark>', html)
    assert re.search(r'<mark class="hl hl--neg-\d" title="[^"]+">dreadful</mark>', html)
    assert 'data-testid="highlight-legend"' in html
    assert shown_review_text(html) == text
    assert not Review.objects.exists()


def test_signed_in_verdict_page_shows_the_stored_explanation(signed_in, served_model):
    # A mixed review: in a clear-cut one the tiny model is so sure that no single word moves it.
    text = "The acting was brilliant but the plot was dreadful and far too long."
    response = signed_in.post(HOME, {"text": text}, follow=True)
    review = Review.objects.get()
    assert [word for word, _ in review.explanation] == text.split()
    html = page_text(response)
    assert re.search(r'<mark class="hl hl--pos-\d" title="[^"]+">brilliant</mark>', html)
    assert re.search(r'<mark class="hl hl--neg-\d" title="[^"]+">dreadful</mark>', html)
    assert shown_review_text(html) == text


# --- Model choice on the classify page ---


@pytest.fixture
def alpha_and_beta(shipped_models):
    """Two shipped artifacts, "beta" (the configured default) and "alpha" (catalogued), both the tiny model."""
    return shipped_models("beta", "alpha")


def test_visitors_choose_among_the_models_default_first(client, alpha_and_beta):
    html = page_text(client.get(HOME))
    select = re.search(r'<select name="model"[^>]*>(.*?)</select>', html, re.S).group(1)
    assert re.findall(r'<option value="([^"]+)"', select) == ["beta", "alpha"]
    assert '<option value="beta" selected>beta (default)</option>' in select
    assert re.search(r'<label class="field__label" for="id_model">Model</label>', html)


def test_the_chosen_model_gives_the_verdict(client, alpha_and_beta, monkeypatch):
    calls = []
    get_service = registry.get_service
    monkeypatch.setattr(registry, "get_service", lambda name=None, **kw: calls.append(name) or get_service(name, **kw))
    response = client.post(HOME, {"text": POSITIVE_TEXT, "model": "alpha"})
    assert response.status_code == 200
    assert calls and set(calls) == {"alpha"}  # one service, the chosen one, for verdict and explanation
    verdict = response.context["verdict"]
    assert verdict.label == "Positive"
    assert f"<code>{verdict.model_version}</code>" in page_text(response)
    assert '<option value="alpha" selected>alpha</option>' in page_text(response)


def test_an_unknown_model_is_a_form_error_not_a_500(client, alpha_and_beta):
    for name in ("gamma", "../beta"):
        response = client.post(HOME, {"text": POSITIVE_TEXT, "model": name})
        assert response.status_code == 200
        assert "verdict" not in response.context
        assert f"There is no model called “{html_lib.escape(name)}”" in page_text(response)


def test_members_choose_the_model_of_a_stored_verdict(signed_in, user, alpha_and_beta, monkeypatch):
    calls = []
    get_service = registry.get_service
    monkeypatch.setattr(registry, "get_service", lambda name=None, **kw: calls.append(name) or get_service(name, **kw))
    assert 'name="model"' in page_text(signed_in.get(HOME))
    response = signed_in.post(HOME, {"text": POSITIVE_TEXT, "model": "alpha"})
    assert calls and set(calls) == {"alpha"}  # one service, the chosen one, for verdict and explanation
    review = Review.objects.get(owner=user)
    assert response.status_code == 302 and response["Location"] == review.get_absolute_url()
    assert review.sentiment == "positive" and review.explanation


def test_no_model_choice_with_a_single_model(client, served_model):
    assert 'name="model"' not in page_text(client.get(HOME))
    response = client.post(HOME, {"text": POSITIVE_TEXT, "model": "anything"})
    assert response.context["verdict"].label == "Positive"  # an unoffered choice is ignored


def test_the_model_menu_names_each_model_with_its_test_accuracy(client, alpha_and_beta, monkeypatch):
    models = [
        {"name": "alpha", "default": False, "model_version": "a-1", "metrics": {"test_accuracy": 0.92096}},
        {"name": "beta", "default": True, "model_version": "b-1", "metrics": {"test_accuracy": 0.91668}},
    ]
    monkeypatch.setattr(shipped, "shipped_models", lambda: models)
    select = re.search(r'<select name="model"[^>]*>(.*?)</select>', page_text(client.get(HOME)), re.S).group(1)
    assert re.findall(r"<option [^>]*>([^<]+)</option>", select) == [
        "beta (default) · 91.7% right",
        "alpha · 92.1% right",
    ]
