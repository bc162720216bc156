"""Every page at once: navigation, no inline styles or scripts (the CSP), CSRF on every POST, percentages."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token

from reviews.models import Review, Sentiment
from reviews.templatetags.reviews_extras import percent
from reviews.tests.factories import PASSWORD, ReviewFactory
from reviews.tests.pages import (
    API_TOKEN,
    EXPLAINED_TEXT,
    EXPLANATION,
    HISTORY,
    HOME,
    POSITIVE_TEXT,
    SIGNUP,
    page_text,
)

pytestmark = pytest.mark.django_db


# --- Navigation ---


def test_navigation_for_visitors(client):
    html = page_text(client.get(HOME))
    assert f'href="{reverse("insights")}"' in html
    assert 'href="/api/v1/docs"' in html
    assert f'href="{SIGNUP}"' in html
    assert "Sign in" in html
    assert f'href="{HISTORY}"' not in html
    assert 'href="/admin/"' not in html
    assert 'class="skip-link" href="#main"' in html
    assert '<html lang="en">' in html


def test_navigation_for_members_and_staff(signed_in, admin_client):
    html = page_text(signed_in.get(HOME))
    assert f'href="{HISTORY}"' in html
    assert f'href="{API_TOKEN}"' in html
    assert 'href="/admin/"' not in html
    assert 'href="/admin/"' in page_text(admin_client.get(HOME))


def test_pages_have_no_inline_styles_or_scripts(signed_in, user, served_model):
    # The Content-Security-Policy forbids them: they would be blocked in the browser.
    review = ReviewFactory(owner=user)
    explained = ReviewFactory(owner=user, text=EXPLAINED_TEXT, explanation=EXPLANATION, verdict_disputed=True)
    responses = [
        signed_in.post(HOME, {"text": POSITIVE_TEXT}, follow=True),
        signed_in.get(explained.get_absolute_url()),  # highlights, legend, the disputed state
        signed_in.get(HOME),
        signed_in.get(HISTORY),
        signed_in.get(review.get_absolute_url()),
        signed_in.get(reverse("reviews:delete", args=[review.pk])),
        signed_in.get(API_TOKEN),
        signed_in.get(reverse("password_change")),
        Client().get(SIGNUP),
        Client().get(reverse("login")),
        Client().get(reverse("password_reset")),
        Client().post(HOME, {"text": POSITIVE_TEXT}),
        Client().post(HOME, {"text": EXPLAINED_TEXT}),
    ]
    assert '<svg class="chart"' in page_text(responses[3]) and "<mark" in page_text(responses[1])
    for response in responses:
        html = page_text(response)
        assert "style=" not in html
        assert "<style" not in html
        assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html) == []
        assert re.search(r"\son[a-z]+=", html) is None
        assert "default-src 'self'" in response["Content-Security-Policy"]


# --- CSRF on every POST ---


def _signed_in_csrf_client(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def _post_forms(user):
    review = ReviewFactory(owner=user)
    return [
        (True, HOME, {"text": POSITIVE_TEXT}),
        (True, reverse("reviews:delete", args=[review.pk]), {}),
        (True, reverse("reviews:dispute", args=[review.pk]), {"disputed": "true"}),
        (True, API_TOKEN, {}),
        (True, reverse("logout"), {}),
        (True, reverse("password_change"), {"old_password": PASSWORD}),
        (False, HOME, {"text": POSITIVE_TEXT}),
        (
            False,
            SIGNUP,
            {"username": "x", "password1": "a-long-unusual-pass-42", "password2": "a-long-unusual-pass-42"},
        ),
        (False, reverse("login"), {"username": user.username, "password": PASSWORD}),
        (False, reverse("password_reset"), {"email": user.email}),
    ]


def test_every_post_is_refused_without_a_csrf_token(user, missing_model):
    for needs_user, url, data in _post_forms(user):
        client = _signed_in_csrf_client(user) if needs_user else Client(enforce_csrf_checks=True)
        response = client.post(url, data)
        assert response.status_code == 403, url
        assert "This form has expired" in page_text(response)
    assert Review.objects.filter(owner=user).count() == 1
    assert not Review.objects.filter(verdict_disputed=True).exists()
    assert not Token.objects.exists()
    assert not get_user_model().objects.filter(username="x").exists()


def test_every_post_is_accepted_with_the_csrf_token(user, missing_model):
    # The positive control: the same posts pass the CSRF check once the token from the cookie is sent.
    for needs_user, url, data in _post_forms(user):
        client = _signed_in_csrf_client(user) if needs_user else Client(enforce_csrf_checks=True)
        client.get(HOME)
        token = client.cookies["csrftoken"].value
        response = client.post(url, {**data, "csrfmiddlewaretoken": token})
        assert response.status_code != 403, url


# --- Percentages on the pages ---


@pytest.mark.parametrize(
    ("probability", "digits", "shown"),
    [
        (0.8734, 1, "87.3%"),
        (0.5, 1, "50.0%"),
        (1.0, 1, ">99.9%"),
        (0.0, 1, "<0.1%"),
        (0.999, 1, "99.9%"),
        (0.001, 1, "0.1%"),
        (0.99996, 1, ">99.9%"),
        (0.00001, 1, "<0.1%"),
        (0.996, 0, ">99%"),
        (0.004, 0, "<1%"),
        (0.875, 0, "88%"),
        ("junk", 1, ""),
    ],
)
def test_percent_filter(probability, digits, shown):
    assert percent(probability, digits) == shown


def test_near_certain_scores_are_not_shown_as_100_percent(signed_in, user):
    review = ReviewFactory(owner=user, sentiment=Sentiment.POSITIVE, score=0.99999)
    html = page_text(signed_in.get(review.get_absolute_url()))
    assert "&gt;99.9%" in html
    assert "100.0%" not in html
    assert "&gt;99%" in page_text(signed_in.get(HISTORY))
