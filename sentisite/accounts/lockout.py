"""Sign-in lock-out: 5 failed password checks for one username, or from one address, within 15 minutes lock both (429).

Every door that checks a password (the login form, /admin/login/, /api/v1/auth/token) runs the check
inside `password_attempt()`: a failure slot is reserved on the username's counter *before* the password
is checked, kept when authenticate() reports a failure, and released otherwise. A slot is a row whose
(counter, slot) pair is unique, so the reservation is atomic in every database: twenty parallel guesses
at one account get five slots between them and fifteen 429s, never six password checks.
The address's counter is checked before and counted after a failure, not reserved: many people behind
one address (an office, a NAT) sign in at once, and in-flight reservations would lock them all out.
"""

import contextlib
import datetime
import logging
import math
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Min
from django.utils import timezone

from sentisite import metrics
from sentisite.throttling import client_address

from .models import LoginFailure
from .usernames import digest, username_key

logger = logging.getLogger(__name__)


def failure_limit() -> int:
    return settings.LOGIN_FAILURE_LIMIT


def failure_window() -> int:
    """Seconds a failure is remembered."""
    return settings.LOGIN_FAILURE_WINDOW


def counters(request, username: str) -> dict[str, str]:
    """{counter: kind}: one per address (IPv6 by /64) and, when given, one per username; hashed, as they may hold anything."""
    found = {f"address:{digest(client_address(request))}": "address"}
    key = username_key(username)
    if key:
        found[f"user:{digest(key)}"] = "username"
    return found


def lockout_seconds(request, username: str = "") -> int:
    """Seconds until this username and address may try a password again; 0 when they may now."""
    now = timezone.now()
    full = (
        LoginFailure.objects.filter(counter__in=counters(request, username), expires_at__gt=now)
        .values("counter")
        .annotate(held=Count("id"), first_expiry=Min("expires_at"))
        .filter(held__gte=failure_limit())
    )
    wait = max(((row["first_expiry"] - now).total_seconds() for row in full), default=0)
    return max(math.ceil(wait), 1) if wait > 0 else 0


def _take_slot(counter: str, now: datetime.datetime) -> int | None:
    """The id of a free slot of `counter`, now held by this request; None when all are held."""
    held = set(LoginFailure.objects.filter(counter=counter, expires_at__gt=now).values_list("slot", flat=True))
    expires_at = now + datetime.timedelta(seconds=failure_window())
    for slot in range(failure_limit()):
        if slot in held:
            continue
        try:
            with transaction.atomic():
                LoginFailure.objects.filter(counter=counter, slot=slot, expires_at__lte=now).delete()
                return LoginFailure.objects.create(counter=counter, slot=slot, failed_at=now, expires_at=expires_at).pk
        except IntegrityError:  # another request took it between our read and our write
            continue
    return None


@dataclass
class Attempt:
    """One password check in flight: the slots it holds, whether it failed, or how long it must wait."""

    request: object
    username: str
    slots: dict[str, int] = field(default_factory=dict)  # counter -> LoginFailure id
    wait: int = 0
    failed: bool = False


def begin(request, username: str) -> Attempt:
    """Reserve a failure slot on each counter; `wait` > 0 (and no slot held) when one of them is full."""
    now = timezone.now()
    # Rows of counters nobody tries again would stay forever; one indexed delete keeps the table small.
    LoginFailure.objects.filter(expires_at__lte=now).delete()
    attempt = Attempt(request=request, username=username)
    for counter, kind in counters(request, username).items():
        if kind == "address":
            refused = _is_full(counter)  # checked now, counted by failed()
        else:
            slot = _take_slot(counter, now)
            refused = slot is None
            if not refused:
                attempt.slots[counter] = slot
        if refused:
            release(attempt)
            attempt.wait = lockout_seconds(request, username) or 1
            return attempt
    # On the HttpRequest itself, where the receivers find it whether authenticate() got it or DRF's wrapper.
    getattr(request, "_request", request).sentisite_login_attempt = attempt
    return attempt


def release(attempt: Attempt) -> None:
    LoginFailure.objects.filter(pk__in=attempt.slots.values()).delete()
    attempt.slots.clear()


def failed(attempt: Attempt) -> None:
    """authenticate() refused the password: the reserved slots stay as failures."""
    attempt.failed = True
    now = timezone.now()
    for counter, kind in counters(attempt.request, attempt.username).items():
        if kind == "address" and _take_slot(counter, now) is None:
            continue  # already full: its lock-out started with an earlier failure
        if (counter in attempt.slots or kind == "address") and _is_full(counter):
            lockout_started(attempt.request, kind)


@contextlib.contextmanager
def password_attempt(request, username: str):
    """Around one password check: yields the Attempt (refuse with 429 when its `wait` is set); on the
    way out, slots not kept by a failure are released (a success, or a request that checked no password)."""
    attempt = begin(request, username)
    try:
        yield attempt
    finally:
        if not attempt.failed:
            release(attempt)
        getattr(request, "_request", request).sentisite_login_attempt = None


def attempt_of(request) -> Attempt | None:
    return getattr(request, "sentisite_login_attempt", None) if request is not None else None


def record_failure(request, username: str = "") -> None:
    """A failure outside any door (no reservation): count it in a free slot, if one is left."""
    now = timezone.now()
    for counter, kind in counters(request, username).items():
        if _take_slot(counter, now) is not None and _is_full(counter):
            lockout_started(request, kind)


def clear_failures(username: str) -> None:
    """Forget a username's failures (after it signs in); the address's count stays, so one account
    that an attacker owns cannot reset the count of their guesses at others."""
    key = username_key(username)
    if key:
        LoginFailure.objects.filter(counter=f"user:{digest(key)}").delete()


def _is_full(counter: str) -> bool:
    return LoginFailure.objects.filter(counter=counter, expires_at__gt=timezone.now()).count() >= failure_limit()


def lockout_started(request, kind: str) -> None:
    """A counter has just filled: the one place a lock-out begins (log it, count it)."""
    logger.warning(
        "Sign-in locked for %d s after %d failures for one %s (address %s)",
        failure_window(),
        failure_limit(),
        kind,
        client_address(request),
    )
    metrics.count_lockout(kind)
