"""Rate limits shared by the pages and the API: the counted client address, named rates and the 429 page."""

import functools
import hashlib
import ipaddress
import math

from django.shortcuts import render
from rest_framework import throttling
from rest_framework.settings import api_settings


def client_address(request) -> str:
    """What per-address counts count: the client's address as DRF's throttles read it, with an IPv6
    address as its /64 network.

    DRF's BaseThrottle.get_ident: REMOTE_ADDR, or the one `NUM_PROXIES` trusted proxies saw (DRF's setting,
    0 here unless set); X-Forwarded-For is not read otherwise, since anyone can send it and a new made-up
    address per request would escape the counts. One IPv6 subscriber is given at least a /64 and may pick
    any of its 2**64 addresses (privacy addresses do so by design): counted one by one, each guess could
    come from a fresh counter.
    """
    address = throttling.BaseThrottle().get_ident(request) or "unknown"
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if parsed.version == 6:
        if parsed.ipv4_mapped:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.ip_network((parsed, 64), strict=False))
    return str(parsed)


class SettingsRateMixin:
    """Read the rate when a request comes, not at import (DRF's default), so setting overrides apply;
    a scope with no rate (or an empty one) is not limited. Addresses are counted by client_address()."""

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope) or None

    def get_ident(self, request):
        return client_address(request)


class NamedRateThrottle(SettingsRateMixin, throttling.SimpleRateThrottle):
    """The rate `DEFAULT_THROTTLE_RATES[scope]`, counted for one identity (an address, a user, an email).

    The pages and the API build the same cache key for the same scope and identity, so a budget such
    as review creation is shared between the form and the API.
    """

    def __init__(self, scope: str, ident: str):
        self.scope = scope  # before DRF's __init__, which reads the rate of the scope
        self.ident = ident
        super().__init__()

    def get_cache_key(self, request, view):
        # Hashed: an identity may be an email address or a username, which a cache key must not hold as is.
        digest = hashlib.sha256(self.ident.encode("utf-8", "surrogatepass")).hexdigest()
        return self.cache_format % {"scope": self.scope, "ident": digest}

    def wait(self):
        # DRF answers None when the history is longer than a lowered rate allows: then wait a whole period.
        wait = super().wait()
        return self.duration if wait is None else wait


def over_rate(request, scope: str, *idents: str) -> int:
    """Count this request against `scope`'s rate for each identity; seconds to wait when one is over, else 0."""
    waits = []
    for ident in idents:
        throttle = NamedRateThrottle(scope, ident)
        if not throttle.allow_request(request, None):
            waits.append(throttle.wait())
    return max(math.ceil(max(waits)), 1) if waits else 0


def too_many_requests(request, wait: int):
    """The friendly 429 page, with Retry-After. Every page throttle answers through here."""
    context = {"retry_after_seconds": wait, "retry_after_minutes": math.ceil(wait / 60)}
    response = render(request, "429.html", context, status=429)
    response["Retry-After"] = str(wait)
    return response


def rate_limited(scope: str, *idents):
    """Decorate a view: its POSTs count against `scope`, per each `ident(request)` (a callable); over it, 429."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method == "POST":
                wait = over_rate(request, scope, *(ident(request) for ident in idents))
                if wait:
                    return too_many_requests(request, wait)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def by_address(request) -> str:
    return f"address:{client_address(request)}"


def by_user(request) -> str:
    return f"user:{request.user.pk}"
