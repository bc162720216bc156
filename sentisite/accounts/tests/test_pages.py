"""The account pages: sign-up, sign-in and out, password change and reset, the API token page."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token

from reviews.tests.factories import PASSWORD
from reviews.tests.pages import HISTORY, HOME, page_text

pytestmark = pytest.mark.django_db

SIGNUP = reverse("signup")
API_TOKEN = reverse("api_token")


# --- Sign-up and the auth pages ---


def test_signup_creates_the_user_and_signs_them_in(client):
    response = client.post(
        SIGNUP,
        {
            "username": "newcomer",
            "email": "",
            "password1": "a-long-unusual-pass-42",
            "password2": "a-long-unusual-pass-42",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == HOME
    user = get_user_model().objects.get(username="newcomer")
    assert user.email == ""
    assert int(client.session["_auth_user_id"]) == user.pk
    html = page_text(client.get(HOME))
    assert "Signed in as <strong>newcomer</strong>" in html
    assert "Welcome, newcomer!" in html


def test_signup_refuses_a_weak_password(client):
    response = client.post(SIGNUP, {"username": "newcomer", "password1": "12345678", "password2": "12345678"})
    assert response.status_code == 200
    assert "This password is too common." in page_text(response)
    assert not get_user_model().objects.filter(username="newcomer").exists()


def test_signup_follows_a_safe_next_only(client):
    data = {"username": "a", "password1": "a-long-unusual-pass-42", "password2": "a-long-unusual-pass-42"}
    assert client.post(SIGNUP, {**data, "next": HISTORY})["Location"] == HISTORY
    other = Client()
    data["username"] = "b"
    assert other.post(SIGNUP, {**data, "next": "https://evil.example/"})["Location"] == HOME


def test_signup_redirects_someone_already_signed_in(signed_in):
    assert signed_in.get(SIGNUP)["Location"] == HOME


def test_login_page_and_sign_in(client, user):
    page = client.get(reverse("login"))
    assert page.status_code == 200
    assert re.search(r'<label[^>]*for="id_username"', page_text(page))
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == HOME
    wrong = Client().post(reverse("login"), {"username": user.username, "password": "nope"})
    assert wrong.status_code == 200
    assert "Please enter a correct username and password" in page_text(wrong)


def test_sign_out_is_a_post(signed_in):
    html = page_text(signed_in.get(HOME))
    assert re.search(r'<form[^>]*method="post"[^>]*action="/accounts/logout/"', html)
    assert signed_in.get(reverse("logout")).status_code == 405
    response = signed_in.post(reverse("logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in signed_in.session


def test_password_change_pages(signed_in, user):
    assert signed_in.get(reverse("password_change")).status_code == 200
    response = signed_in.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "another-long-pass-77", "new_password2": "another-long-pass-77"},
        follow=True,
    )
    assert "Password changed" in page_text(response)
    user.refresh_from_db()
    assert user.check_password("another-long-pass-77")


def test_password_reset_flow(client, user):
    assert client.get(reverse("password_reset")).status_code == 200
    done = client.post(reverse("password_reset"), {"email": user.email}, follow=True)
    assert "Check your email" in page_text(done)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "Reset your sentisite password"
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", mail.outbox[0].body).group(1)
    form = client.get(link, follow=True)
    assert "Choose a new password" in page_text(form)
    complete = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "brand-new-pass-99", "new_password2": "brand-new-pass-99"},
        follow=True,
    )
    assert "Your password is set" in page_text(complete)
    user.refresh_from_db()
    assert user.check_password("brand-new-pass-99")


# --- API token ---


def test_api_token_page_shows_a_stable_token(signed_in, user):
    response = signed_in.get(API_TOKEN)
    token = Token.objects.get(user=user)
    assert token.key in page_text(response)
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]
    assert token.key in page_text(signed_in.get(API_TOKEN))
    assert Token.objects.filter(user=user).count() == 1


def test_api_token_can_be_regenerated(signed_in, user):
    old = signed_in.get(API_TOKEN).context["token"].key
    response = signed_in.post(API_TOKEN, follow=True)
    new = Token.objects.get(user=user).key
    assert new != old
    assert new in page_text(response)
    assert old not in page_text(response)


def test_api_token_needs_sign_in(client):
    assert client.get(API_TOKEN).status_code == 302
    assert client.post(API_TOKEN).status_code == 302
    assert not Token.objects.exists()
