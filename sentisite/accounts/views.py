"""Account pages behind the lock-out and the rate limits: sign-in (the site's and the admin's), password reset."""

import math

from django.contrib.auth import views
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from sentisite.throttling import by_address, rate_limited

from . import lockout


def locked_out_page(request, wait: int):
    """The 429 page (with Retry-After) for a sign-in while its username or address is locked out."""
    context = {"retry_after_minutes": math.ceil(wait / 60), "window_minutes": lockout.failure_window() // 60}
    response = render(request, "registration/locked_out.html", context, status=429)
    response["Retry-After"] = str(wait)
    return response


def _sign_in(request, view):
    """Run `view` (a sign-in POST) inside a lock-out attempt: refused before the password is checked
    while locked, so guesses made then can neither succeed nor count."""
    with lockout.password_attempt(request, request.POST.get("username", "")) as attempt:
        if attempt.wait:
            return locked_out_page(request, attempt.wait)
        return view()


class ThrottledLoginView(views.LoginView):
    """Django's login view behind the lock-out (429 with Retry-After)."""

    def post(self, request, *args, **kwargs):
        return _sign_in(request, lambda: super(ThrottledLoginView, self).post(request, *args, **kwargs))


@never_cache
def admin_login(request, extra_context=None):
    """The admin's sign-in behind the same lock-out."""
    from django.contrib import admin

    if request.method != "POST":
        return admin.site.login(request, extra_context)
    return _sign_in(request, lambda: admin.site.login(request, extra_context))


def _by_email(request) -> str:
    return f"email:{request.POST.get('email', '').strip().casefold()}"


# Each POST may send an email: counted per address (mail bombs, enumeration by timing) and per
# address typed in (one inbox flooded from many addresses).
password_reset = rate_limited("password_reset", by_address, _by_email)(views.PasswordResetView.as_view())
