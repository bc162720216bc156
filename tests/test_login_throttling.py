"""Security: login throttling and lock-out on the sign-in form and the token endpoint, behind proxies too."""

import logging

import pytest
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from reviews.tests.factories import PASSWORD
from sentisite.accounts import lockout
from sentisite.accounts.models import LoginFailure

TOKEN = "/api/v1/auth/token"
LOGIN = "/accounts/login/"


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
