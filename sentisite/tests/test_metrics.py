"""GET /metrics: who may read it, what the middleware records, and the gunicorn hooks of multiprocess mode."""

import importlib
import os
import subprocess
import sys

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from prometheus_client import REGISTRY
from prometheus_client.parser import text_string_to_metric_families

from classifier import registry
from reviews import services
from reviews.tests.factories import ReviewFactory
from sentisite import metrics

from .test_settings import CLEAN, ROOT

TOKEN = "m" * 40


def sample(name: str, **labels) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def scrape(client, authorization: str | None = None, remote: str = "127.0.0.1", forwarded: str | None = None):
    headers = {"Authorization": authorization} if authorization is not None else {}
    if forwarded is not None:
        headers["X-Forwarded-For"] = forwarded
    return client.get("/metrics", headers=headers, REMOTE_ADDR=remote)


# --- who may read it -----------------------------------------------------------------------------------------


def test_without_a_token_or_addresses_there_is_no_endpoint(client, settings):
    settings.METRICS_TOKEN, settings.METRICS_ALLOWED_IPS = "", []
    assert scrape(client).status_code == 404
    assert scrape(client, f"Bearer {TOKEN}").status_code == 404


@pytest.mark.parametrize(
    "authorization",
    [None, "", "Bearer", f"Bearer {TOKEN[:-1]}", f"Bearer {TOKEN}x", f"Token {TOKEN}", f"Basic {TOKEN}"],
    ids=["none", "empty", "no-token", "short", "long", "token-scheme", "basic-scheme"],
)
def test_a_missing_or_wrong_token_is_refused(client, settings, authorization):
    settings.METRICS_TOKEN, settings.METRICS_ALLOWED_IPS = TOKEN, []
    response = scrape(client, authorization)
    assert response.status_code == 403
    assert b"sentisite_" not in response.content


def test_the_token_opens_it_in_the_prometheus_text_format(client, settings):
    settings.METRICS_TOKEN, settings.METRICS_ALLOWED_IPS = TOKEN, []
    client.get("/healthz")
    response = scrape(client, f"Bearer {TOKEN}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=")
    assert "no-cache" in response["Cache-Control"]
    families = {family.name: family for family in text_string_to_metric_families(response.content.decode())}
    assert families["sentisite_request_duration_seconds"].type == "histogram"
    assert any(s.labels.get("view") == "healthz" for s in families["sentisite_request_duration_seconds"].samples)
    assert scrape(client, f"bearer {TOKEN}").status_code == 200  # the scheme is case-insensitive (RFC 9110)


@pytest.mark.parametrize(
    ("remote", "allowed", "status"),
    [
        ("10.1.2.3", ["10.0.0.0/8"], 200),
        ("10.1.2.3", ["10.1.2.3"], 200),
        ("192.168.1.1", ["10.0.0.0/8"], 403),
        ("2001:db8::5", ["2001:db8::/64"], 200),
        ("2001:db9::5", ["2001:db8::/64", "10.0.0.0/8"], 403),
    ],
)
def test_the_allowed_addresses_rule(client, settings, remote, allowed, status):
    settings.METRICS_TOKEN, settings.METRICS_ALLOWED_IPS = "", allowed
    assert scrape(client, remote=remote).status_code == status


def test_a_forged_forwarded_address_does_not_open_it(client, settings):
    """X-Forwarded-For counts only behind DJANGO_NUM_PROXIES trusted proxies, as for the rate limits."""
    settings.METRICS_TOKEN, settings.METRICS_ALLOWED_IPS = "", ["10.0.0.0/8"]
    assert scrape(client, remote="203.0.113.9", forwarded="10.0.0.1").status_code == 403
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}  # one proxy: it appended the client
    assert scrape(client, remote="203.0.113.9", forwarded="10.0.0.1").status_code == 200
    assert scrape(client, remote="203.0.113.9", forwarded="10.0.0.1, 198.51.100.7").status_code == 403


def test_with_both_rules_both_must_pass(client, settings):
    settings.METRICS_TOKEN, settings.METRICS_ALLOWED_IPS = TOKEN, ["127.0.0.1"]
    assert scrape(client, f"Bearer {TOKEN}").status_code == 200
    assert scrape(client).status_code == 403
    assert scrape(client, f"Bearer {TOKEN}", remote="10.9.9.9").status_code == 403


def test_only_get(client, settings):
    settings.METRICS_TOKEN = TOKEN
    assert client.post("/metrics", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 405


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"METRICS_TOKEN": "too-short"}, "METRICS_TOKEN must be at least 32 characters"),
        ({"METRICS_ALLOWED_IPS": "10.0.0.0/8,not-an-address"}, "'not-an-address' is not an address or network"),
    ],
)
def test_a_weak_token_or_a_bad_address_stops_the_start(env, message):
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**CLEAN, "DJANGO_SETTINGS_MODULE": "sentisite.settings", "DJANGO_DEBUG": "true", **env},
    )
    assert result.returncode != 0 and message in result.stderr


# --- what the middleware records -----------------------------------------------------------------------------


def run_middleware(status: int, view_name: str | None):
    request = RequestFactory().get("/somewhere/12345")

    def view(request):
        if view_name is not None:
            request.resolver_match = type("Match", (), {"view_name": view_name})()
        return HttpResponse(status=status)

    return metrics.RequestMetricsMiddleware(view)(request)


def test_requests_are_timed_by_view_name_not_by_path():
    before = sample("sentisite_request_duration_seconds_count", view="reviews:detail")
    run_middleware(200, "reviews:detail")
    assert sample("sentisite_request_duration_seconds_count", view="reviews:detail") == before + 1
    assert sample("sentisite_request_duration_seconds_count", view="/somewhere/12345") == 0


def test_an_unmatched_path_is_one_label():
    before = sample("sentisite_responses_total", view="unresolved", status="404")
    run_middleware(404, None)
    assert sample("sentisite_responses_total", view="unresolved", status="404") == before + 1


def test_every_429_counts_as_throttled_by_view():
    before = sample("sentisite_throttled_requests_total", view="login")
    run_middleware(429, "login")
    run_middleware(200, "login")
    assert sample("sentisite_throttled_requests_total", view="login") == before + 1


def test_a_real_request_is_labelled_with_its_url_name(client):
    before = sample("sentisite_request_duration_seconds_count", view="healthz")
    client.get("/healthz")
    assert sample("sentisite_request_duration_seconds_count", view="healthz") == before + 1


# --- the gunicorn hooks (multiprocess mode) ------------------------------------------------------------------


@pytest.fixture
def gunicorn_config(tmp_path, monkeypatch):
    """sentisite.gunicorn imported with the folder set (so importing it changes nothing else here)."""
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path / "metrics"))
    sys.modules.pop("sentisite.gunicorn", None)
    module = importlib.import_module("sentisite.gunicorn")
    yield module, tmp_path / "metrics"
    sys.modules.pop("sentisite.gunicorn", None)


def test_start_wipes_the_last_run_s_metric_files_only(gunicorn_config):
    config, folder = gunicorn_config
    folder.mkdir()
    (folder / "counter_4242.db").write_bytes(b"stale")
    (folder / "keep.txt").write_text("not ours")
    config.on_starting(server=None)
    assert sorted(os.listdir(folder)) == ["keep.txt"]
    config.on_exit(server=None)
    assert folder.exists()  # a folder the operator named is not removed


def test_an_exiting_worker_is_marked_dead(gunicorn_config, monkeypatch):
    config, _ = gunicorn_config
    from prometheus_client import multiprocess

    dead = []
    monkeypatch.setattr(multiprocess, "mark_process_dead", dead.append)
    config.child_exit(server=None, worker=type("Worker", (), {"pid": 4242})())
    assert dead == [4242]


# --- what the registry record ---------------------------------------------------------------------------------


def test_predictions_are_counted_by_model_and_sentiment_and_each_model_call_timed(served_model):
    registry.get_service()  # loaded (and warmed up) first: the warm-up is not a prediction
    labels = ("positive", "negative")
    before = {label: sample("sentisite_predictions_total", model="tiny", sentiment=label) for label in labels}
    calls = sample("sentisite_model_inference_seconds_count", model="tiny")
    predictions = registry.predict(["a wonderful film, loved it", "awful, boring, hated it", "great fun"])
    for label in labels:
        expected = sum(p.label == label for p in predictions)
        assert sample("sentisite_predictions_total", model="tiny", sentiment=label) == before[label] + expected
    assert sample("sentisite_model_inference_seconds_count", model="tiny") == calls + 1  # one batch, one call


def test_explanations_are_counted_by_model(served_model):
    before = sample("sentisite_explanation_duration_seconds_count", model="tiny")
    registry.explain("a wonderful film, loved it")
    assert sample("sentisite_explanation_duration_seconds_count", model="tiny") == before + 1


def test_a_failed_load_is_counted_once_per_attempt(missing_model):
    name = missing_model.name
    before = sample("sentisite_model_load_failures_total", model=name)
    for _ in range(3):  # one attempt; the next two answer from the remembered failure
        with pytest.raises(registry.ModelUnavailable):
            registry.predict(["anything"])
    assert sample("sentisite_model_load_failures_total", model=name) == before + 1


@pytest.mark.django_db
def test_disputes_count_changes_only(user):
    review = ReviewFactory(owner=user)
    disputed, undone = (
        sample("sentisite_disputes_total", action="disputed"),
        sample("sentisite_disputes_total", action="undone"),
    )
    services.review_set_disputed(user=user, review_id=review.pk, disputed=True)
    services.review_set_disputed(user=user, review_id=review.pk, disputed=True)  # already disputed: no change
    services.review_set_disputed(user=user, review_id=review.pk, disputed=False)
    assert sample("sentisite_disputes_total", action="disputed") == disputed + 1
    assert sample("sentisite_disputes_total", action="undone") == undone + 1


@pytest.mark.django_db
def test_a_lockout_is_counted_when_it_starts_and_its_429s_as_throttled(client, user):
    lockouts = {kind: sample("sentisite_login_lockouts_total", kind=kind) for kind in ("username", "address")}
    throttled = sample("sentisite_throttled_requests_total", view="login")
    for _ in range(5):
        assert client.post("/accounts/login/", {"username": user.username, "password": "wrong"}).status_code == 200
    assert client.post("/accounts/login/", {"username": user.username, "password": "wrong"}).status_code == 429
    for kind in ("username", "address"):
        assert sample("sentisite_login_lockouts_total", kind=kind) == lockouts[kind] + 1
    assert sample("sentisite_throttled_requests_total", view="login") == throttled + 1
