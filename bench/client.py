"""A browser-like HTTP client for a live site (cookies, CSRF-protected forms) and a test user's first steps."""

from __future__ import annotations

import http.client
import http.cookies
import json
import time
import urllib.parse

PASSWORD = "load-test-Password-93!"  # noqa: S105 (a throw-away account in a throw-away database)
IDLE_RECONNECT_SECONDS = 1.0  # under gunicorn's default keep-alive of 2 s


class Session:
    """A keep-alive HTTP client with cookies, enough for Django's CSRF-protected forms."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.last_used = 0.0

    def send(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if time.monotonic() - self.last_used > IDLE_RECONNECT_SECONDS:
            # gunicorn closes keep-alive connections idle for 2 s; a request written into one that is
            # closing is cut off unread, which would count as "in doubt" through no fault of the site.
            self.connection.close()
        try:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
            content = response.read()
        except (OSError, http.client.HTTPException):
            self.connection.close()
            raise
        finally:
            self.last_used = time.monotonic()
        for header in response.headers.get_all("Set-Cookie") or []:
            cookie = http.cookies.SimpleCookie(header)
            for key, morsel in cookie.items():
                self.cookies[key] = morsel.value
        return response.status, content

    def form(self, path: str, fields: dict):
        fields = {**fields, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")}
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": f"http://127.0.0.1:{self.port}{path}",
        }
        return self.send("POST", path, urllib.parse.urlencode(fields).encode(), headers)


def sign_up(port: int, username: str) -> Session:
    session = Session(port)
    session.send("GET", "/accounts/signup/")
    status, _ = session.form("/accounts/signup/", {"username": username, "password1": PASSWORD, "password2": PASSWORD})
    if status != 302:
        raise RuntimeError(f"sign-up of {username} answered {status}")
    session.send("GET", "/")  # a fresh CSRF cookie after login rotates it
    return session


def api_token(port: int, username: str) -> str:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.request(
        "POST",
        "/api/v1/auth/token",
        json.dumps({"username": username, "password": PASSWORD}),
        {"Content-Type": "application/json"},
    )
    response = connection.getresponse()
    content = response.read()
    connection.close()
    if response.status != 200:
        raise RuntimeError(f"token request of {username} answered {response.status}: {content[:200]!r}")
    return json.loads(content)["token"]
