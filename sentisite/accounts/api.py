"""The token endpoint (POST /api/v1/auth/token): a username and password for an API token, behind the lock-out."""

from rest_framework import throttling
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.exceptions import Throttled
from rest_framework.settings import api_settings

from sentisite.throttling import SettingsRateMixin

from . import lockout, schema
from .usernames import digest, username_key


def _username(request) -> str:
    username = request.data.get("username") if hasattr(request.data, "get") else None
    return username if isinstance(username, str) else ""


class LoginRateThrottle(SettingsRateMixin, throttling.SimpleRateThrottle):
    """Token requests per client address: password guessing from one place runs into 429."""

    scope = "login"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class LoginUsernameRateThrottle(SettingsRateMixin, throttling.SimpleRateThrottle):
    """Token requests per username: guessing one account's password from many addresses runs into 429 too."""

    scope = "login"

    def get_cache_key(self, request, view):
        key = username_key(_username(request))  # "alice " and "ａｌｉｃｅ" are alice, as authentication sees them
        if not key:
            return None  # nothing to count; the serializer rejects the request anyway
        # Hashed: a username may hold anything (spaces, NUL) that a cache key must not.
        return self.cache_format % {"scope": f"{self.scope}-username", "ident": digest(key)}


class TokenObtainView(ObtainAuthToken):
    """Username and password in, API token out; strictly throttled against password guessing."""

    # No session here: a token request carries its credentials, so CSRF does not apply.
    authentication_classes = []
    throttle_classes = [LoginRateThrottle, LoginUsernameRateThrottle]
    # ObtainAuthToken's own list takes multipart too; the API's default does not (uploads skip the body limit).
    parser_classes = api_settings.DEFAULT_PARSER_CLASSES

    @schema.TOKEN_OBTAIN
    def post(self, request, *args, **kwargs):
        # The login form's lock-out too (5 failures per username or address in 15 minutes): the token
        # endpoint must not be a weaker door for guessing passwords than the form.
        with lockout.password_attempt(request, _username(request)) as attempt:
            if attempt.wait:
                raise Throttled(wait=attempt.wait)
            return super().post(request, *args, **kwargs)
