"""The bad-input catalogue (docs/reliability.md, "Bad input"): each case through the classify page and the API, with
its status and message, and nothing stored unless the text is valid, in which case it is stored exactly.

Valid but hostile texts (20,000 characters of punctuation, one 20,000-character word, 5,000 one-letter
words, nested brackets, emoji with zero-width joiners, right-to-left overrides, 10,000 newlines) go
through every page, the API, the admin and the CSV export in tests/test_hostile_text.py."""

import json

import pytest

from reviews.models import Review

HOME = "/"
REVIEWS = "/api/v1/reviews/"
HTML_JS = "<script>alert('x')</script><img src=x onerror=alert(1)> <b>bold</b> &amp; a fine film"
RTL_EMOJI = "فيلم رائع جدا 🎬👍 — שחקנים מצוינים 😀"
SQL = "'; DROP TABLE reviews_review; -- \" OR 1=1 /* a fine film */"


def post_json(api, raw: bytes | str):
    return api.post(REVIEWS, raw, content_type="application/json")


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "Write a review first"),
        ("   \n\t ", "Write a review first"),
        ("x" * 20_001, "Reviews can be at most 20000 characters long (this one has 20001)."),
        ("a fine\x00film", "NUL"),
    ],
    ids=["empty", "whitespace-only", "20001-characters", "nul-character"],
)
def test_invalid_text_on_the_page_is_a_form_error(signed_in, text, message, served_model):
    response = signed_in.post(HOME, {"text": text})
    assert response.status_code == 200 and message in response.content.decode()
    assert not Review.objects.exists()


@pytest.mark.parametrize(
    "body, message",
    [
        # The review form's messages: one set of rules (classifier/rules.py).
        ({"text": ""}, "Write a review first: the text is empty."),
        ({"text": "   \n\t "}, "Write a review first: the text is only spaces."),
        ({"text": "x" * 20_001}, "Reviews can be at most 20000 characters long (this one has 20001)."),
        (
            {"text": "a fine\x00film"},
            "The text contains a NUL character (\\0), which cannot be stored. Remove it and try again.",
        ),
        ({"text": 42}, "Must be a string."),
        ({"text": ["a", "b"]}, "Must be a string."),
        ({"text": {"a": 1}}, "Must be a string."),
        ({"text": None}, "This field may not be null."),
        ({}, "This field is required."),
    ],
    ids=[
        "empty",
        "whitespace-only",
        "20001-characters",
        "nul-character",
        "number",
        "list",
        "object",
        "null",
        "missing",
    ],
)
def test_invalid_text_in_the_api_is_a_400_naming_the_field(api, body, message, served_model):
    response = post_json(api, json.dumps(body))
    assert response.status_code == 400, response.content
    assert response.json()["errors"]["text"] == [message]
    assert not Review.objects.exists()


@pytest.mark.parametrize(
    "raw, code",
    [
        (b'{"text": "caf\xe9 \xff\xfe"}', "parse_error"),  # invalid UTF-8 bytes
        (b'{"text": "\\ud800 lone surrogate"}', "invalid"),
        (b'{"text": ' + b"[" * 5000 + b"]" * 5000 + b"}", "parse_error"),  # deeply nested
        (b'{"text": "unterminated', "parse_error"),
    ],
    ids=["invalid-utf8", "lone-surrogate", "deeply-nested", "malformed"],
)
def test_broken_json_is_a_400(api, raw, code, served_model):
    response = post_json(api, raw)
    assert response.status_code == 400, response.content
    assert response.json()["code"] == code and response.json()["detail"]
    assert not Review.objects.exists()


def test_invalid_utf8_in_a_form_is_read_with_replacement_characters(signed_in, user, served_model):
    """Django decodes a form body leniently: the broken bytes become U+FFFD, the rest is a valid review."""
    response = signed_in.post(HOME, b"text=caf%E9+%FF%FE+film", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 302
    assert Review.objects.get(owner=user).text == "caf\ufffd \ufffd\ufffd film"


def test_a_one_megabyte_body(signed_in, api, served_model):
    big = "x" * 1_000_000
    response = post_json(api, json.dumps({"text": big}))
    assert response.status_code == 413 and response.json()["code"] == "request_too_large"
    response = signed_in.post(HOME, {"text": big})
    assert response.status_code == 400 and b"Traceback" not in response.content
    assert not Review.objects.exists()


@pytest.mark.parametrize("text", [HTML_JS, RTL_EMOJI, SQL], ids=["html-and-javascript", "rtl-and-emoji", "sql-looking"])
def test_odd_but_valid_text_is_stored_exactly_and_escaped_everywhere(
    signed_in, api, user, admin_client, text, served_model
):
    from django.utils.html import escape

    assert signed_in.post(HOME, {"text": text}).status_code == 302
    created = post_json(api, json.dumps({"text": text}))
    assert created.status_code == 201 and created.json()["text"] == text
    reviews = list(Review.objects.filter(owner=user))
    assert [review.text for review in reviews] == [text, text]
    shown = [
        signed_in.get(reviews[0].get_absolute_url()),
        signed_in.get("/history/"),
        admin_client.get("/admin/reviews/review/"),
    ]
    for response in shown:
        html = response.content.decode()
        assert response.status_code == 200
        assert "<script>alert('x')</script>" not in html and "<img src=x" not in html
    detail = shown[0].content.decode()
    assert escape(text.split()[0]) in detail
    # Searching for it finds it rather than breaking a query.
    assert api.get(REVIEWS, {"search": "DROP TABLE" if text == SQL else text[:6]}).json()["count"] == 2
