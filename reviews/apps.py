"""App config for reviews."""

from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = "Reviews"

    def ready(self):
        from . import receivers  # noqa: F401  (connects the per-day counts to the reviews' saves and deletes)
