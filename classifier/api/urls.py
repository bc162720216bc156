"""The classifier's API URLs, included in the `api` namespace under /api/v1/ by sentisite/api/urls.py."""

from django.urls import path

from . import views

urlpatterns = [
    path("predict", views.PredictView.as_view(), name="predict"),
    path("models", views.ModelListView.as_view(), name="models"),
]
