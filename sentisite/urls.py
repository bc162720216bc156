"""Top-level URLs: the pages, accounts, the admin, the API and the health probes."""

from django.contrib import admin
from django.urls import include, path

from . import auth, health, views
from .metrics import metrics_view

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("metrics", metrics_view, name="metrics"),  # Prometheus; 404 unless METRICS_TOKEN/METRICS_ALLOWED_IPS is set
    path("admin/login/", auth.admin_login, name="admin-login"),  # before the admin's own, for the lock-out
    path("admin/", admin.site.urls),
    path("accounts/login/", auth.ThrottledLoginView.as_view(), name="login"),  # before auth.urls' own login
    path("accounts/", include("django.contrib.auth.urls")),
    path("api/v1/", include("reviews.api.urls")),
    path("insights/", views.insights, name="insights"),
    path("", include("reviews.urls")),
]
