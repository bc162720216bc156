"""The shipped models as the API and the pages describe them: name, version and test metrics, read once per process.

Beside catalog.py (the allow-list), not in it: this reads the artifacts through registry, which imports the catalogue.
"""

import functools
from numbers import Real
from pathlib import Path

from ml.inference.artifact import METRICS_FILE, ArtifactError, read_json, read_manifest

from . import registry

# What /api/v1/models publishes from metrics.json; the rest (history, confusion matrix) is for the report.
PUBLISHED_METRICS = ("test_accuracy", "test_f1_macro", "test_roc_auc", "latency_ms_p50_single")


def shipped_models() -> list[dict]:
    """Every model that ?model= accepts, by name: {name, model_version, default, metrics}."""
    default = registry.default_model_name()
    return [
        {"name": name, "default": name == default, **artifact_summary(registry.model_dir_for(name))}
        for name in registry.available_models()
    ]


def names_by_version() -> dict[str, str]:
    """{model_version: name} for the shipped models; a version that is not here is no longer shipped."""
    # Copies of one artifact share a version ("default" may be a copy of "cnn"): the default, last, wins.
    models = sorted(shipped_models(), key=lambda model: model["default"])
    return {model["model_version"]: model["name"] for model in models if model["model_version"] is not None}


def artifact_summary(directory: Path) -> dict:
    try:
        version, metrics = _read_summary(directory)
    except ArtifactError:
        # Listed all the same (asking for it answers 503), and not cached: once repaired, it shows.
        return {"model_version": None, "metrics": {}}
    return {"model_version": version, "metrics": dict(metrics)}


# Per process, like the loaded models themselves (classifier.registry): an artifact replaced on disk is
# served, and described, after a restart.
@functools.lru_cache(maxsize=32)
def _read_summary(directory: Path) -> tuple[str, tuple[tuple[str, float], ...]]:
    version = read_manifest(directory)["model_version"]
    try:
        metrics = read_json(directory / METRICS_FILE)
    except ArtifactError:
        metrics = {}  # trained but not evaluated yet
    if not isinstance(metrics, dict):
        metrics = {}
    published = tuple(
        (name, float(metrics[name]))
        for name in PUBLISHED_METRICS
        if isinstance(metrics.get(name), Real) and not isinstance(metrics.get(name), bool)
    )
    return version, published
