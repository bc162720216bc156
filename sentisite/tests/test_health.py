"""/healthz and /readyz in both states, and the security headers every response carries."""

import pytest
from django.db import OperationalError

from classifier import registry

pytestmark = pytest.mark.django_db


def test_healthz_answers_while_the_process_serves(client, missing_model):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


def test_readyz_is_200_when_database_and_model_are_ready(client, served_model):
    response = client.get("/readyz")
    assert response.status_code == 200, response.content
    assert response.json() == {"status": "ready", "checks": {"database": {"ok": True}, "model": {"ok": True}}}


def test_readyz_is_503_with_a_cause_code_when_the_model_is_missing(client, missing_model, caplog):
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "not ready",
        "checks": {"database": {"ok": True}, "model": {"ok": False, "cause": "model_unavailable"}},
    }
    # The public answer names no path; the log says what and where.
    assert str(missing_model) not in response.content.decode() and "does not exist" not in response.content.decode()
    assert any(
        r.name == "sentisite.health" and "does not exist" in r.getMessage() and str(missing_model) in r.getMessage()
        for r in caplog.records
    )


def test_readyz_shows_no_version_when_ready(client, served_model):
    version = registry.get_service().model_version
    assert version not in client.get("/readyz").content.decode()


def test_readyz_is_503_when_the_database_is_unreachable(client, served_model, monkeypatch, caplog):
    from django.db.backends.utils import CursorWrapper

    def unreachable(*args, **kwargs):
        raise OperationalError("could not connect to server at db.internal (10.0.0.5)")

    monkeypatch.setattr(CursorWrapper, "execute", unreachable)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"] == {
        "database": {"ok": False, "cause": "database_unavailable"},
        "model": {"ok": True},
    }
    assert "10.0.0.5" not in response.content.decode() and "OperationalError" not in response.content.decode()
    assert (
        "Not ready: database unreachable (OperationalError: could not connect to server at db.internal" in caplog.text
    )


def test_security_headers(client, missing_model):
    response = client.get("/healthz")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "default-src 'self'" in response["Content-Security-Policy"]
