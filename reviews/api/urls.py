"""API URLs under /api/v1/: predict, models, reviews and their disputes, jobs, the OpenAPI schema and Swagger UI
(the token endpoint is the accounts app's: sentisite/accounts/api_urls.py)."""

from django.http import JsonResponse
from django.urls import path, re_path
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import SimpleRouter

from reviews.jobs import api as jobs_api

from . import views

app_name = "api"

router = SimpleRouter()
router.register("reviews", views.ReviewViewSet, basename="review")


@csrf_exempt  # it changes nothing; without this a POST or DELETE would get the CSRF failure page instead
def not_found(request, *args, **kwargs):
    """Any other path under /api/v1/ is a JSON 404 too, not the site's HTML page."""
    return JsonResponse({"detail": "Not found.", "code": "not_found"}, status=404)


urlpatterns = [
    path("predict", views.PredictView.as_view(), name="predict"),
    path("models", views.ModelListView.as_view(), name="models"),
    # The same id rule as the router's review routes: digits only, few enough for a 64-bit key.
    re_path(
        rf"^reviews/(?P<id>{views.ReviewViewSet.lookup_value_regex})/dispute$",
        views.ReviewDisputeView.as_view(),
        name="review-dispute",
    ),
    path("schema", SpectacularAPIView.as_view(), name="schema"),
    path("docs", views.SwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("jobs", jobs_api.JobListCreateView.as_view(), name="jobs"),
    path("jobs/", jobs_api.JobListCreateAliasView.as_view()),
    path("jobs/<uuid:id>", jobs_api.JobDetailView.as_view(), name="job-detail"),
    path("jobs/<uuid:id>/results", jobs_api.JobResultsView.as_view(), name="job-results"),
    *router.urls,
    re_path(r"", not_found),
]
