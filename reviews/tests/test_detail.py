"""A review's page: detail and delete (owner only), highlighted explanations, feedback ("this verdict is wrong")."""

import html as html_lib
import re

import pytest
from django.test import Client
from django.urls import reverse

from reviews.models import Review, Sentiment
from reviews.tests.factories import ReviewFactory
from reviews.tests.pages import (
    ESCAPED_SCRIPT,
    EXPLAINED_TEXT,
    EXPLANATION,
    HISTORY,
    SCRIPT,
    dispute_url,
    page_text,
    shown_review_text,
)

pytestmark = pytest.mark.django_db


# --- Detail and delete: owner only ---


def test_detail_shows_the_owners_review(signed_in, user):
    review = ReviewFactory(owner=user, sentiment=Sentiment.NEGATIVE, score=0.125, model_version="cnn-abc")
    response = signed_in.get(review.get_absolute_url())
    assert response.status_code == 200
    html = page_text(response)
    assert 'data-testid="verdict">Negative<' in html
    assert "12.5%" in html
    assert "cnn-abc" in html
    assert "Confident (88% sure)" in html


@pytest.mark.parametrize(
    ("sentiment", "score", "confidence", "wording"),
    [
        ("positive", 0.99, "high", "Confident (99% sure)"),
        ("negative", 0.03, "high", "Confident (97% sure)"),
        ("positive", 0.75, "medium", "Fairly sure (75% sure)"),
        ("negative", 0.45, "low", "Not sure: this review could be read either way"),
    ],
)
def test_confidence_wording(signed_in, user, sentiment, score, confidence, wording):
    review = ReviewFactory(owner=user, sentiment=sentiment, score=score, confidence=confidence)
    assert wording in page_text(signed_in.get(review.get_absolute_url()))


def test_detail_of_another_users_review_is_404(signed_in, other_user):
    theirs = ReviewFactory(owner=other_user)
    assert signed_in.get(theirs.get_absolute_url()).status_code == 404
    assert signed_in.get(reverse("reviews:detail", args=[10**9])).status_code == 404


def test_detail_of_an_out_of_range_id_is_404(signed_in):
    assert signed_in.get("/reviews/99999999999999999999999/").status_code == 404


def test_detail_escapes_the_text(signed_in, user):
    review = ReviewFactory(owner=user, text=SCRIPT)
    html = page_text(signed_in.get(review.get_absolute_url()))
    assert SCRIPT not in html
    assert ESCAPED_SCRIPT in html


@pytest.mark.parametrize("name", ["reviews:detail", "reviews:delete"])
def test_review_pages_need_sign_in(client, user, name):
    review = ReviewFactory(owner=user)
    response = client.get(reverse(name, args=[review.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_delete_asks_for_confirmation_first(signed_in, user):
    review = ReviewFactory(owner=user, text="Delete me, please")
    response = signed_in.get(reverse("reviews:delete", args=[review.pk]))
    assert response.status_code == 200
    assert "Delete this review?" in page_text(response)
    assert "Delete me, please" in page_text(response)
    assert Review.objects.filter(pk=review.pk).exists()


def test_delete_removes_the_review_and_returns_to_history(signed_in, user):
    review = ReviewFactory(owner=user)
    response = signed_in.post(reverse("reviews:delete", args=[review.pk]))
    assert response.status_code == 302
    assert response["Location"] == HISTORY
    assert not Review.objects.filter(pk=review.pk).exists()
    assert "The review was deleted." in page_text(signed_in.get(HISTORY))


def test_cannot_delete_another_users_review(signed_in, other_user):
    theirs = ReviewFactory(owner=other_user)
    url = reverse("reviews:delete", args=[theirs.pk])
    assert signed_in.get(url).status_code == 404
    assert signed_in.post(url).status_code == 404
    assert Review.objects.filter(pk=theirs.pk).exists()


def test_anonymous_cannot_delete(client, user):
    review = ReviewFactory(owner=user)
    response = client.post(reverse("reviews:delete", args=[review.pk]))
    assert response.status_code == 302
    assert Review.objects.filter(pk=review.pk).exists()


# --- Explanations: the words that pushed the verdict ---


def test_detail_highlights_the_words_by_direction_and_strength(signed_in, user):
    review = ReviewFactory(owner=user, text=EXPLAINED_TEXT, explanation=EXPLANATION)
    html = page_text(signed_in.get(review.get_absolute_url()))
    assert '<mark class="hl hl--pos-3" title="Pushed towards positive (+2.00)">brilliant,</mark>' in html
    assert '<mark class="hl hl--pos-1" title="Pushed towards positive (+0.30)">acting</mark>' in html
    assert '<mark class="hl hl--neg-1" title="Pushed towards negative (\u22120.50)">but</mark>' in html
    assert '<mark class="hl hl--neg-2" title="Pushed towards negative (\u22120.90)">plot</mark>' in html
    assert '<mark class="hl hl--neg-3" title="Pushed towards negative (\u22121.60)">dreadful.</mark>' in html
    assert ">was</mark>" not in html  # too weak to mark
    assert shown_review_text(html) == EXPLAINED_TEXT  # whitespace and punctuation kept exactly
    # The legend, with every class it explains, and the same information without colour.
    legend = re.search(r'data-testid="highlight-legend">(.*?)</div>', html, re.S).group(1)
    assert "towards negative" in legend and "towards positive" in legend
    for css_class in ("neg-3", "neg-2", "neg-1", "pos-1", "pos-2", "pos-3"):
        assert f'class="hl hl--{css_class}"' in legend
    keywords = re.search(r'data-testid="keywords">(.*?)</p>\s*</div>', html, re.S).group(1)
    assert "Words that pushed it most towards positive" in keywords
    positive, negative = re.findall(r'<ol class="keywords__list">(.*?)</ol>', keywords, re.S)
    assert re.findall(r'keywords__word" dir="auto">([^<]*)<.*?keywords__weight">([^<]*)<', positive) == [
        ("brilliant", "+2.00"),
        ("acting", "+0.30"),
    ]
    assert re.findall(r'keywords__word" dir="auto">([^<]*)<.*?keywords__weight">([^<]*)<', negative) == [
        ("dreadful", "\u22121.60"),
        ("plot", "\u22120.90"),
        ("but", "\u22120.50"),
    ]


def test_markup_in_a_highlighted_word_is_escaped(signed_in, user):
    text = f"{SCRIPT} awful"
    review = ReviewFactory(owner=user, text=text, explanation=[[SCRIPT, 1.0], ["awful", -2.0]])
    html = page_text(signed_in.get(review.get_absolute_url()))
    assert SCRIPT not in html
    assert f'<mark class="hl hl--pos-2" title="Pushed towards positive (+1.00)">{ESCAPED_SCRIPT}</mark>' in html
    assert shown_review_text(html) == text


def test_a_review_without_a_fitting_explanation_is_shown_plain(signed_in, user):
    old = ReviewFactory(owner=user, text=EXPLAINED_TEXT, explanation=[])
    other = ReviewFactory(owner=user, text="Something else entirely", explanation=EXPLANATION)
    for review in (old, other):
        html = page_text(signed_in.get(review.get_absolute_url()))
        assert "<mark" not in html
        assert 'data-testid="highlight-legend"' not in html
        assert f'data-testid="review-text">{html_lib.escape(review.text)}</blockquote>' in html


# --- Feedback: "this verdict is wrong" ---


def csrf_client(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    client.get(HISTORY)  # sets the CSRF cookie
    return client


def test_the_owner_marks_a_verdict_wrong_and_undoes_it(user):
    client = csrf_client(user)
    token = client.cookies["csrftoken"].value
    review = ReviewFactory(owner=user, sentiment=Sentiment.POSITIVE)
    detail = page_text(client.get(review.get_absolute_url()))
    assert re.search(rf'<form method="post" action="{dispute_url(review)}"', detail)
    assert '<input type="hidden" name="disputed" value="true">' in detail
    assert "This verdict is wrong" in detail

    response = client.post(dispute_url(review), {"disputed": "true", "csrfmiddlewaretoken": token}, follow=True)
    assert response.redirect_chain == [(review.get_absolute_url(), 302)]
    review.refresh_from_db()
    assert review.verdict_disputed is True
    html = page_text(response)
    assert "Thanks: the verdict is marked as wrong." in html
    assert "You marked this verdict as wrong" in html
    assert "You read this review as negative." in html
    assert '<input type="hidden" name="disputed" value="false">' in html

    response = client.post(dispute_url(review), {"disputed": "false", "csrfmiddlewaretoken": token}, follow=True)
    review.refresh_from_db()
    assert review.verdict_disputed is False
    assert "the verdict is no longer marked as wrong" in page_text(response)
    assert "You marked this verdict as wrong" not in page_text(response)


def test_dispute_needs_the_csrf_token(user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    review = ReviewFactory(owner=user)
    assert client.post(dispute_url(review), {"disputed": "true"}).status_code == 403
    review.refresh_from_db()
    assert review.verdict_disputed is False


def test_another_users_verdict_cannot_be_disputed(signed_in, other_user):
    theirs = ReviewFactory(owner=other_user)
    assert signed_in.post(dispute_url(theirs), {"disputed": "true"}).status_code == 404
    assert signed_in.post(reverse("reviews:dispute", args=[10**9]), {"disputed": "true"}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.verdict_disputed is False


def test_dispute_is_post_only_signed_in_only_and_checks_its_value(client, signed_in, user):
    review = ReviewFactory(owner=user)
    assert signed_in.get(dispute_url(review)).status_code == 405
    assert signed_in.post(dispute_url(review), {"disputed": "maybe"}).status_code == 400
    assert signed_in.post(dispute_url(review), {}).status_code == 400
    anonymous = Client().post(dispute_url(review), {"disputed": "true"})
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("login"))
    review.refresh_from_db()
    assert review.verdict_disputed is False


def test_dispute_returns_to_a_safe_next_page_only(signed_in, user):
    review = ReviewFactory(owner=user)
    back = f"{HISTORY}?sentiment=positive&page=1"
    response = signed_in.post(dispute_url(review), {"disputed": "true", "next": back})
    assert response["Location"] == back
    response = signed_in.post(dispute_url(review), {"disputed": "false", "next": "https://evil.example/"})
    assert response["Location"] == review.get_absolute_url()
