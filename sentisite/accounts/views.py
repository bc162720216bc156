"""Account pages: sign-up, sign-in (the site's and the admin's) behind the lock-out, password reset, the API token."""

import math

from django.contrib import messages
from django.contrib.auth import login, views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from sentisite.redirects import safe_next
from sentisite.throttling import by_address, rate_limited

from . import lockout, services
from .forms import SignUpForm


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


@sensitive_post_parameters("password1", "password2")
@require_http_methods(["GET", "POST"])
@rate_limited("signup", by_address)
def signup(request):
    if request.user.is_authenticated:
        return redirect("reviews:home")
    form = SignUpForm(request.POST) if request.method == "POST" else SignUpForm()
    if request.method == "POST" and form.is_valid():
        user = form.save()
        # Named explicitly: with more than one backend configured (e.g. a lockout backend that only
        # authenticates), login() would otherwise refuse or pick one that cannot restore the session.
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, f"Welcome, {user.get_username()}! Your reviews will now be kept in your history.")
        return redirect(safe_next(request) or "reviews:home")
    return render(request, "registration/signup.html", {"form": form, "next": safe_next(request) or ""})


# never_cache: the token is a password; no browser or proxy cache should keep the page.
@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def api_token(request):
    if request.method == "POST":
        services.api_token_regenerate(user=request.user)
        messages.success(request, "A new token was created. The old one no longer works.")
        return redirect("api_token")
    token = services.api_token_get(user=request.user)
    return render(request, "registration/api_token.html", {"token": token})
