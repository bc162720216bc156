"""The rules of a review's text, one set for the review form and the API (predict and stored reviews alike).

In classifier, not reviews: the predict API (classifier.api) checks texts with them too, and reviews may
import classifier but never the reverse.

A text is kept exactly as sent (no trimming): it must hold something besides whitespace, be at most
REVIEW_MAX_CHARS characters, and hold no NUL (the database cannot store it) and no lone surrogate
(not encodable as UTF-8).
"""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, ProhibitNullCharactersValidator

EMPTY_MESSAGE = "Write a review first: the text is empty."
BLANK_MESSAGE = "Write a review first: the text is only spaces."
TOO_LONG_MESSAGE = "Reviews can be at most %(limit_value)d characters long (this one has %(show_value)d)."
NUL_MESSAGE = "The text contains a NUL character (\\0), which cannot be stored. Remove it and try again."
SURROGATE_MESSAGE = "Surrogate characters are not allowed: U+%(code_point)X."  # DRF's wording

_SURROGATE = re.compile("[\ud800-\udfff]")


def max_chars() -> int:
    # Read on each use, so that a changed setting (tests, override_settings) applies.
    return settings.REVIEW_MAX_CHARS


def reject_blank(text: str) -> None:
    if not text.strip():
        raise ValidationError(BLANK_MESSAGE, code="blank")


def reject_surrogates(text: str) -> None:
    # A lone surrogate can only come from JSON's "\ud800" escapes; forms decode bytes and never make one.
    found = _SURROGATE.search(text)
    if found:
        raise ValidationError(
            SURROGATE_MESSAGE, code="surrogate_characters_not_allowed", params={"code_point": ord(found.group())}
        )


def text_validators(limit: int | None = None) -> list:
    """The validators of a review's text, in the order their messages are listed when several apply."""
    return [
        reject_blank,
        MaxLengthValidator(max_chars() if limit is None else limit, message=TOO_LONG_MESSAGE),
        ProhibitNullCharactersValidator(message=NUL_MESSAGE),
        reject_surrogates,
    ]
