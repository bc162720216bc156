"""Forms of the review pages: the review text (and model), feedback on a verdict, the history filters."""

from collections.abc import Sequence

from django import forms
from django.core.validators import ProhibitNullCharactersValidator
from django.urls import reverse

from classifier import rules, shipped
from classifier.rules import NUL_MESSAGE

from .models import Sentiment


def model_choices() -> list[tuple[str, str]]:
    """The models anyone may choose from, the default first, each labelled with its test accuracy."""
    models = sorted(shipped.shipped_models(), key=lambda model: not model["default"])
    return [(model["name"], _model_label(model)) for model in models]


def _model_label(model: dict) -> str:
    """E.g. "accurate · 92.1% right" (on the IMDB test set): short enough for a phone's menu."""
    name = model["name"]
    label = f"{name} (default)" if model["default"] and name != "default" else name
    accuracy = model["metrics"].get("test_accuracy")
    return label if accuracy is None else f"{label} · {accuracy:.1%} right"


def _reject_nul_clearly(field: forms.CharField) -> forms.CharField:
    """Swap Django's terse "Null characters are not allowed." for a message people can act on."""
    field.validators = [v for v in field.validators if not isinstance(v, ProhibitNullCharactersValidator)]
    field.validators.append(ProhibitNullCharactersValidator(message=NUL_MESSAGE))
    return field


def _review_text_rules(field: forms.CharField) -> forms.CharField:
    """The review text's rules (classifier/rules.py, shared with the API) instead of CharField's own checks."""
    field.validators = rules.text_validators(field.max_length)
    return field


class ReviewForm(forms.Form):
    # strip=False: the review is stored exactly as typed (leading spaces, blank lines, RTL marks).
    text = _review_text_rules(
        forms.CharField(
            label="Your movie review",
            strip=False,
            max_length=rules.max_chars(),  # also the textarea's maxlength
            widget=forms.Textarea(
                attrs={
                    "rows": 8,
                    "dir": "auto",
                    "spellcheck": "true",
                    "placeholder": "e.g. A brilliant, wonderful film: I loved every minute of it.",
                }
            ),
            error_messages={"required": rules.EMPTY_MESSAGE},
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
