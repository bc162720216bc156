"""Security: the password rules on every path that sets a password; no sign-up through the API."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from reviews.tests.factories import PASSWORD

SIGNUP = "/accounts/signup/"


WEAK_PASSWORDS = [
    ("short", "Kq7!x", "too short"),
    ("common", "password123", "too common"),
    ("numeric", "4829103756", "entirely numeric"),
    ("like-the-username", "cinephile-maria", "too similar to the username"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("password", "message"), [(p, m) for _, p, m in WEAK_PASSWORDS], ids=[i for i, _, _ in WEAK_PASSWORDS]
)
def test_sign_up_refuses_weak_passwords(client, fast_hashing, password, message):
    data = {"username": "cinephile-maria", "email": "", "password1": password, "password2": password}
    response = client.post(SIGNUP, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not get_user_model().objects.filter(username="cinephile-maria").exists()


@pytest.mark.django_db
def test_sign_up_accepts_a_strong_password(client, fast_hashing):
    data = {"username": "cinephile-maria", "email": "", "password1": PASSWORD, "password2": PASSWORD}
    assert client.post(SIGNUP, data).status_code == 302
    assert get_user_model().objects.get(username="cinephile-maria").check_password(PASSWORD)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("password", "message"), [(p, m) for _, p, m in WEAK_PASSWORDS[:3]], ids=[i for i, _, _ in WEAK_PASSWORDS[:3]]
)
def test_password_change_refuses_weak_passwords(client, user, fast_hashing, password, message):
    user.set_password(PASSWORD)
    user.save()
    client.force_login(user)
    data = {"old_password": PASSWORD, "new_password1": password, "new_password2": password}
    response = client.post(reverse("password_change"), data)
    assert response.status_code == 200 and message in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_the_api_has_no_sign_up():
    """Accounts are made on the sign-up page only (validated above); no API route creates users."""
    from django.urls import get_resolver

    def views(resolver, prefix=""):
        for pattern in resolver.url_patterns:
            if hasattr(pattern, "url_patterns"):
                yield from views(pattern, prefix + str(pattern.pattern))
            else:
                yield prefix + str(pattern.pattern), pattern.callback

    api = [(route, getattr(view, "cls", view)) for route, view in views(get_resolver()) if route.startswith("api/")]
    assert api, "the API routes were not found"
    assert not [route for route, _ in api if "sign" in route or "register" in route or "user" in route]
