"""Login throttling: 5 failed sign-ins for one username or one address within 15 minutes lock both out (429)."""

import hashlib
import logging
import math
import time

from django.conf import settings
from django.contrib.auth import user_logged_in, user_login_failed, views
from django.core.cache import cache
from django.dispatch import receiver
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from rest_framework import throttling
from rest_framework.settings import api_settings

logger = logging.getLogger(__name__)

KEY_PREFIX = "login-failures"


def failure_limit() -> int:
    return getattr(settings, "LOGIN_FAILURE_LIMIT", 5)


def failure_window() -> int:
    """Seconds a failure is remembered."""
    return getattr(settings, "LOGIN_FAILURE_WINDOW", 15 * 60)


def client_ip(request) -> str:
    """The client's address: REMOTE_ADDR, or the one `NUM_PROXIES` trusted proxies (DRF's setting) saw.

    X-Forwarded-For is not read otherwise: anyone can send it, and a new made-up address per request
    would escape the per-address count.
    """
    proxies = api_settings.NUM_PROXIES
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        addresses = [address.strip() for address in forwarded.split(",")]
        return addresses[-min(proxies, len(addresses))]
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _counter_keys(request, username: str) -> list[str]:
    """One counter per username (case-folded, hashed: it may hold anything) and one per address."""
    keys = [f"{KEY_PREFIX}:ip:{hashlib.sha256(client_ip(request).encode()).hexdigest()}"]
    if username:
        digest = hashlib.sha256(username.casefold().encode("utf-8", "surrogatepass")).hexdigest()
        keys.append(f"{KEY_PREFIX}:user:{digest}")
    return keys


def _slots(key: str) -> list[str]:
    # A counter is `limit` slots, each holding one failure's time for the window: cache.add() is atomic
    # in every backend (a unique key in the database cache, SET NX in Redis) where get-then-set is not,
    # so workers racing on the same counter cannot lose a failure, and each slot expires on its own
    # (a sliding window: the sixth try is possible 15 minutes after the first failure, not the fifth).
    return [f"{key}:{slot}" for slot in range(failure_limit())]


def lockout_seconds(request, username: str = "") -> int:
    """Seconds until this username and address may try a password again; 0 when they may now."""
    wait = 0.0
    now = time.time()
    for key in _counter_keys(request, username):
        slots = _slots(key)
        held = cache.get_many(slots)
        if len(held) == len(slots):
            wait = max(wait, min(held.values()) + failure_window() - now)
    return max(math.ceil(wait), 1) if wait > 0 else 0


def record_failure(request, username: str = "") -> None:
    now = time.time()
    for key in _counter_keys(request, username):
        slots = _slots(key)
        for slot in slots:
            if cache.add(slot, now, timeout=failure_window()):
                if slot == slots[-1]:
                    kind = key.split(":")[1]
                    logger.warning(
                        "Sign-in locked for %d s after %d failures for one %s (address %s)",
                        failure_window(),
                        len(slots),
                        "username" if kind == "user" else "address",
                        client_ip(request),
                    )
                break


def clear_failures(username: str) -> None:
    """Forget a username's failures (after it signs in); the address's count stays, so one account
    that an attacker owns cannot reset the count of their guesses at others."""
    digest = hashlib.sha256(username.casefold().encode("utf-8", "surrogatepass")).hexdigest()
    cache.delete_many(_slots(f"{KEY_PREFIX}:user:{digest}"))


# Every password check (this login form, the admin's, the API token endpoint) goes through
# authenticate(), which sends these signals: all of them feed the same counters. This module is
# imported by the URLconf, so the receivers are connected before the first request is handled.
@receiver(user_login_failed, dispatch_uid="sentisite.auth.count_failure")
def _count_failure(sender, credentials, request=None, **kwargs):
    if request is not None:
        username = credentials.get("username")
        record_failure(request, username if isinstance(username, str) else "")


@receiver(user_logged_in, dispatch_uid="sentisite.auth.clear_failures")
def _clear_on_login(sender, request, user, **kwargs):
    clear_failures(user.get_username())


def locked_out_response(request):
    """The 429 page (with Retry-After) for a sign-in POST while its username or address is locked
    out; None when it may go ahead. Refused before the password is checked: guesses made now can
    neither succeed nor count."""
    wait = lockout_seconds(request, request.POST.get("username", ""))
    if not wait:
        return None
    context = {"retry_after_minutes": math.ceil(wait / 60), "window_minutes": failure_window() // 60}
    response = render(request, "registration/locked_out.html", context, status=429)
    response["Retry-After"] = str(wait)
    return response


class ThrottledLoginView(views.LoginView):
    """Django's login view that answers 429 (with Retry-After) while the username or address is locked out."""

    def post(self, request, *args, **kwargs):
        return locked_out_response(request) or super().post(request, *args, **kwargs)


@never_cache
def admin_login(request, extra_context=None):
    """The admin's sign-in behind the same lock-out (its failures already count towards it)."""
    from django.contrib import admin

    return (request.method == "POST" and locked_out_response(request)) or admin.site.login(request, extra_context)


class LoginFailureThrottle(throttling.BaseThrottle):
    """The same lockout for a DRF view that takes a username and password (the token endpoint)."""

    def allow_request(self, request, view):
        username = request.data.get("username") if hasattr(request.data, "get") else None
        self.retry_after = lockout_seconds(request, username if isinstance(username, str) else "")
        return not self.retry_after

    def wait(self):
        return self.retry_after
