"""Prometheus metrics: every definition, the one-line recorders the code calls, request timing and GET /metrics."""

import hmac
import ipaddress
import os
import time

from django.conf import settings
from django.http import Http404, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from rest_framework.throttling import BaseThrottle

# Under gunicorn (sentisite/gunicorn.py) each worker writes its values to files in this folder and a scrape
# sums them, whichever worker answers it. prometheus_client picks the mode when it is imported, so this
# reads the variable at the same moment; without it (tests, manage.py) one process keeps them in memory.
MULTIPROCESS = bool(os.environ.get("PROMETHEUS_MULTIPROC_DIR"))

# Label values come from fixed sets (URL names, the model catalogue, two sentiments, a few kinds), never
# from a path or a user's input: each value is a time series, so they must stay few.
REQUEST_SECONDS = Histogram(
    "sentisite_request_duration_seconds", "Time to answer a request, by view (the URL pattern's name).", ["view"]
)
RESPONSES = Counter("sentisite_responses", "Responses sent, by view and status code.", ["view", "status"])
THROTTLED = Counter(
    "sentisite_throttled_requests", "Requests refused with 429 (rate limits and sign-in lock-outs), by view.", ["view"]
)
INFERENCE_SECONDS = Histogram(
    "sentisite_model_inference_seconds", "Time of one model call (one text or a batch), by model.", ["model"]
)
PREDICTIONS = Counter("sentisite_predictions", "Texts classified, by model and sentiment.", ["model", "sentiment"])
EXPLANATION_SECONDS = Histogram(
    "sentisite_explanation_duration_seconds", "Time to explain one text (the count: explanations), by model.", ["model"]
)
MODEL_LOAD_FAILURES = Counter(
    "sentisite_model_load_failures", "Attempts to load a model artifact that failed, by model.", ["model"]
)
DISPUTES = Counter(
    "sentisite_disputes", "Verdicts their owner marked wrong (disputed) or unmarked (undone).", ["action"]
)
LOCKOUTS = Counter(
    "sentisite_login_lockouts", "Sign-in lock-outs started, by what is locked (username or address).", ["kind"]
)
UNRESOLVED = "unresolved"  # the view label of a request that matched no URL (404) or was answered before routing


def time_inference(model: str):
    """`with metrics.time_inference(name):` around one model call."""
    return INFERENCE_SECONDS.labels(model=model).time()


def count_predictions(model: str, labels) -> None:
    for label in labels:
        PREDICTIONS.labels(model=model, sentiment=label).inc()


def time_explanation(model: str):
    """`with metrics.time_explanation(name):` around one explanation."""
    return EXPLANATION_SECONDS.labels(model=model).time()


def count_model_load_failure(model: str) -> None:
    MODEL_LOAD_FAILURES.labels(model=model).inc()


def count_dispute(disputed: bool) -> None:
    DISPUTES.labels(action="disputed" if disputed else "undone").inc()


def count_lockout(kind: str) -> None:
    """`kind`: "username" or "address"."""
    LOCKOUTS.labels(kind=kind).inc()


def view_label(request) -> str:
    match = getattr(request, "resolver_match", None)
    return match.view_name if match is not None else UNRESOLVED


class RequestMetricsMiddleware:
    """Time each request by view and count its status, every 429 included (first in MIDDLEWARE, so it sees
    the answers of the other middleware too). A streamed response is timed until its first byte is ready."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        view = view_label(request)
        REQUEST_SECONDS.labels(view=view).observe(time.perf_counter() - started)
        RESPONSES.labels(view=view, status=str(response.status_code)).inc()
        if response.status_code == 429:
            THROTTLED.labels(view=view).inc()
        return response


# --- who may read /metrics ------------------------------------------------------------------------------------

OFF, ALLOWED, REFUSED = "off", "allowed", "refused"


def _bearer_token(request) -> str:
    scheme, _, token = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def _address_allowed(request, networks: list[str]) -> bool:
    # The address as the rate limits see it: REMOTE_ADDR, or what DJANGO_NUM_PROXIES trusted proxies saw.
    try:
        address = ipaddress.ip_address(BaseThrottle().get_ident(request) or "")
    except ValueError:
        return False
    return any(address in ipaddress.ip_network(network, strict=False) for network in networks)


def scrape_access(request) -> str:
    """OFF when neither METRICS_TOKEN nor METRICS_ALLOWED_IPS is set; else ALLOWED only when every rule that
    is set passes (the bearer token, and the address in one of the networks), REFUSED otherwise."""
    token = settings.METRICS_TOKEN
    networks = settings.METRICS_ALLOWED_IPS
    if not token and not networks:
        return OFF
    if token and not hmac.compare_digest(_bearer_token(request).encode(), token.encode()):
        return REFUSED
    if networks and not _address_allowed(request, networks):
        return REFUSED
    return ALLOWED


def registry():
    """What a scrape reads: the sum over every worker's files in multiprocess mode, this process's otherwise."""
    if not MULTIPROCESS:
        return REGISTRY
    summed = CollectorRegistry()
    multiprocess.MultiProcessCollector(summed)
    return summed


@never_cache
@require_GET
def metrics_view(request):
    """GET /metrics in Prometheus's text format: 404 while not configured (it does not exist), 403 when refused."""
    access = scrape_access(request)
    if access == OFF:
        raise Http404("No metrics endpoint is configured.")
    if access == REFUSED:
        return HttpResponse("Forbidden.\n", status=403, content_type="text/plain; charset=utf-8")
    return HttpResponse(generate_latest(registry()), content_type=CONTENT_TYPE_LATEST)
