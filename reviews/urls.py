"""URLs of the review pages, sign-up and the API token page."""

from django.urls import path

from . import views

app_name = "reviews"

urlpatterns = [
    path("", views.home, name="home"),
    path("history/", views.history, name="history"),
    path("reviews/<int:review_id>/", views.detail, name="detail"),
    path("reviews/<int:review_id>/delete/", views.delete, name="delete"),
    path("reviews/<int:review_id>/dispute/", views.dispute, name="dispute"),
    path("account/api-token/", views.api_token, name="api_token"),
    # Matched after django.contrib.auth.urls (included at accounts/ first), which has no sign-up.
    path("accounts/signup/", views.signup, name="signup"),
]
