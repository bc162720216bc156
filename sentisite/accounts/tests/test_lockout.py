"""The sign-in lock-out against bypasses: other spellings of a username, parallel guesses, IPv6 hops, cache floods."""

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.db import connection, connections
from django.test import Client
from rest_framework.test import APIClient

from reviews.tests.factories import PASSWORD, UserFactory
from sentisite.accounts import lockout
from sentisite.accounts.models import LoginFailure
from sentisite.accounts.usernames import username_key
from sentisite.throttling import client_address

LOGIN = "/accounts/login/"
ADMIN_LOGIN = "/admin/login/"
TOKEN = "/api/v1/auth/token"
# How authentication cleans a username: the form and DRF strip whitespace, the form applies NFKC.
SPELLINGS = ["alice ", " alice", "ａｌｉｃｅ", "ALICE", "\talice\n"]


@pytest.fixture
def alice(db, fast_hashing):
    cache.clear()
    yield UserFactory(username="alice", password=PASSWORD, is_staff=True)
    cache.clear()


def sign_in(door: str, username: str, password: str, address: str):
    """One password check at `door`; returns the status: 429 locked, 400 or 200 refused, 200 or 302 in."""
    data = {"username": username, "password": password}
    if door == "token":
        return APIClient(REMOTE_ADDR=address).post(TOKEN, data, format="json").status_code
    return Client(REMOTE_ADDR=address).post(LOGIN if door == "form" else ADMIN_LOGIN, data).status_code


SIGNED_IN = {"form": 302, "admin": 302, "token": 200}
REFUSED = {"form": 200, "admin": 200, "token": 400}


@pytest.mark.parametrize("door", ["form", "admin", "token"])
def test_a_locked_username_is_locked_in_every_spelling(alice, door):
    for number in range(5):
        assert sign_in(door, "alice", "wrong", f"198.51.100.{number}") == REFUSED[door]
    for number, spelling in enumerate(SPELLINGS):
        assert sign_in(door, spelling, PASSWORD, f"192.0.2.{number}") == 429, repr(spelling)


@pytest.mark.parametrize("door", ["form", "admin", "token"])
def test_failures_in_other_spellings_count_towards_one_lock(alice, door):
    for number, spelling in enumerate(SPELLINGS):
        assert sign_in(door, spelling, "wrong", f"198.51.100.{number}") == REFUSED[door], repr(spelling)
    assert sign_in(door, "alice", PASSWORD, "192.0.2.1") == 429


def test_the_key_is_the_username_authentication_sees():
    assert {username_key(spelling) for spelling in SPELLINGS} == {"alice"}
    assert username_key("ｍａｒｉａ\u3000") == username_key("maria")
    assert username_key("alice") != username_key("alice2")
    assert username_key(None) == username_key(["alice"]) == ""


def test_twenty_guesses_in_flight_get_five_password_checks(alice, rf):
    """The count is taken before the password is checked: in-flight guesses cannot all slip past the check."""
    attempts = [lockout.begin(rf.post(LOGIN, REMOTE_ADDR=f"198.51.100.{n}"), "alice") for n in range(20)]
    allowed = [attempt for attempt in attempts if not attempt.wait]
    assert len(allowed) == 5
    assert all(0 < attempt.wait <= 900 for attempt in attempts if attempt.wait)
    for attempt in allowed:
        lockout.failed(attempt)
    assert sign_in("form", "alice", PASSWORD, "192.0.2.1") == 429


def test_many_people_behind_one_address_sign_in_at_once(rf, db):
    """Only the username's counter is reserved before the check: sixteen sign-ins in flight from one
    office's address are not refused for the others' reservations."""
    attempts = [lockout.begin(rf.post(LOGIN, REMOTE_ADDR="203.0.113.50"), f"colleague{n}") for n in range(16)]
    assert [attempt.wait for attempt in attempts] == [0] * 16


def test_a_successful_check_gives_its_slot_back(alice):
    for number in range(4):
        sign_in("form", "alice", "wrong", f"198.51.100.{number}")
    assert sign_in("token", "alice", PASSWORD, "192.0.2.1") == 200  # a 5th check, right: released
    assert sign_in("form", "alice", "wrong", "192.0.2.2") == 200  # so this is the 5th failure...
    assert sign_in("form", "alice", PASSWORD, "192.0.2.3") == 429  # ...and locks
    assert LoginFailure.objects.filter(counter__startswith="user:").count() == 5


def test_a_request_that_checks_no_password_counts_nothing(alice):
    client = APIClient(REMOTE_ADDR="198.51.100.9")
    for _ in range(6):
        assert client.post(TOKEN, {"username": "alice"}, format="json").status_code == 400  # no password
    assert not LoginFailure.objects.exists()
    assert sign_in("form", "alice", PASSWORD, "198.51.100.9") == 302


@pytest.mark.django_db(transaction=True)
def test_twenty_parallel_wrong_guesses_lock_after_five(alice):
    """Real concurrent requests, each on its own database connection (PostgreSQL: the CI's second pass)."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite's in-memory test database serialises writers; the race is run on PostgreSQL")
    start = threading.Barrier(20)

    def guess(number: int) -> int:
        try:
            start.wait(timeout=30)
            return sign_in("form", "alice", f"wrong-{number}", f"198.51.100.{number}")
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=20) as pool:
        statuses = list(pool.map(guess, range(20)))
    assert sorted(statuses) == [200] * 5 + [429] * 15
    assert sign_in("form", "alice", PASSWORD, "192.0.2.1") == 429


def test_ipv6_addresses_are_counted_by_their_64(alice):
    for number in range(5):
        assert sign_in("form", f"nobody{number}", "wrong", f"2001:db8:1:2::{number + 1:x}") == 200
    assert sign_in("form", "alice", PASSWORD, "2001:db8:1:2:ffff:ffff:ffff:fffe") == 429  # same /64
    assert sign_in("form", "alice", PASSWORD, "2001:db8:1:3::1") == 302  # the next /64


@pytest.mark.parametrize(
    ("address", "counted"),
    [
        ("203.0.113.7", "203.0.113.7"),
        ("2001:db8:1:2:aaaa::1", "2001:db8:1:2::/64"),
        ("2001:DB8:1:2::1", "2001:db8:1:2::/64"),
        ("::ffff:203.0.113.7", "203.0.113.7"),
        ("not-an-address", "not-an-address"),
    ],
)
def test_client_address(rf, address, counted):
    assert client_address(rf.get("/", REMOTE_ADDR=address)) == counted


@pytest.mark.slow  # thousands of sign-in attempts: make test runs it, make check does not
def test_a_flood_of_fresh_usernames_does_not_evict_a_lock(alice):
    """1,000 token requests with random usernames (each writes throttle keys in the cache): alice stays locked."""
    for number in range(5):
        sign_in("form", "alice", "wrong", f"198.51.100.{number}")
    assert sign_in("form", "alice", PASSWORD, "192.0.2.200") == 429
    canary_culled = django_settings.CACHES["default"]["BACKEND"].endswith("DatabaseCache")
    cache.set("0-canary", "sorts before every throttle key", 3600)
    client = APIClient()
    for number in range(1000):
        response = client.post(
            TOKEN,
            {"username": uuid.uuid4().hex, "password": "x"},
            format="json",
            REMOTE_ADDR=f"10.{number // 250}.{number % 250}.1",
        )
        assert response.status_code == 400
    if canary_culled:  # the default cache did cull (300 entries): the flood was big enough to evict
        assert cache.get("0-canary") is None
    for number, spelling in enumerate(["alice", *SPELLINGS]):
        assert sign_in("form", spelling, PASSWORD, f"192.0.2.{number}") == 429
    assert sign_in("token", "alice", PASSWORD, "192.0.2.99") == 429
