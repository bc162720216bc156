"""Top-level URLs: the pages, accounts, the admin, the API and the health probes."""

from django.contrib import admin
from django.urls import include, path

from . import health, views
from .accounts import views as accounts
from .metrics import metrics_view

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("metrics", metrics_view, name="metrics"),  # Prometheus; 404 unless METRICS_TOKEN/METRICS_ALLOWED_IPS is set
    path("admin/login/", accounts.admin_login, name="admin-login"),  # before the admin's own, for the lock-out
    path("admin/", admin.site.urls),
    # Before auth.urls' own views of the same names: the lock-out and the reset rate.
    path("accounts/login/", accounts.ThrottledLoginView.as_view(), name="login"),
    path("accounts/password_reset/", accounts.password_reset, name="password_reset"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("api/v1/", include("reviews.api.urls")),
    path("insights/", views.insights, name="insights"),
    path("jobs/", include("reviews.jobs.urls")),
    path("", include("reviews.urls")),
]
