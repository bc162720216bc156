"""API tokens: a new password (change page, reset link, admin) revokes them; the admin never shows a key."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from reviews.tests.factories import PASSWORD, UserFactory

NEW_PASSWORD = "brand-new-pass-99"
# The root conftest's fast hashing, before the user fixture hashes the password.
pytestmark = pytest.mark.usefixtures("fast_hashing")


@pytest.fixture
def token(user):
    return Token.objects.create(user=user)


def works(token_key: str) -> bool:
    client = APIClient(HTTP_AUTHORIZATION=f"Token {token_key}")
    return client.get("/api/v1/reviews/").status_code == 200


def test_changing_the_password_revokes_the_api_tokens(client, user, token):
    assert works(token.key)
    client.force_login(user)
    data = {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    response = client.post("/accounts/password_change/", data, follow=True)
    assert "Password changed" in response.content.decode()
    assert not works(token.key)
    assert not Token.objects.filter(user=user).exists()


def test_a_password_reset_revokes_the_api_tokens(client, user, token):
    client.post("/accounts/password_reset/", {"email": user.email})
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", mail.outbox[0].body).group(1)
    form = client.get(link, follow=True)
    assert works(token.key)  # following the link alone changes nothing
    client.post(form.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert not works(token.key)


def test_a_password_set_anywhere_else_revokes_them_too(user, token):
    """The admin's password form and manage.py changepassword both end in set_password() and save()."""
    other = Token.objects.create(user=UserFactory())
    user.set_password(NEW_PASSWORD)
    user.save()
    assert not Token.objects.filter(user=user).exists()
    assert works(other.key)  # another user's token is untouched


def test_signing_in_and_saving_other_fields_keep_the_tokens(user, token):
    assert Client().post("/accounts/login/", {"username": user.username, "password": PASSWORD}).status_code == 302
    user.refresh_from_db()
    user.first_name = "Maria"
    user.save()
    assert works(token.key)


def test_the_token_endpoint_hands_out_a_working_token_after_a_reset(user, token):
    user.set_password(NEW_PASSWORD)
    user.save()
    response = APIClient().post(
        "/api/v1/auth/token", {"username": user.username, "password": NEW_PASSWORD}, format="json"
    )
    assert response.status_code == 200 and response.json()["token"] != token.key
    assert works(response.json()["token"])


@pytest.fixture
def staff_client(db):
    admin = get_user_model().objects.create_superuser("root", "root@example.com", PASSWORD)
    client = Client()
    client.force_login(admin)
    return client


def test_the_admin_lists_tokens_without_their_keys(staff_client, token):
    listing = staff_client.get("/admin/accounts/apitoken/")
    assert listing.status_code == 200
    page = listing.content.decode()
    assert token.user.username in page
    assert token.key not in page and token.key[:8] not in page
    # No object pages: their links and titles would carry the key (the token's primary key).
    for suffix in ("add/", f"{token.user.pk}/change/", f"{token.key}/change/", f"{token.user.pk}/history/"):
        assert token.key not in staff_client.get(f"/admin/accounts/apitoken/{suffix}", follow=True).content.decode()
    assert token.key not in staff_client.get("/admin/").content.decode()


@pytest.mark.parametrize(
    "lookup", ["key__startswith", "key", "key__gt", "pk__startswith", "pk__in", "user__auth_token__key__startswith"]
)
def test_the_admin_refuses_lookups_on_the_key(staff_client, token, lookup):
    # Each answer would say whether the key starts with (equals, sorts after) a guess: 341 guesses found one.
    response = staff_client.get("/admin/accounts/apitoken/", {lookup: token.key[:1]})
    assert response.status_code == 400
    assert token.user.username not in response.content.decode()


def test_the_admin_still_searches_and_sorts_tokens_by_user(staff_client, token):
    for query in ({"q": token.user.username}, {"o": "1"}, {"o": "-2"}):
        response = staff_client.get("/admin/accounts/apitoken/", query)
        assert response.status_code == 200 and token.user.username in response.content.decode()


def test_staff_revoke_tokens_from_the_user_list(staff_client, token):
    data = {"action": "revoke_api_tokens", "_selected_action": [token.user.pk]}
    response = staff_client.post("/admin/auth/user/", data, follow=True)
    assert "1 API token(s) revoked." in response.content.decode()
    assert not works(token.key)
