"""URLs of the review pages (the account pages are sentisite/accounts/urls.py)."""

from django.urls import path

from . import views

app_name = "reviews"

urlpatterns = [
    path("", views.home, name="home"),
    path("history/", views.history, name="history"),
    path("reviews/<int:review_id>/", views.detail, name="detail"),
    path("reviews/<int:review_id>/delete/", views.delete, name="delete"),
    path("reviews/<int:review_id>/dispute/", views.dispute, name="dispute"),
]
