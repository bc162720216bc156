"""The reviews API's URLs: reviews and their disputes, and jobs; included in the `api` namespace under /api/v1/ by
sentisite/api/urls.py (predict and models are the classifier's: classifier/api/urls.py)."""

from django.urls import path, re_path
from rest_framework.routers import SimpleRouter

from reviews.jobs import api as jobs_api

from . import views

router = SimpleRouter()
router.register("reviews", views.ReviewViewSet, basename="review")

urlpatterns = [
    # The same id rule as the router's review routes: digits only, few enough for a 64-bit key.
    re_path(
        rf"^reviews/(?P<id>{views.ReviewViewSet.lookup_value_regex})/dispute$",
        views.ReviewDisputeView.as_view(),
        name="review-dispute",
    ),
    path("jobs", jobs_api.JobListCreateView.as_view(), name="jobs"),
    path("jobs/", jobs_api.JobListCreateAliasView.as_view()),
    path("jobs/<uuid:id>", jobs_api.JobDetailView.as_view(), name="job-detail"),
    path("jobs/<uuid:id>/results", jobs_api.JobResultsView.as_view(), name="job-results"),
    *router.urls,
]
