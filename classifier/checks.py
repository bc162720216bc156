"""System checks: report a missing or unreadable model artifact without stopping the site."""

from django.conf import settings
from django.core import checks

from ml.inference.artifact import ArtifactError, read_manifest


@checks.register(checks.Tags.compatibility)
def check_model_artifact(app_configs=None, **kwargs):
    """Warn (not error) so that migrations, the admin and history keep working without a model."""
    try:
        read_manifest(settings.SENTIMENT_MODEL_DIR)
    except ArtifactError as exc:
        return [
            checks.Warning(
                f"The sentiment model cannot be served: {exc}",
                hint="Set SENTIMENT_MODEL_DIR to an artifact folder built by `python -m ml.training.fit`.",
                id="classifier.W001",
            )
        ]
    return []
