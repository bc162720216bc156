"""Security under production settings: the headers and cookies of real responses, HTTPS redirects."""

import json
import subprocess
import sys

import pytest

from sentisite.tests.environment import CLEAN, PRODUCTION, ROOT

# One subprocess under production settings for the module: seconds before the first test.
pytestmark = pytest.mark.slow

# Runs in a subprocess: the settings module is read once, with the production environment, as in production.
PROBE = r"""
import json, sys, django
from django.test.utils import override_settings
django.setup()
from django.core.management import call_command
from django.contrib.auth import get_user_model
from django.test import Client

call_command("migrate", verbosity=0)
call_command("createcachetable", verbosity=0)
get_user_model().objects.create_user("probe", password="correct-horse-battery-staple")
# The hashed-name static storage needs collectstatic's manifest; headers do not depend on it.
with override_settings(STORAGES={**django.conf.settings.STORAGES,
                                 "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}):
    client = Client(HTTP_HOST="sentisite.example.com")
    out = {"pages": {}, "cookies": {}}
    for path in ["/", "/accounts/login/", "/accounts/signup/", "/healthz", "/api/v1/reviews/"]:
        response = client.get(path, secure=True)
        out["pages"][path] = {"status": response.status_code, "headers": dict(response.headers)}
    plain = client.get("/", secure=False)
    out["http"] = {"status": plain.status_code, "location": plain.get("Location", "")}
    out["http_healthz"] = client.get("/healthz", secure=False).status_code
    login = client.post("/accounts/login/", {"username": "probe", "password": "correct-horse-battery-staple"}, secure=True)
    out["login_status"] = login.status_code
    jar = {**client.cookies}
    for name, morsel in jar.items():
        out["cookies"][name] = {"secure": bool(morsel["secure"]), "httponly": bool(morsel["httponly"]),
                                "samesite": morsel["samesite"]}
print(json.dumps(out))
"""


@pytest.fixture(scope="module")
def production(tmp_path_factory):
    """Headers and cookies of real responses under production settings (one subprocess for the module)."""
    database = tmp_path_factory.mktemp("production") / "db.sqlite3"
    env = {
        **CLEAN,
        **PRODUCTION,
        "DJANGO_SETTINGS_MODULE": "sentisite.settings",
        "DATABASE_URL": f"sqlite:///{database}",
    }
    result = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=180
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


PAGES = ["/", "/accounts/login/", "/accounts/signup/"]


@pytest.mark.parametrize("path", PAGES + ["/healthz", "/api/v1/reviews/"])
def test_production_responses_carry_the_security_headers(production, path):
    page = production["pages"][path]
    headers = {name.lower(): value for name, value in page["headers"].items()}
    assert page["status"] in (200, 401), page
    assert headers["strict-transport-security"] == "max-age=31536000; includeSubDomains; preload"
    assert headers["x-frame-options"] == "DENY"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "same-origin"
    assert headers["cross-origin-opener-policy"] == "same-origin"


@pytest.mark.parametrize("path", PAGES)
def test_pages_have_a_strict_content_security_policy(production, path):
    policy = production["pages"][path]["headers"]["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"  # no inline script, no eval: an injected <script> does not run
    assert directives["frame-ancestors"] == "'none'" and directives["object-src"] == "'none'"
    assert "unsafe" not in policy


def test_production_redirects_plain_http_except_the_health_probes(production):
    assert production["http"]["status"] == 301
    assert production["http"]["location"].startswith("https://sentisite.example.com/")
    assert production["http_healthz"] == 200


def test_production_session_and_csrf_cookies_are_secure(production):
    assert production["login_status"] == 302
    cookies = production["cookies"]
    assert cookies["sessionid"]["secure"] and cookies["sessionid"]["httponly"]
    assert cookies["csrftoken"]["secure"]
    assert cookies["sessionid"]["samesite"] == cookies["csrftoken"]["samesite"] == "Lax"
