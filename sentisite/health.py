"""Liveness (/healthz) and readiness (/readyz) probes for load balancers and orchestrators."""

import logging

from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from classifier import registry

logger = logging.getLogger(__name__)

# The probe may be reachable from outside, so it answers with these codes only (the API's error codes);
# what went wrong, with paths, versions and driver messages, goes to the log.
DATABASE_UNAVAILABLE = "database_unavailable"
MODEL_UNAVAILABLE = "model_unavailable"


@never_cache
@require_GET
def healthz(request):
    """The process is up and serving requests; checks nothing else, so it never flaps."""
    return JsonResponse({"status": "ok"})


def _database_cause() -> str | None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        logger.warning("Not ready: database unreachable (%s: %s)", type(exc).__name__, exc)
        return DATABASE_UNAVAILABLE
    return None


def _model_cause() -> str | None:
    try:
        registry.get_service()
    except registry.ModelUnavailable as exc:
        logger.warning("Not ready: %s", exc)
        return MODEL_UNAVAILABLE
    return None


def _check(cause: str | None) -> dict:
    return {"ok": True} if cause is None else {"ok": False, "cause": cause}


@never_cache
@require_GET
def readyz(request):
    """Ready to take traffic: the database answers and the model is loaded (loading it if needed)."""
    checks = {"database": _check(_database_cause()), "model": _check(_model_cause())}
    ready = all(check["ok"] for check in checks.values())
    return JsonResponse({"status": "ready" if ready else "not ready", "checks": checks}, status=200 if ready else 503)
