"""Site-wide middleware: a 503 page instead of a 500 when the database cannot be reached (the
Content-Security-Policy header is django-csp's, CONTENT_SECURITY_POLICY in settings)."""

import logging

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)
DATABASE_RETRY_AFTER = 10
# What Django raises when the database cannot be reached (connection refused, dropped, closed).
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)


class DatabaseUnavailableMiddleware:
    """A page that needs the database while it is unreachable gets a friendly 503 with Retry-After, not a 500.

    The page renders without the database (no session, user or messages) and logs the error class only:
    a driver's message can carry host names or credentials. The API answers the same in JSON
    (sentisite.api.exceptions)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, DATABASE_UNAVAILABLE):
            return None
        logger.error("Database unavailable (%s) for %s %s", type(exception).__name__, request.method, request.path)
        html = render_to_string("503_database.html", {"stylesheet": f"{settings.STATIC_URL}css/site.css"})
        response = HttpResponse(html, status=503)
        response["Retry-After"] = str(DATABASE_RETRY_AFTER)
        response["Cache-Control"] = "no-store"
        return response
