"""Rate limits: anon/user rates for the API, a strict `login` rate for the token endpoint."""

import hashlib

from rest_framework import throttling
from rest_framework.settings import api_settings


class SettingsRateMixin:
    """Read the rate when a request comes, not at import (DRF's default), so setting overrides apply."""

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


class AnonRateThrottle(SettingsRateMixin, throttling.AnonRateThrottle):
    pass


class UserRateThrottle(SettingsRateMixin, throttling.UserRateThrottle):
    pass


class LoginRateThrottle(SettingsRateMixin, throttling.SimpleRateThrottle):
    """Token requests per client address: password guessing from one place runs into 429."""

    scope = "login"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class LoginUsernameRateThrottle(SettingsRateMixin, throttling.SimpleRateThrottle):
    """Token requests per username: guessing one account's password from many addresses runs into 429 too."""

    scope = "login"

    def get_cache_key(self, request, view):
        username = request.data.get("username") if hasattr(request.data, "get") else None
        if not isinstance(username, str) or not username:
            return None  # nothing to count; the serializer rejects the request anyway
        # Hashed: a username may hold anything (spaces, NUL) that a cache key must not.
        ident = hashlib.sha256(username.lower().encode("utf-8", "surrogatepass")).hexdigest()
        return self.cache_format % {"scope": f"{self.scope}-username", "ident": ident}
