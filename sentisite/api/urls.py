"""The API's URLs under /api/v1/, one `api` namespace: each feature's routes, the schema and Swagger UI, then a JSON 404
(the token endpoint is the accounts app's, included before: sentisite/accounts/api_urls.py)."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView

from . import views

app_name = "api"

urlpatterns = [
    path("", include("classifier.api.urls")),  # predict, models
    path("", include("reviews.api.urls")),  # reviews and their disputes, jobs
    path("schema", SpectacularAPIView.as_view(), name="schema"),
    path("docs", views.SwaggerView.as_view(url_name="api:schema"), name="docs"),
    # Last: every other path under /api/v1/.
    re_path(r"", views.not_found),
]
