"""Every API error as one JSON shape: {"detail": "...", "code": "...", "errors": {...}} (errors on 400 only)."""

import logging
import math

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.db import connections
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.settings import api_settings

from classifier.services import ModelUnavailable

logger = logging.getLogger(__name__)


class ModelUnavailableError(exceptions.APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = "The sentiment model is unavailable right now (model unavailable); please retry later."
    default_code = "model_unavailable"

    def __init__(self, retry_after: int):
        super().__init__()
        self.wait = retry_after  # becomes the Retry-After header


class RequestTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "request_too_large"

    def __init__(self):
        super().__init__(f"The request body is larger than {settings.DATA_UPLOAD_MAX_MEMORY_SIZE} bytes.")


def exception_handler(exc, context):
    """DRF's handler, plus 503 for a missing model and 413 for a huge body, all in one body shape."""
    view = context.get("view")
    exc = as_api_exception(exc)
    if exc is None:
        if settings.DEBUG:
            return None  # Django's debug page, with the traceback
        # Errors stay JSON even when the bug is ours; the traceback goes to the log.
        logger.error("Unhandled API error in %s", type(view).__name__, exc_info=True)
        set_rollback(view)
        return Response(
            {"detail": "Internal server error.", "code": "server_error"}, status=status.HTTP_500_INTERNAL_SERVER_ERROR
        )

    headers = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    if getattr(exc, "wait", None):
        headers["Retry-After"] = str(math.ceil(exc.wait))
    set_rollback(view)
    return Response(error_body(exc), status=exc.status_code, headers=headers)


def as_api_exception(exc) -> exceptions.APIException | None:
    """The APIException that answers `exc`, or None when it is a bug rather than a refusal."""
    if isinstance(exc, exceptions.APIException):
        return exc
    if isinstance(exc, ModelUnavailable):
        # Its message names paths on the server: log it, tell the client only what it can act on.
        logger.warning("API request refused: %s", exc)
        return ModelUnavailableError(retry_after=exc.retry_after)
    if isinstance(exc, RequestDataTooBig):
        return RequestTooLarge()
    if isinstance(exc, Http404):
        return exceptions.NotFound(*exc.args)
    if isinstance(exc, PermissionDenied):
        return exceptions.PermissionDenied(*exc.args)
    return None


def set_rollback(view) -> None:
    """Roll back the request's transaction, as DRF does, unless the view opted out of one.

    Outside a request-wide transaction an atomic block that is still open belongs to someone else
    (a test case, say), and marking it would break that, not undo anything of ours.
    """
    non_atomic = getattr(getattr(view, "dispatch", None), "_non_atomic_requests", set())
    for connection in connections.all(initialized_only=True):
        if connection.settings_dict["ATOMIC_REQUESTS"] and connection.alias not in non_atomic:
            if connection.in_atomic_block:
                connection.set_rollback(True)


def error_body(exc: exceptions.APIException) -> dict:
    if isinstance(exc, exceptions.ValidationError):
        errors = field_errors(exc.detail)
        return {"detail": first_message(errors), "code": "invalid", "errors": errors}
    codes = exc.get_codes()
    return {"detail": str(exc.detail), "code": codes if isinstance(codes, str) else exc.default_code}


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
