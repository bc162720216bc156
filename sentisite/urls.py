"""Top-level URLs: the pages, accounts, the admin, the API and the health probes."""

from django.contrib import admin
from django.urls import include, path

from classifier import views as classifier_views

from . import health
from .metrics import metrics_view

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("metrics", metrics_view, name="metrics"),  # Prometheus; 404 unless METRICS_TOKEN/METRICS_ALLOWED_IPS is set
    # Before the admin: its sign-in page is the accounts' (behind the lock-out).
    path("", include("sentisite.accounts.urls")),
    path("admin/", admin.site.urls),
    # Before the API's root, whose last route answers every other path under /api/v1/ with a JSON 404.
    path("api/v1/", include("sentisite.accounts.api_urls")),
    path("api/v1/", include("sentisite.api.urls")),  # predict and models (classifier), reviews and jobs
    path("insights/", classifier_views.insights, name="insights"),
    path("jobs/", include("reviews.jobs.urls")),
    path("", include("reviews.urls")),
]
