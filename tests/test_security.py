"""Security: production headers and cookies, password rules on every path that sets one, login throttling."""

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from sentisite.accounts import lockout
from sentisite.accounts.models import LoginFailure

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "correct-horse-battery-staple"
TOKEN = "/api/v1/auth/token"
LOGIN = "/accounts/login/"
SIGNUP = "/accounts/signup/"

# --- production headers and cookies --------------------------------------------------------------------------

CLEAN = {
    k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL", "SENTIMENT_"))
}
PRODUCTION = {
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": "q9" * 30 + "-a-long-random-production-secret",
    "DJANGO_ALLOWED_HOSTS": "sentisite.example.com",
}
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


# --- password rules ------------------------------------------------------------------------------------------

WEAK_PASSWORDS = [
    ("short", "Kq7!x", "too short"),
    ("common", "password123", "too common"),
    ("numeric", "4829103756", "entirely numeric"),
    ("like-the-username", "cinephile-maria", "too similar to the username"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("password", "message"), [(p, m) for _, p, m in WEAK_PASSWORDS], ids=[i for i, _, _ in WEAK_PASSWORDS]
)
def test_sign_up_refuses_weak_passwords(client, fast_hashing, password, message):
    data = {"username": "cinephile-maria", "email": "", "password1": password, "password2": password}
    response = client.post(SIGNUP, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not get_user_model().objects.filter(username="cinephile-maria").exists()


@pytest.mark.django_db
def test_sign_up_accepts_a_strong_password(client, fast_hashing):
    data = {"username": "cinephile-maria", "email": "", "password1": PASSWORD, "password2": PASSWORD}
    assert client.post(SIGNUP, data).status_code == 302
    assert get_user_model().objects.get(username="cinephile-maria").check_password(PASSWORD)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("password", "message"), [(p, m) for _, p, m in WEAK_PASSWORDS[:3]], ids=[i for i, _, _ in WEAK_PASSWORDS[:3]]
)
def test_password_change_refuses_weak_passwords(client, user, fast_hashing, password, message):
    user.set_password(PASSWORD)
    user.save()
    client.force_login(user)
    data = {"old_password": PASSWORD, "new_password1": password, "new_password2": password}
    response = client.post(reverse("password_change"), data)
    assert response.status_code == 200 and message in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_the_api_has_no_sign_up():
    """Accounts are made on the sign-up page only (validated above); no API route creates users."""
    from django.urls import get_resolver

    def views(resolver, prefix=""):
        for pattern in resolver.url_patterns:
            if hasattr(pattern, "url_patterns"):
                yield from views(pattern, prefix + str(pattern.pattern))
            else:
                yield prefix + str(pattern.pattern), pattern.callback

    api = [(route, getattr(view, "cls", view)) for route, view in views(get_resolver()) if route.startswith("api/")]
    assert api, "the API routes were not found"
    assert not [route for route, _ in api if "sign" in route or "register" in route or "user" in route]


# --- login throttling ----------------------------------------------------------------------------------------


@pytest.fixture
def account(clear_throttle_counts, fast_hashing, user):
    user.set_password(PASSWORD)
    user.save()
    return user


def attempt(username: str, password: str = "wrong-guess", address: str = "203.0.113.7"):
    return Client(REMOTE_ADDR=address).post(LOGIN, {"username": username, "password": password})


def fail(username: str, times: int, address: str = "203.0.113.7"):
    for _ in range(times):
        response = attempt(username, address=address)
        assert (
            response.status_code == 200 and "Please enter a correct username and password" in response.content.decode()
        )


def assert_locked_out(response):
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 15 * 60
    page = response.content.decode()
    assert "Too many sign-in attempts" in page and 'class="site-header"' in page  # the site's own layout
    assert "no-cache" in response["Cache-Control"]


def test_five_failures_for_one_username_lock_it_from_every_address(account, caplog):
    with caplog.at_level(logging.WARNING, logger="sentisite.accounts.lockout"):
        for number in range(5):
            fail(account.username, 1, address=f"198.51.100.{number}")
    assert_locked_out(attempt(account.username, address="192.0.2.50"))
    assert_locked_out(attempt(account.username.upper(), address="192.0.2.51"))
    # Refused before the password is checked: the right one does not get in either.
    response = attempt(account.username, PASSWORD, address="192.0.2.52")
    assert_locked_out(response)
    assert "sessionid" not in response.cookies
    assert [r.getMessage() for r in caplog.records if r.name == "sentisite.accounts.lockout"] == [
        "Sign-in locked for 900 s after 5 failures for one username (address 198.51.100.4)"
    ]


def test_five_failures_from_one_address_lock_it_for_every_username(account):
    for number in range(5):
        fail(f"nobody{number}", 1, address="203.0.113.9")
    assert_locked_out(attempt(account.username, PASSWORD, address="203.0.113.9"))
    # Another address may still sign in to that account.
    assert attempt(account.username, PASSWORD, address="203.0.113.10").status_code == 302


def test_four_failures_do_not_lock_and_signing_in_clears_the_username_count(account):
    fail(account.username, 4, address="203.0.113.20")
    assert attempt(account.username, PASSWORD, address="203.0.113.21").status_code == 302
    # The username's count starts again; the first address keeps its four.
    fail(account.username, 4, address="203.0.113.22")
    assert attempt(account.username, PASSWORD, address="203.0.113.23").status_code == 302
    fail("someone-else", 1, address="203.0.113.20")
    assert_locked_out(attempt("anyone", address="203.0.113.20"))


def test_the_login_page_itself_still_shows_while_locked_out(account):
    fail(account.username, 5)
    assert Client(REMOTE_ADDR="203.0.113.7").get(LOGIN).status_code == 200


def test_the_lockout_ends_when_the_window_has_passed(account, time_machine):
    # The clock stands still (tick=False) and is moved by hand: the window's edges are exact, with no waiting.
    time_machine.move_to(timezone.now(), tick=False)
    fail(account.username, 5)
    locked = attempt(account.username, PASSWORD)
    assert_locked_out(locked)
    assert locked["Retry-After"] == str(lockout.failure_window())
    time_machine.shift(lockout.failure_window() - 1)
    locked = attempt(account.username, PASSWORD)
    assert_locked_out(locked)
    assert locked["Retry-After"] == "1"
    time_machine.shift(1)
    assert attempt(account.username, PASSWORD).status_code == 302


def test_failures_behind_trusted_proxies_count_per_client(account, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    client = Client(REMOTE_ADDR="10.0.0.1")  # the load balancer
    for number in range(5):
        client.post(LOGIN, {"username": f"nobody{number}", "password": "x"}, HTTP_X_FORWARDED_FOR="198.51.100.77")
    locked = client.post(
        LOGIN, {"username": account.username, "password": PASSWORD}, HTTP_X_FORWARDED_FOR="198.51.100.77"
    )
    assert locked.status_code == 429
    other = client.post(
        LOGIN, {"username": account.username, "password": PASSWORD}, HTTP_X_FORWARDED_FOR="198.51.100.78"
    )
    assert other.status_code == 302


def test_without_trusted_proxies_a_forged_forwarded_for_changes_nothing(account):
    for number in range(5):
        Client(REMOTE_ADDR="203.0.113.30").post(
            LOGIN, {"username": f"nobody{number}", "password": "x"}, HTTP_X_FORWARDED_FOR=f"192.0.2.{number}"
        )
    assert attempt(account.username, PASSWORD, address="203.0.113.30").status_code == 429


def test_token_endpoint_guessing_is_429(account):
    """The token endpoint honours the form's lock-out: the 6th try is refused, the right password too."""
    client = APIClient(REMOTE_ADDR="203.0.113.40")
    for _ in range(5):
        assert client.post(TOKEN, {"username": account.username, "password": "guess"}, format="json").status_code == 400
    response = client.post(TOKEN, {"username": account.username, "password": PASSWORD}, format="json")
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    assert response.json()["code"] == "throttled"


def test_token_endpoint_failures_count_towards_the_form_lockout(account):
    client = APIClient(REMOTE_ADDR="203.0.113.41")
    for _ in range(5):
        assert client.post(TOKEN, {"username": account.username, "password": "guess"}, format="json").status_code == 400
    assert_locked_out(attempt(account.username, PASSWORD, address="192.0.2.99"))


def test_admin_login_failures_count_towards_the_form_lockout(account):
    for _ in range(5):
        Client(REMOTE_ADDR="203.0.113.42").post("/admin/login/", {"username": account.username, "password": "guess"})
    assert_locked_out(attempt(account.username, PASSWORD, address="192.0.2.98"))


def test_token_endpoint_rate_also_counts_good_requests(account, settings):
    """The API's own `login` rate (per address and per username) counts every token request, right or wrong."""
    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "login": "3/minute"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    client = APIClient(REMOTE_ADDR="203.0.113.44")
    for _ in range(3):
        assert (
            client.post(TOKEN, {"username": account.username, "password": PASSWORD}, format="json").status_code == 200
        )
    response = client.post(TOKEN, {"username": account.username, "password": PASSWORD}, format="json")
    assert response.status_code == 429 and response.json()["code"] == "throttled"


def test_admin_login_is_locked_with_the_form(account):
    fail(account.username, 5, address="203.0.113.45")
    response = Client(REMOTE_ADDR="192.0.2.96").post(
        "/admin/login/", {"username": account.username, "password": PASSWORD}
    )
    assert_locked_out(response)
    assert "sessionid" not in response.cookies
    assert Client(REMOTE_ADDR="192.0.2.96").get("/admin/login/").status_code == 200


def test_a_form_lockout_locks_the_token_endpoint(account):
    """The same 5-in-15-minutes lock, whichever door the failures came through."""
    fail(account.username, 5, address="203.0.113.43")
    client = APIClient(REMOTE_ADDR="192.0.2.97")
    response = client.post(TOKEN, {"username": account.username, "password": PASSWORD}, format="json")
    assert response.status_code == 429 and 0 < int(response["Retry-After"]) <= 900
    assert client.post(TOKEN, {"username": "someone-else", "password": "x"}, format="json").status_code == 400


def test_a_counter_is_slots_that_expire_one_by_one(clear_throttle_counts, fast_hashing, rf):
    """Five unique (counter, slot) rows, which two requests cannot both hold; each expires on its own."""
    requests = [rf.post(LOGIN, REMOTE_ADDR=f"203.0.113.{50 + number}") for number in range(6)]
    for request in requests[:4]:
        lockout.record_failure(request, "maria")
        assert lockout.lockout_seconds(request, "maria") == 0
    maria = next(counter for counter, kind in lockout.counters(requests[0], "maria").items() if kind == "username")
    LoginFailure.objects.filter(counter=maria, slot=0).update(expires_at=timezone.now())  # the oldest has expired
    lockout.record_failure(requests[4], "maria")
    assert lockout.lockout_seconds(requests[4], "maria") == 0  # the free slot was refilled: 4 of 5 again
    lockout.record_failure(requests[5], "maria")
    assert 0 < lockout.lockout_seconds(requests[5], "maria") <= 900
    assert lockout.lockout_seconds(requests[5], "") == 0  # that address failed once only


def test_a_forged_forwarded_for_does_not_escape_the_token_rate(clear_throttle_counts, fast_hashing):
    statuses = [
        APIClient(REMOTE_ADDR="203.0.113.60")
        .post(TOKEN, {"username": f"nobody{n}", "password": "x"}, format="json", HTTP_X_FORWARDED_FOR=f"10.9.{n}.1")
        .status_code
        for n in range(11)
    ]
    assert statuses[-1] == 429
