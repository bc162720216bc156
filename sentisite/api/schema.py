"""OpenAPI documentation every endpoint shares: the error responses, each with examples of its body."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse

from . import serializers


def error(status: int, description: str, *examples: tuple[str, dict]) -> OpenApiResponse:
    """An error response with its examples; `examples` are (summary, body) pairs."""
    return OpenApiResponse(
        response=serializers.ErrorSerializer,
        description=description,
        examples=[
            OpenApiExample(summary, value=body, response_only=True, status_codes=[str(status)])
            for summary, body in examples
        ],
    )


def invalid(*cases: tuple[str, str, dict], bodies: tuple[tuple[str, dict], ...] = ()) -> OpenApiResponse:
    """A 400 response; `cases` are (summary, detail, errors) triples, `bodies` other (summary, body) pairs."""
    return error(
        400,
        "Invalid input: the body is not JSON or a form, or a field is missing, blank, too long or of the wrong type; "
        "or a query parameter is bad (an unknown `model` lists the valid names in `choices`).",
        (
            "Malformed JSON",
            {"detail": "JSON parse error - Expecting value: line 1 column 10 (char 9)", "code": "parse_error"},
        ),
        *[(summary, {"detail": detail, "code": "invalid", "errors": errors}) for summary, detail, errors in cases],
        *bodies,
    )


def field_error(summary: str, field: str, message: str) -> tuple[str, str, dict]:
    """One case for invalid(): a message on one field (or on the whole body, for non_field_errors)."""
    return summary, message if field == "non_field_errors" else f"{field}: {message}", {field: [message]}


def retry_after(*statuses: int) -> OpenApiParameter:
    return OpenApiParameter(
        "Retry-After",
        OpenApiTypes.INT,
        location=OpenApiParameter.HEADER,
        response=list(statuses),
        description="Seconds to wait before trying again.",
    )


NOT_AUTHENTICATED = error(
    401,
    "No credentials, or a wrong token.",
    ("No credentials", {"detail": "Authentication credentials were not provided.", "code": "not_authenticated"}),
    ("Wrong token", {"detail": "Invalid token.", "code": "authentication_failed"}),
)
WRONG_TOKEN = error(
    401,
    "A wrong token; no credentials are needed here, but a token that is sent must be valid.",
    ("Wrong token", {"detail": "Invalid token.", "code": "authentication_failed"}),
)
PERMISSION_DENIED = error(
    403,
    "Session authentication without a valid CSRF token.",
    ("No CSRF token", {"detail": "CSRF Failed: CSRF token missing.", "code": "permission_denied"}),
)
TOO_LARGE = error(
    413,
    "The body is over 256 KiB.",
    ("Body too large", {"detail": "The request body is larger than 262144 bytes.", "code": "request_too_large"}),
)
UNSUPPORTED_MEDIA_TYPE = error(
    415,
    "The body is neither JSON nor an HTML form.",
    (
        "Plain text body",
        {"detail": 'Unsupported media type "text/plain" in request.', "code": "unsupported_media_type"},
    ),
)
THROTTLED = error(
    429,
    "Too many requests; the Retry-After header says how many seconds to wait.",
    ("Throttled", {"detail": "Request was throttled. Expected available in 42 seconds.", "code": "throttled"}),
)
RETRY_AFTER = retry_after(429, 503)
