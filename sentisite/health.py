"""Liveness (/healthz) and readiness (/readyz) probes for load balancers and orchestrators."""

import os

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from classifier import services as classifier_services


@never_cache
@require_GET
def healthz(request):
    """The process is up and serving requests; checks nothing else, so it never flaps."""
    return JsonResponse({"status": "ok"})


def _database_ready() -> tuple[bool, str]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        # The class name only: a driver message may carry hostnames or credentials.
        return False, f"database unreachable ({type(exc).__name__})"
    return True, "ok"


def _model_ready() -> tuple[bool, str]:
    try:
        service = classifier_services.get_service()
    except classifier_services.ModelUnavailable as exc:
        # The cause without the server's own folder layout: the probe may be reachable from outside.
        return False, str(exc).replace(f"{settings.BASE_DIR}{os.sep}", "")
    return True, service.model_version


@never_cache
@require_GET
def readyz(request):
    """Ready to take traffic: the database answers and the model is loaded (loading it if needed)."""
    db_ok, db_detail = _database_ready()
    model_ok, model_detail = _model_ready()
    ready = db_ok and model_ok
    body = {
        "status": "ready" if ready else "not ready",
        "checks": {
            "database": {"ok": db_ok, "detail": db_detail},
            "model": {"ok": model_ok, "detail": model_detail},
        },
    }
    return JsonResponse(body, status=200 if ready else 503)
