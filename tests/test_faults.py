"""Faults injected: a missing, truncated or inconsistent model artifact, and an unreachable database."""

import http.client
import json
import logging
import shutil

import pytest
from django.test import Client
from rest_framework.authtoken.models import Token

from bench.server import log_tail, start_gunicorn, stop, wait_ready
from classifier import registry
from ml.inference.artifact import file_sha256
from reviews import selectors
from reviews.models import Review
from reviews.tests.factories import ReviewFactory

TEXT = "A wonderful film, I loved every minute of it."


def break_missing(artifact):
    shutil.rmtree(artifact)


def break_truncated(artifact):
    model = artifact / "model.keras"
    model.write_bytes(model.read_bytes()[: model.stat().st_size // 2])


def break_vocabulary(artifact):
    sha_before = file_sha256(artifact / "model.keras")
    config = json.loads((artifact / "config.json").read_text())
    config["vocabulary_size"] += 1
    (artifact / "config.json").write_text(json.dumps(config))
    # The checksum covers model.keras only, and it still matches: the vocabulary check must catch this.
    assert file_sha256(artifact / "model.keras") == sha_before == config["model_sha256"]


def break_manifest(artifact):
    (artifact / "config.json").write_text('{"model_sha256": "trunc')


def break_model_with_a_matching_checksum(artifact):
    # Garbage that the manifest vouches for (someone re-hashed a bad file): Keras itself must refuse it.
    (artifact / "model.keras").write_bytes(b"PK\x03\x04 this is not a Keras archive" * 50)
    config = json.loads((artifact / "config.json").read_text())
    config["model_sha256"] = file_sha256(artifact / "model.keras")
    (artifact / "config.json").write_text(json.dumps(config))


# (fault, how to inject it, what the one log line says)
FAULTS = {
    "missing": (break_missing, "does not exist"),
    "truncated": (break_truncated, "does not match its manifest (truncated or replaced)"),
    "vocabulary-mismatch": (break_vocabulary, "vocabulary mismatch"),
    "unreadable-manifest": (break_manifest, "is unreadable"),
    "not-a-keras-file": (break_model_with_a_matching_checksum, "cannot be loaded"),
}


@pytest.fixture(params=list(FAULTS))
def broken_model(request, tiny_artifact, tmp_path, settings):
    """The site pointed at a copy of the tiny artifact with one fault injected; yields the log phrase."""
    inject, phrase = FAULTS[request.param]
    artifact = tmp_path / "artifact"
    shutil.copytree(tiny_artifact, artifact)
    inject(artifact)
    settings.SENTIMENT_MODEL_DIR = artifact
    registry.reset()
    yield phrase
    registry.reset()


def model_errors(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "classifier.registry" and r.levelno >= logging.ERROR]


@pytest.mark.django_db
def test_pages_keep_working_without_the_model(broken_model, signed_in, user, caplog):
    review = ReviewFactory(owner=user, text="An older review, stored before the fault.")
    with caplog.at_level(logging.INFO, logger="classifier.registry"):
        assert Client().get("/healthz").status_code == 200
        assert Client().get("/accounts/login/").status_code == 200
        assert Client().get("/").status_code == 200
        history = signed_in.get("/history/")
        assert history.status_code == 200 and "An older review" in history.content.decode()
        assert signed_in.get(f"/reviews/{review.pk}/").status_code == 200
    assert model_errors(caplog) == []  # the pages above never needed the model


@pytest.mark.django_db
@pytest.mark.parametrize("signed_in_user", [True, False], ids=["signed-in", "anonymous"])
def test_classify_form_shows_a_friendly_message(broken_model, user, signed_in_user):
    client = Client()
    if signed_in_user:
        client.force_login(user)
    response = client.post("/", {"text": TEXT})
    page = response.content.decode()
    assert response.status_code == 503 and response["Retry-After"] == "30"
    assert "The model is taking a break" in page and "try again in a minute" in page
    assert TEXT in page  # the text is kept in the box
    assert "Traceback" not in page and "model.keras" not in page and "config.json" not in page
    assert not Review.objects.exists()


@pytest.mark.django_db
def test_api_answers_503_with_a_reason_and_retry_after(broken_model, user, settings):
    token = Client(headers={"Authorization": f"Token {Token.objects.create(user=user).key}"})
    for client, path in ((Client(), "/api/v1/predict"), (token, "/api/v1/reviews/")):
        response = client.post(path, {"text": TEXT}, content_type="application/json")
        assert response.status_code == 503, response.content
        assert response["Content-Type"] == "application/json" and response["Retry-After"] == "30"
        body = response.json()
        assert body == {
            "detail": "The sentiment model is unavailable right now (model unavailable); please retry later.",
            "code": "model_unavailable",
        }
        assert str(settings.SENTIMENT_MODEL_DIR) not in response.content.decode()  # no server paths
    batch = Client().post("/api/v1/predict", {"texts": [TEXT, TEXT]}, content_type="application/json")
    assert batch.status_code == 503 and batch.json()["code"] == "model_unavailable"
    assert not Review.objects.exists()


@pytest.mark.django_db
def test_readyz_is_503_with_a_cause_code_and_logs_the_cause(broken_model, caplog):
    with caplog.at_level(logging.INFO):
        response = Client().get("/readyz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "not ready",
        "checks": {"database": {"ok": True}, "model": {"ok": False, "cause": "model_unavailable"}},
    }
    assert broken_model not in response.content.decode()  # the public probe names no path or cause text
    assert any(r.name == "sentisite.health" and broken_model in r.getMessage() for r in caplog.records)


@pytest.mark.django_db
def test_each_failure_is_logged_once_clearly(broken_model, user, caplog):
    """Many requests, one load attempt: the failure is remembered for 30 s, and logged once with its cause."""
    client = Client()
    client.force_login(user)
    with caplog.at_level(logging.INFO, logger="classifier.registry"):
        for _ in range(3):
            client.post("/", {"text": TEXT})
            Client().post("/api/v1/predict", {"text": TEXT}, content_type="application/json")
            Client().get("/readyz")
    [line] = model_errors(caplog)
    assert line.startswith("Model unavailable: ") and broken_model in line
    assert "Traceback" not in caplog.text


@pytest.mark.django_db
def test_a_repaired_artifact_is_served_without_a_restart(tiny_artifact, tmp_path, settings, monkeypatch):
    artifact = tmp_path / "artifact"
    shutil.copytree(tiny_artifact, artifact)
    break_truncated(artifact)
    settings.SENTIMENT_MODEL_DIR = artifact
    registry.reset()
    try:
        assert Client().get("/readyz").status_code == 503
        shutil.copy(tiny_artifact / "model.keras", artifact / "model.keras")  # the operator puts it back
        assert Client().get("/readyz").status_code == 503  # within 30 s the remembered failure answers
        monkeypatch.setattr(registry, "RETRY_AFTER_SECONDS", 0)  # ...and after them the disk is read again
        assert Client().get("/readyz").status_code == 200
        response = Client().post("/api/v1/predict", {"text": TEXT}, content_type="application/json")
        assert response.status_code == 200 and response.json()["sentiment"] == "positive"
    finally:
        registry.reset()


# --- the same faults under real gunicorn ---------------------------------------------------------------------


def get(
    port: int, path: str, method: str = "GET", body: dict | None = None, headers: dict | None = None
) -> tuple[int, dict, str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        payload = json.dumps(body).encode() if body is not None else None
        headers = {**({"Content-Type": "application/json"} if payload else {}), **(headers or {})}
        connection.request(method, path, body=payload, headers=headers)
        response = connection.getresponse()
        return response.status, dict(response.headers), response.read().decode(errors="replace")
    finally:
        connection.close()


@pytest.mark.live_server
def test_gunicorn_starts_and_stays_up_without_a_model(tmp_path):
    process, port, _, workdir = start_gunicorn(tmp_path / "no-such-artifact", workers=1, threads=2)
    try:
        try:
            wait_ready(port, process, 90, path="/healthz")
        except RuntimeError as exc:
            pytest.fail(f"{exc}\n{log_tail(workdir)}")
        assert get(port, "/healthz")[0] == 200
        for _ in range(3):
            status, _, body = get(port, "/readyz")
            assert status == 503 and json.loads(body)["checks"]["model"] == {"ok": False, "cause": "model_unavailable"}
            status, headers, body = get(port, "/api/v1/predict", "POST", {"text": TEXT})
            assert status == 503 and headers["Retry-After"] == "30"
            assert json.loads(body)["code"] == "model_unavailable"
        assert get(port, "/accounts/login/")[0] == 200
        assert process.poll() is None
        log = log_tail(workdir, 100_000)
        assert log.count("classifier.registry: Model unavailable:") == 1, log
        assert "does not exist" in log and "Traceback" not in log
    finally:
        stop(process, workdir)


@pytest.mark.live_server
def test_gunicorn_with_an_unreachable_database_is_live_but_not_ready(tiny_artifact):
    production = {
        "DATABASE_URL": "postgres://postgres@127.0.0.1:1/x",  # nothing listens on port 1
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "z3" * 30 + "-a-long-random-test-secret",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
    }
    process, port, _, workdir = start_gunicorn(tiny_artifact, workers=1, threads=2, env_extra=production, migrate=False)
    try:
        try:
            wait_ready(port, process, 90, path="/healthz")
        except RuntimeError as exc:
            pytest.fail(f"{exc}\n{log_tail(workdir)}")
        status, _, body = get(port, "/readyz")
        assert status == 503
        checks = json.loads(body)["checks"]
        assert checks == {"database": {"ok": False, "cause": "database_unavailable"}, "model": {"ok": True}}
        assert "Not ready: database unreachable (OperationalError" in log_tail(workdir, 100_000)
        # A request that needs the database fails without showing how: no traceback, host or driver text.
        status, headers, error = get(port, "/api/v1/auth/token", "POST", {"username": "someone", "password": "x"})
        assert status == 503 and headers.get("Retry-After") == "10"
        assert json.loads(error) == {
            "detail": "The database is unavailable right now; please retry later.",
            "code": "database_unavailable",
        }
        # A signed-in visitor's page: reading the session needs the database.
        status, headers, page = get(port, "/history/", headers={"Cookie": "sessionid=abcdefghijklmnopqrstuvwxyz012345"})
        assert status == 503 and headers.get("Retry-After") == "10" and "back in a moment" in page
        for text in (body, error, page):
            assert "Traceback" not in text and "127.0.0.1:1" not in text and "connection" not in text.lower()
        assert get(port, "/healthz")[0] == 200 and process.poll() is None
    finally:
        stop(process, workdir)


def test_a_database_failure_is_a_503_page_and_a_503_json_error(client, user, monkeypatch, caplog):
    """The same fault inside the process: the page and the API say so without the driver's message."""
    from django.db import OperationalError

    def unreachable(**kwargs):
        raise OperationalError('connection to server at "10.0.0.5", port 5432 failed: password authentication failed')

    client.force_login(user)
    monkeypatch.setattr(selectors, "review_list", unreachable)
    page = client.get("/history/")
    assert page.status_code == 503 and page["Retry-After"] == "10"
    assert "back in a moment" in page.content.decode() and "10.0.0.5" not in page.content.decode()
    api = client.get("/api/v1/reviews/")
    assert api.status_code == 503 and api["Retry-After"] == "10"
    assert api.json() == {
        "detail": "The database is unavailable right now; please retry later.",
        "code": "database_unavailable",
    }
    assert "10.0.0.5" not in caplog.text and "Database unavailable (OperationalError) for GET /history/" in caplog.text
