"""The sign-up form: an optional email, Django's password validators."""

import pytest

from sentisite.accounts.forms import SignUpForm

pytestmark = pytest.mark.django_db


def test_signup_email_is_optional():
    form = SignUpForm(
        data={"username": "newcomer", "password1": "a-long-unusual-pass-42", "password2": "a-long-unusual-pass-42"}
    )
    assert form.is_valid(), form.errors
    user = form.save()
    assert user.email == ""
    assert user.check_password("a-long-unusual-pass-42")


def test_signup_applies_the_password_validators():
    form = SignUpForm(data={"username": "newcomer", "password1": "password", "password2": "password"})
    assert not form.is_valid()
    assert any("too common" in error for error in form.errors["password2"])


def test_signup_rejects_a_bad_email_and_mismatched_passwords():
    form = SignUpForm(
        data={
            "username": "newcomer",
            "email": "not-an-email",
            "password1": "a-long-unusual-pass-42",
            "password2": "other-pass-42x",
        }
    )
    assert not form.is_valid()
    assert "email" in form.errors
    assert "password2" in form.errors


def test_after_an_error_focus_goes_to_the_first_field_in_error_not_the_username():
    form = SignUpForm(
        data={"username": "newcomer", "password1": "a-long-unusual-pass-42", "password2": "other-pass-42"}
    )
    assert not form.is_valid()
    assert "autofocus" in form["password2"].as_widget()
    assert "autofocus" not in form["username"].as_widget()
    assert "autofocus" in SignUpForm()["username"].as_widget()  # a fresh form still starts at the top
