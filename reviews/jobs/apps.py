"""App config for bulk jobs."""

from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "reviews.jobs"
    label = "jobs"
    verbose_name = "Bulk jobs"
