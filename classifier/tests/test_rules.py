"""One set of review-text rules: the review form and the API's text fields accept, keep and refuse alike."""

import pytest

from classifier import rules
from classifier.api.serializers import PredictRequestSerializer
from reviews.forms import ReviewForm

BAD_TEXTS = {
    "": rules.EMPTY_MESSAGE,
    "   \n\t\u3000": rules.BLANK_MESSAGE,
    "a" * 20_001: "Reviews can be at most 20000 characters long (this one has 20001).",
    "great\x00film": rules.NUL_MESSAGE,
}
KEPT = ["  Leading and trailing spaces stay.  \n", "\u200fRTL mark first", "Two\r\nlines\n\n"]


def form_errors(text: str) -> list[str]:
    form = ReviewForm(data={"text": text})
    return [] if form.is_valid() else list(form.errors["text"])


def api_errors(text: str) -> list[str]:
    serializer = PredictRequestSerializer(data={"text": text})
    return [] if serializer.is_valid() else [str(message) for message in serializer.errors["text"]]


@pytest.mark.parametrize("text", list(BAD_TEXTS), ids=["empty", "whitespace", "too-long", "nul"])
def test_the_form_and_the_api_refuse_a_text_with_the_same_message(text):
    assert form_errors(text) == api_errors(text) == [BAD_TEXTS[text]]


@pytest.mark.parametrize("text", KEPT)
def test_the_form_and_the_api_keep_a_text_exactly(text):
    form = ReviewForm(data={"text": text})
    serializer = PredictRequestSerializer(data={"texts": [text]})
    assert form.is_valid() and form.cleaned_data["text"] == text
    assert serializer.is_valid() and serializer.validated_data["texts"] == [text]  # no trimming


def test_a_lone_surrogate_is_refused_by_the_rules():
    assert api_errors("bad \ud800") == ["Surrogate characters are not allowed: U+D800."]


def test_the_api_reads_the_limit_when_a_serializer_is_built(settings):
    settings.REVIEW_MAX_CHARS = 10
    assert api_errors("a" * 10) == []
    assert api_errors("a" * 11) == ["Reviews can be at most 10 characters long (this one has 11)."]
