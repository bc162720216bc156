"""Every API error as one JSON shape: {"detail", "code"}, plus "errors" (bad input) or "choices" (unknown model)."""

import logging
import math

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import set_rollback

from sentisite.middleware import DATABASE_RETRY_AFTER, DATABASE_UNAVAILABLE

logger = logging.getLogger(__name__)


class DatabaseUnavailableError(exceptions.APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = "The database is unavailable right now; please retry later."
    default_code = "database_unavailable"

    def __init__(self):
        super().__init__()
        self.wait = DATABASE_RETRY_AFTER


class RequestTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "request_too_large"

    def __init__(self):
        super().__init__(f"The request body is larger than {settings.DATA_UPLOAD_MAX_MEMORY_SIZE} bytes.")


def exception_handler(exc, context):
    """DRF's handler, plus 503 for an unreachable database and 413 for a huge body, in one shape (the model's
    errors are classifier.api.exceptions's, which hands the rest to this)."""
    view = context.get("view")
    exc = as_api_exception(exc)
    if exc is None:
        if settings.DEBUG:
            return None  # Django's debug page, with the traceback
        # Errors stay JSON even when the bug is ours; the traceback goes to the log.
        logger.error("Unhandled API error in %s", type(view).__name__, exc_info=True)
        set_rollback()
        return Response(
            {"detail": "Internal server error.", "code": "server_error"}, status=status.HTTP_500_INTERNAL_SERVER_ERROR
        )

    headers = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    if getattr(exc, "wait", None):
        headers["Retry-After"] = str(math.ceil(exc.wait))
    set_rollback()  # DRF's: a no-op unless ATOMIC_REQUESTS is back on
    return Response(error_body(exc), status=exc.status_code, headers=headers)


def as_api_exception(exc) -> exceptions.APIException | None:
    """The APIException that answers `exc`, or None when it is a bug rather than a refusal."""
    if isinstance(exc, exceptions.APIException):
        return exc
    if isinstance(exc, DATABASE_UNAVAILABLE):
        # The class only: a driver's message can carry host names or credentials.
        logger.error("API request refused: database unavailable (%s)", type(exc).__name__)
        return DatabaseUnavailableError()
    if isinstance(exc, RequestDataTooBig):
        return RequestTooLarge()
    if isinstance(exc, Http404):
        return exceptions.NotFound(*exc.args)
    if isinstance(exc, PermissionDenied):
        return exceptions.PermissionDenied(*exc.args)
    return None


def error_body(exc: exceptions.APIException) -> dict:
    if isinstance(exc, exceptions.ValidationError):
        errors = field_errors(exc.detail)
        return {"detail": first_message(errors), "code": "invalid", "errors": errors}
    codes = exc.get_codes()
    body = {"detail": str(exc.detail), "code": codes if isinstance(codes, str) else exc.default_code}
    if getattr(exc, "choices", None) is not None:  # an unknown model (classifier.api.exceptions)
        body["choices"] = exc.choices
    return body


def field_errors(detail) -> dict:
    """A ValidationError's detail as {field: [messages]}; errors of the whole body go under non_field_errors."""
    if isinstance(detail, dict):
        return {str(key): _plain(value) for key, value in detail.items()}
    return {api_settings.NON_FIELD_ERRORS_KEY: _plain(detail)}


def _plain(detail):
    if isinstance(detail, dict):
        return {str(key): _plain(value) for key, value in detail.items()}
    if isinstance(detail, list):
        return [_plain(item) for item in detail]
    return str(detail)


def first_message(errors, path: str = "") -> str:
    """The first error, prefixed by where it is (`texts.3: ...`), as a one-line summary."""
    if isinstance(errors, dict):
        for key, value in errors.items():
            name = "" if key == api_settings.NON_FIELD_ERRORS_KEY else key
            found = first_message(value, ".".join(part for part in (path, name) if part))
            if found:
                return found
        return ""
    if isinstance(errors, list):
        return next((found for item in errors if (found := first_message(item, path))), "")
    return f"{path}: {errors}" if path else str(errors)
