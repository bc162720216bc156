"""Forms of the account pages: sign-up."""

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import UserCreationForm

from sentisite.forms import FocusFirstError


class SignUpForm(FocusFirstError, UserCreationForm):
    email = forms.EmailField(
        label="Email",
        required=False,
        help_text="Only used to send you a link if you forget your password.",
    )

    class Meta(UserCreationForm.Meta):
        model = get_user_model()
        fields = ("username", "email")
