"""Rate limits on expensive or abusable work: the classify form, review creation, sign-up and password reset."""

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from rest_framework.test import APIClient

from reviews.models import Review
from reviews.tests.factories import PASSWORD
from sentisite.settings import env_rate

TEXT = "A brilliant, wonderful film, I loved it."


@pytest.fixture
def rates(settings, db):
    """Two requests per scope, so the third shows the limit; counts start from nothing."""
    scopes = ("classify", "review_create", "signup", "password_reset")
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            **dict.fromkeys(scopes, "2/hour"),
        },
    }
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    cache.clear()
    yield
    cache.clear()


def assert_throttled_page(response):
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 3600
    page = response.content.decode()
    assert "Too many requests" in page and 'class="site-header"' in page  # the site's own layout
    assert "minute" in page or "second" in page


def test_the_classify_form_is_limited_per_address(rates, served_model):
    visitor = Client(REMOTE_ADDR="203.0.113.1")
    for _ in range(2):
        assert visitor.post("/", {"text": TEXT}).status_code == 200
    assert_throttled_page(visitor.post("/", {"text": TEXT}))
    assert visitor.get("/").status_code == 200  # reading the page is not limited
    assert visitor.post("/", {"text": ""}).status_code == 200  # nor a form refused before the model runs
    assert Client(REMOTE_ADDR="203.0.113.2").post("/", {"text": TEXT}).status_code == 200


def test_the_classify_limit_counts_an_ipv6_64_as_one_address(rates, served_model):
    for host in (1, 2):
        assert Client(REMOTE_ADDR=f"2001:db8:5:6::{host}").post("/", {"text": TEXT}).status_code == 200
    assert_throttled_page(Client(REMOTE_ADDR="2001:db8:5:6:ffff::9").post("/", {"text": TEXT}))


def test_review_creation_shares_one_budget_between_the_form_and_the_api(rates, served_model, user):
    page = Client()
    page.force_login(user)
    api = APIClient()
    api.force_authenticate(user)
    assert page.post("/", {"text": TEXT}).status_code == 302
    assert api.post("/api/v1/reviews/", {"text": TEXT}, format="json").status_code == 201
    refused = api.post("/api/v1/reviews/", {"text": TEXT}, format="json")
    assert refused.status_code == 429 and 0 < int(refused["Retry-After"]) <= 3600
    assert refused.json()["code"] == "throttled" and "detail" in refused.json()
    assert_throttled_page(page.post("/", {"text": TEXT}))
    assert Review.objects.count() == 2
    assert api.get("/api/v1/reviews/").status_code == 200  # listing is not review creation


def test_review_creation_is_limited_per_user(rates, served_model, user, other_user):
    api = APIClient()
    api.force_authenticate(user)
    for _ in range(2):
        api.post("/api/v1/reviews/", {"text": TEXT}, format="json")
    assert api.post("/api/v1/reviews/", {"text": TEXT}, format="json").status_code == 429
    api.force_authenticate(other_user)
    assert api.post("/api/v1/reviews/", {"text": TEXT}, format="json").status_code == 201


def test_sign_up_is_limited_per_address(rates):
    def sign_up(name: str, address: str = "203.0.113.3"):
        data = {"username": name, "email": "", "password1": PASSWORD, "password2": PASSWORD}
        return Client(REMOTE_ADDR=address).post("/accounts/signup/", data)

    assert sign_up("first").status_code == 302
    assert sign_up("second").status_code == 302
    assert_throttled_page(sign_up("third"))
    assert Client(REMOTE_ADDR="203.0.113.3").get("/accounts/signup/").status_code == 200
    assert sign_up("third", address="203.0.113.4").status_code == 302


def test_password_reset_is_limited_per_address_and_per_email(rates, user):
    def reset(email: str, address: str):
        return Client(REMOTE_ADDR=address).post("/accounts/password_reset/", {"email": email})

    assert reset("a@example.com", "203.0.113.5").status_code == 302
    assert reset("b@example.com", "203.0.113.5").status_code == 302
    assert_throttled_page(reset("c@example.com", "203.0.113.5"))  # one address, many inboxes
    assert reset(user.email, "198.51.100.1").status_code == 302
    assert reset(f" {user.email.upper()} ", "198.51.100.2").status_code == 302
    assert_throttled_page(reset(user.email, "198.51.100.3"))  # one inbox, many addresses
    assert len(mail.outbox) == 2  # the user's two; the unknown addresses get no mail


def test_the_rates_come_from_settings_with_documented_defaults(settings):
    rates = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    for scope in ("classify", "review_create", "signup", "password_reset"):
        number, period = rates[scope].split("/")
        assert int(number) > 0 and period in ("second", "minute", "hour", "day")


def test_a_rate_set_off_lifts_the_limit(settings, db, served_model):
    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "classify": None}  # THROTTLE_CLASSIFY=off
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    visitor = Client(REMOTE_ADDR="203.0.113.9")
    assert all(visitor.post("/", {"text": TEXT}).status_code == 200 for _ in range(3))


@pytest.mark.parametrize(
    ("value", "rate"),
    [
        (None, "5/hour"),
        ("", "5/hour"),
        (" 100/day ", "100/day"),
        ("3/minute", "3/minute"),
        ("off", None),
        ("OFF", None),
    ],
)
def test_rates_are_read_from_the_environment(monkeypatch, value, rate):
    if value is None:
        monkeypatch.delenv("THROTTLE_SIGNUP", raising=False)
    else:
        monkeypatch.setenv("THROTTLE_SIGNUP", value)
    assert env_rate("THROTTLE_SIGNUP", "5/hour") == rate


@pytest.mark.parametrize("value", ["5", "5 per hour", "five/hour", "5/fortnight", "-1/minute"])
def test_a_misspelt_rate_stops_the_start(monkeypatch, value):
    monkeypatch.setenv("THROTTLE_SIGNUP", value)
    with pytest.raises(ImproperlyConfigured, match="THROTTLE_SIGNUP"):
        env_rate("THROTTLE_SIGNUP", "5/hour")
