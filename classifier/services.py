"""The classifier's public surface: predict(texts) -> list[Prediction], on a lazily loaded model."""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from ml.artifacts import ArtifactError, Predictor, list_artifacts, load_predictor

logger = logging.getLogger(__name__)

POSITIVE = "positive"
NEGATIVE = "negative"
# After a failed load, wait this long before trying the disk again (a fixed artifact comes back
# without a restart, and a broken one does not cost a load attempt per request).
RETRY_AFTER_SECONDS = 30


class ModelUnavailable(Exception):
    """The model artifact is missing, corrupt or unreadable; the message says which and where."""

    retry_after = RETRY_AFTER_SECONDS


class UnknownModel(ValueError):
    """A model name that is not one of the shipped artifacts; the message lists the valid ones."""

    def __init__(self, name: str, choices: list[str]):
        self.choices = choices
        super().__init__(f"Unknown model {name!r}; choose one of: {', '.join(choices)}.")


@dataclass(frozen=True)
class Prediction:
    label: str
    score: float  # probability that the review is positive, 0..1
    model_version: str


class SentimentService:
    """One loaded artifact; `predict` is safe to call from many threads at once."""

    def __init__(self, predictor: Predictor):
        self.predictor = predictor
        self.model_version = predictor.model_version
        self.name = predictor.name

    def predict(self, texts: list[str]) -> list[Prediction]:
        if not texts:
            return []
        scores = self.predictor.predict_proba(texts)
        return [
            Prediction(label=POSITIVE if score >= 0.5 else NEGATIVE, score=float(score), model_version=self.model_version)
            for score in scores
        ]

    def explain(self, text: str) -> list[tuple[str, float]]:
        return self.predictor.explain(text)


_lock = threading.Lock()
_services: dict[Path, SentimentService] = {}
_failures: dict[Path, tuple[float, str]] = {}


def available_models() -> list[str]:
    """Names of the artifacts shipped beside the served one (folders with a config.json)."""
    default = Path(settings.SENTIMENT_MODEL_DIR)
    names = {directory.name for directory in list_artifacts(default.parent)}
    return sorted(names | {default.name})


def default_model_name() -> str:
    return Path(settings.SENTIMENT_MODEL_DIR).name


def model_dir_for(name: str | None = None) -> Path:
    """The artifact folder for a shipped model name, or the configured default; UnknownModel otherwise."""
    default = Path(settings.SENTIMENT_MODEL_DIR)
    if name is None or name == default.name:
        return default
    choices = available_models()
    if name not in choices:  # also keeps a name like "../x" from reaching the file system
        raise UnknownModel(name, choices)
    return default.parent / name


def get_service(name: str | None = None) -> SentimentService:
    """The loaded service for an artifact, loading and warming it once per process under a lock."""
    model_dir = model_dir_for(name)
    service = _services.get(model_dir)
    if service is not None:
        return service
    with _lock:
        service = _services.get(model_dir)
        if service is not None:
            return service
        failure = _failures.get(model_dir)
        if failure is not None and time.monotonic() - failure[0] < RETRY_AFTER_SECONDS:
            raise ModelUnavailable(failure[1])
        try:
            started = time.perf_counter()
            predictor = load_predictor(model_dir)
            predictor.predict_proba(["warm up the graph", "a second, longer warm-up review text"])
        except ArtifactError as exc:
            message = f"Model unavailable: {exc}"
            _failures[model_dir] = (time.monotonic(), message)
            logger.error("%s", message)
            raise ModelUnavailable(message) from exc
        _failures.pop(model_dir, None)
        service = SentimentService(predictor)
        _services[model_dir] = service
        logger.info("Loaded model %s from %s in %.1f s", service.model_version, model_dir, time.perf_counter() - started)
        return service


def predict(texts: list[str], *, model: str | None = None) -> list[Prediction]:
    """Predict a batch of raw texts in one model call; raises ModelUnavailable or UnknownModel."""
    return get_service(model).predict(list(texts))


def explain(text: str, *, model: str | None = None) -> list[tuple[str, float]]:
    """[(word, weight)] for each word of `text`: positive weights pushed the verdict towards positive."""
    return get_service(model).explain(text)


def reset() -> None:
    """Forget loaded models and failures (tests, or after SENTIMENT_MODEL_DIR changes)."""
    with _lock:
        _services.clear()
        _failures.clear()
