"""Top-level URLs: the pages, accounts, the admin, the API and the health probes."""

from django.contrib import admin
from django.urls import include, path

from . import auth, health, views

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("admin/login/", auth.admin_login, name="admin-login"),  # before the admin's own, for the lock-out
    path("admin/", admin.site.urls),
    path("accounts/login/", auth.ThrottledLoginView.as_view(), name="login"),  # before auth.urls' own login
    path("accounts/", include("django.contrib.auth.urls")),
    path("api/v1/", include("reviews.api.urls")),
    path("insights/", views.insights, name="insights"),
    path("", include("reviews.urls")),
]
