"""URLs of the jobs pages (the API's are in reviews/api/urls.py)."""

from django.urls import path

from . import views

app_name = "jobs"

urlpatterns = [
    path("", views.job_list, name="list"),
    path("<uuid:job_id>/", views.job_detail, name="detail"),
    path("<uuid:job_id>/delete/", views.job_delete, name="delete"),
]
