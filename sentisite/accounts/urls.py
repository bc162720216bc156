"""URLs of the account pages, included at the site's root; names are global, as django.contrib.auth's are.

LOGIN_URL and Django's own auth views and templates reverse "login", "password_reset_done" etc.
without a namespace, so this URLconf has no app_name.
"""

from django.urls import include, path

from . import views

urlpatterns = [
    # Before the admin's own sign-in, and before auth.urls' views of the same names: the lock-out and the reset rate.
    path("admin/login/", views.admin_login, name="admin-login"),
    path("accounts/login/", views.ThrottledLoginView.as_view(), name="login"),
    path("accounts/password_reset/", views.password_reset, name="password_reset"),
    path("accounts/signup/", views.signup, name="signup"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("account/api-token/", views.api_token, name="api_token"),
]
