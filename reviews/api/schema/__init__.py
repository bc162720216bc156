"""OpenAPI documentation of the endpoints, by feature: request/response shapes and examples, errors included.

The views decorate themselves with these names (`@schema.PREDICT`); each lives in its feature's module.
"""

from .errors import (
    MODEL_UNAVAILABLE,
    NOT_AUTHENTICATED,
    NOT_FOUND,
    PERMISSION_DENIED,
    RETRY_AFTER,
    THROTTLED,
    TOO_LARGE,
    UNKNOWN_MODEL,
    UNSUPPORTED_MEDIA_TYPE,
    WRONG_TOKEN,
    error,
    invalid,
    retry_after,
)
from .predict import MODEL_LIST, PREDICT
from .reviews import (
    REVIEW_CREATE,
    REVIEW_DESTROY,
    REVIEW_DISPUTE,
    REVIEW_LIST,
    REVIEW_RETRIEVE,
    REVIEW_UNDISPUTE,
)
from .tokens import TOKEN_OBTAIN

__all__ = [
    "MODEL_LIST",
    "MODEL_UNAVAILABLE",
    "NOT_AUTHENTICATED",
    "NOT_FOUND",
    "PERMISSION_DENIED",
    "PREDICT",
    "RETRY_AFTER",
    "REVIEW_CREATE",
    "REVIEW_DESTROY",
    "REVIEW_DISPUTE",
    "REVIEW_LIST",
    "REVIEW_RETRIEVE",
    "REVIEW_UNDISPUTE",
    "THROTTLED",
    "TOKEN_OBTAIN",
    "TOO_LARGE",
    "UNKNOWN_MODEL",
    "UNSUPPORTED_MEDIA_TYPE",
    "WRONG_TOKEN",
    "error",
    "invalid",
    "retry_after",
]
