"""/healthz and /readyz in both states, and the security headers every response carries."""

import pytest
from django.db import OperationalError

pytestmark = pytest.mark.django_db


def test_healthz_answers_while_the_process_serves(client, missing_model):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


def test_readyz_is_200_when_database_and_model_are_ready(client, served_model):
    response = client.get("/readyz")
    body = response.json()
    assert response.status_code == 200, body
    assert body["checks"]["database"]["ok"] and body["checks"]["model"]["ok"]
    assert body["checks"]["model"]["detail"].startswith("tiny-")


def test_readyz_is_503_naming_the_model_when_it_is_missing(client, missing_model):
    response = client.get("/readyz")
    body = response.json()
    assert response.status_code == 503
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["model"]["ok"] is False
    assert "does not exist" in body["checks"]["model"]["detail"]


def test_readyz_is_503_when_the_database_is_unreachable(client, served_model, monkeypatch):
    from django.db.backends.utils import CursorWrapper

    def unreachable(*args, **kwargs):
        raise OperationalError("could not connect to server at db.internal (10.0.0.5), password=hunter2")

    monkeypatch.setattr(CursorWrapper, "execute", unreachable)
    response = client.get("/readyz")
    body = response.json()
    assert response.status_code == 503
    assert body["checks"]["database"] == {"ok": False, "detail": "database unreachable (OperationalError)"}
    assert "hunter2" not in response.content.decode() and "10.0.0.5" not in response.content.decode()


def test_security_headers(client, missing_model):
    response = client.get("/healthz")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "default-src 'self'" in response["Content-Security-Policy"]
