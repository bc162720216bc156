"""Forms of the review pages: the review text (and model), feedback on a verdict, the history filters."""

from collections.abc import Sequence

from django import forms
from django.conf import settings
from django.core.validators import ProhibitNullCharactersValidator
from django.urls import reverse

from .models import Sentiment

NUL_MESSAGE = "The text contains a NUL character (\\0), which cannot be stored. Remove it and try again."


def _reject_nul_clearly(field: forms.CharField) -> forms.CharField:
    """Swap Django's terse "Null characters are not allowed." for a message people can act on."""
    field.validators = [v for v in field.validators if not isinstance(v, ProhibitNullCharactersValidator)]
    field.validators.append(ProhibitNullCharactersValidator(message=NUL_MESSAGE))
    return field


class ReviewForm(forms.Form):
    # strip=False: the review is stored exactly as typed (leading spaces, blank lines, RTL marks).
    text = _reject_nul_clearly(
        forms.CharField(
            label="Your movie review",
            strip=False,
            max_length=settings.REVIEW_MAX_CHARS,
            widget=forms.Textarea(
                attrs={
                    "rows": 8,
                    "dir": "auto",
                    "spellcheck": "true",
                    "placeholder": "e.g. A brilliant, wonderful film: I loved every minute of it.",
                }
            ),
            error_messages={
                "required": "Write a review first: the text is empty.",
                "max_length": "Reviews can be at most %(limit_value)d characters long (this one has %(show_value)d).",
            },
        )
    )

    def __init__(self, *args, models: Sequence[tuple[str, str]] = (), **kwargs):
        """`models`: (name, label) of the shipped models, the default first; a choice is offered when there are several."""
        super().__init__(*args, **kwargs)
        if len(models) > 1:
            self.fields["model"] = forms.ChoiceField(
                label="Model",
                help_text=f'Share right of the 25,000 IMDB test reviews; <a href="{reverse("insights")}#models">how they compare</a>.',
                required=False,  # left out (an older form, a script): the default model
                choices=list(models),
                initial=models[0][0],
                error_messages={"invalid_choice": "There is no model called “%(value)s”: choose one from the list."},
            )

    def clean_text(self) -> str:
        text = self.cleaned_data["text"]
        if not text.strip():
            raise forms.ValidationError("Write a review first: the text is only spaces.", code="blank")
        return text


class DisputeForm(forms.Form):
    """The owner's feedback on a stored verdict: "this verdict is wrong" (true) or its undo (false)."""

    disputed = forms.TypedChoiceField(
        choices=[("true", "Wrong"), ("false", "Right")], coerce=lambda value: value == "true"
    )


class HistoryFilterForm(forms.Form):
    sentiment = forms.ChoiceField(label="Verdict", required=False, choices=[("", "All verdicts"), *Sentiment.choices])
    q = _reject_nul_clearly(
        forms.CharField(
            label="Search your reviews",
            required=False,
            max_length=200,
            widget=forms.TextInput(attrs={"type": "search", "placeholder": "Words in the review"}),
        )
    )
