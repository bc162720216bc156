"""The accounts' API URL, included under /api/v1/ before the reviews API (whose last route answers any other path with a JSON 404)."""

from django.urls import path

from . import api

urlpatterns = [
    path("auth/token", api.TokenObtainView.as_view(), name="auth-token"),
]
