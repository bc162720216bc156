"""The review form keeps text exactly and rejects what cannot be stored; the other page forms."""

import pytest
from django.conf import settings

from reviews.forms import NUL_MESSAGE, HistoryFilterForm, ReviewForm


@pytest.mark.parametrize(
    "text",
    [
        "A brilliant film.",
        "  Leading and trailing spaces stay.  \n",
        "Two\r\nlines\n\n and a blank one",
        "Loved it 🎬🍿👍🏽",
        "فيلم رائع جدا",
        "סרט נהדר, mixed with English",
        "\u200fRTL mark first",
        "<script>alert('x')</script>",
    ],
)
def test_text_is_kept_exactly_as_typed(text):
    form = ReviewForm(data={"text": text})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["text"] == text


@pytest.mark.parametrize("text", ["", "   ", "\n\t \r\n", "\u3000"])
def test_empty_or_whitespace_only_text_is_refused(text):
    form = ReviewForm(data={"text": text})
    assert not form.is_valid()
    assert "Write a review first" in form.errors["text"][0]


def test_missing_field_is_refused():
    assert not ReviewForm(data={}).is_valid()


def test_text_at_the_limit_is_accepted_and_one_more_is_refused():
    limit = settings.REVIEW_MAX_CHARS
    assert limit == 20_000
    assert ReviewForm(data={"text": "a" * limit}).is_valid()
    form = ReviewForm(data={"text": "a" * (limit + 1)})
    assert not form.is_valid()
    assert f"at most {limit} characters" in form.errors["text"][0]
    assert f"this one has {limit + 1}" in form.errors["text"][0]


def test_limit_counts_characters_not_bytes():
    # 20,000 emoji are 80,000 bytes of UTF-8 but 20,000 characters.
    assert ReviewForm(data={"text": "🎬" * settings.REVIEW_MAX_CHARS}).is_valid()


@pytest.mark.parametrize("text", ["bad\x00review", "\x00", "great film\x00"])
def test_nul_character_is_refused_with_a_clear_message(text):
    form = ReviewForm(data={"text": text})
    assert not form.is_valid()
    assert form.errors["text"] == [NUL_MESSAGE]


def test_history_filters_accept_known_sentiments_and_empty_values():
    assert HistoryFilterForm(data={}).is_valid()
    assert HistoryFilterForm(data={"sentiment": "", "q": ""}).is_valid()
    form = HistoryFilterForm(data={"sentiment": "negative", "q": "dull"})
    assert form.is_valid()
    assert form.cleaned_data == {"sentiment": "negative", "q": "dull"}


@pytest.mark.parametrize("data", [{"sentiment": "neutral"}, {"q": "a\x00b"}, {"q": "x" * 201}])
def test_history_filters_refuse_bad_values(data):
    assert not HistoryFilterForm(data=data).is_valid()
