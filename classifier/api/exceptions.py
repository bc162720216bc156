"""The model's errors as API errors: 503 with Retry-After for a model that cannot load, 400 listing the valid
names for an unknown one. DRF's EXCEPTION_HANDLER (settings); every other error is the project's
(sentisite.api.exceptions), which this app builds on rather than the other way round."""

import logging

from rest_framework import exceptions, status

from classifier.registry import ModelUnavailable, UnknownModel
from sentisite.api import exceptions as site_exceptions

logger = logging.getLogger(__name__)


class ModelUnavailableError(exceptions.APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = "The sentiment model is unavailable right now (model unavailable); please retry later."
    default_code = "model_unavailable"

    def __init__(self, retry_after: int):
        super().__init__()
        self.wait = retry_after  # becomes the Retry-After header


class UnknownModelError(exceptions.APIException):
    """?model= names no shipped model; the body also carries the valid names as `choices`."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "unknown_model"

    def __init__(self, exc: UnknownModel):
        super().__init__(str(exc))  # its message lists the valid names too
        self.choices = list(exc.choices)


def exception_handler(exc, context):
    """The project's handler, with a missing model as 503 and an unknown one as 400, in the same JSON shape."""
    if isinstance(exc, ModelUnavailable):
        # Its message names paths on the server: log it, tell the client only what it can act on.
        logger.warning("API request refused: %s", exc)
        exc = ModelUnavailableError(retry_after=exc.retry_after)
    elif isinstance(exc, UnknownModel):
        exc = UnknownModelError(exc)
    return site_exceptions.exception_handler(exc, context)
