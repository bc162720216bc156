"""App config for the classifier; loads nothing at start-up (gunicorn forks, TensorFlow is not fork-safe)."""

from django.apps import AppConfig


class ClassifierConfig(AppConfig):
    name = "classifier"
    verbose_name = "Sentiment classifier"

    def ready(self):
        from . import checks  # noqa: F401  (registers the system checks)
