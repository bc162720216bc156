"""Rate limits: anon/user rates for the API, a strict `login` rate for the token endpoint, review creation's budget."""

import hashlib

from rest_framework import throttling

from sentisite.accounts.lockout import username_key
from sentisite.throttling import NamedRateThrottle, SettingsRateMixin, by_user


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
        key = username_key(username)  # "alice " and "ａｌｉｃｅ" are alice, as authentication sees them
        if not key:
            return None  # nothing to count; the serializer rejects the request anyway
        # Hashed: a username may hold anything (spaces, NUL) that a cache key must not.
        ident = hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()
        return self.cache_format % {"scope": f"{self.scope}-username", "ident": ident}


class ReviewCreateThrottle(NamedRateThrottle):
    """The `review_create` rate per user on POST (each stores a prediction and its explanation); the
    review form counts against the same budget."""

    def __init__(self):
        super().__init__("review_create", "")

    def allow_request(self, request, view):
        if request.method != "POST" or not request.user.is_authenticated:
            return True
        self.ident = by_user(request)
        return super().allow_request(request, view)
