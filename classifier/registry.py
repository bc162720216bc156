"""The per-process registry of loaded models: each artifact loaded once, lazily, and cached; predict(texts) -> list[Prediction] on it."""

from __future__ import annotations

import gc
import logging
import threading
import time
import weakref
from collections import OrderedDict, deque
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from classifier import verdicts
from ml.inference.artifact import CONFIG_FILE, ArtifactError
from ml.inference.predictor import Predictor, load_predictor
from sentisite import metrics

from . import catalog
from .resources import lookup_table_handles, release_lookup_tables, return_free_memory

logger = logging.getLogger(__name__)

POSITIVE = "positive"
NEGATIVE = "negative"
# After a failed load, wait this long before trying the disk again (a fixed artifact comes back
# without a restart, and a broken one does not cost a load attempt per request).
RETRY_AFTER_SECONDS = 30
# Asked for a model while this process loads another one: try again this much later (loads take 1 to 8 s).
LOADING_RETRY_AFTER_SECONDS = 5


class ModelUnavailable(Exception):
    """The model artifact is missing, corrupt or unreadable; the message says which and where."""

    retry_after = RETRY_AFTER_SECONDS


class ModelLoading(ModelUnavailable):
    """The model is not loaded and this process is loading another one: nobody waits for a load but its own.

    A thread that waited here would be a thread the default model's requests cannot have: with gunicorn's
    few threads per process, waiting loads filled a worker and a 10 ms request waited 66 s (issue 27)."""

    retry_after = LOADING_RETRY_AFTER_SECONDS


class UnknownModel(ValueError):
    """A model name that is not in the catalogue (or not present); the message lists the valid ones."""

    def __init__(self, name: str, choices: list[str]):
        self.choices = choices
        super().__init__(f"Unknown model {name!r}; choose one of: {', '.join(choices)}.")


class ExplanationTooLong(ValueError):
    """A text longer than its model explains (SENTIMENT_SLOW_EXPLAIN_MAX_CHARS for the slow ones)."""

    def __init__(self, name: str, limit: int, length: int):
        self.name, self.limit, self.length = name, limit, length
        super().__init__(
            f"The {name} model explains reviews of at most {limit:,} characters (this one has {length:,}): "
            "its explanations (and sentence-by-sentence verdicts) cost far more than its verdicts. "
            "Ask without them, or choose another model."
        )


@dataclass(frozen=True)
class Prediction:
    label: str
    score: float  # probability that the review is positive, 0..1
    model_version: str
    confidence: str  # a classifier.verdicts.Confidence: high, medium, low, or none (the model cannot tell)
    warnings: tuple[str, ...]  # classifier.verdicts.VerdictWarning codes


class SentimentService:
    """One loaded artifact; `predict` is safe to call from many threads at once."""

    def __init__(self, predictor: Predictor):
        self.predictor = predictor
        self.model_version = predictor.model_version
        self.name = predictor.name
        verdicts.warm_up(predictor)  # the vocabulary look-up and the language identifier (~2 s): not on a request

    def predict(self, texts: list[str]) -> list[Prediction]:
        if not texts:
            return []
        with metrics.time_inference(self.name):
            scores = self.predictor.predict_proba(texts)
        predictions = [
            Prediction(
                label=POSITIVE if score >= 0.5 else NEGATIVE,
                score=float(score),
                model_version=self.model_version,
                confidence=confidence,
                warnings=warnings,
            )
            for score, (confidence, warnings) in zip(
                scores, verdicts.assess(texts, scores, self.predictor), strict=True
            )
        ]
        metrics.count_predictions(self.name, [prediction.label for prediction in predictions])
        return predictions

    def explain(self, text: str) -> list[tuple[str, float]]:
        with metrics.time_explanation(self.name):
            return self.predictor.explain(text)


# The default is always kept; at most SENTIMENT_MODEL_CACHE_SIZE others, least recently used dropped
# first, so that a visitor asking for every model in turn cannot grow a worker without bound.
# Loads are held for seconds. The default's first load has a lock of its own, which every request waits
# for (each needs it); the other models share one slot that nobody waits for (ModelLoading instead).
_default_load_lock = threading.Lock()
_other_load_lock = threading.Lock()
_cache_lock = threading.Lock()  # the bookkeeping below (held for microseconds)
_services: OrderedDict[Path, SentimentService] = OrderedDict()
_failures: dict[Path, tuple[float, str]] = {}
_dropped_since_last_load = threading.Event()
_dropped_tables: deque[list] = deque()  # vocabulary tables of collected models, to destroy (deque: thread-safe)


def default_model_name() -> str:
    return Path(settings.SENTIMENT_MODEL_DIR).name


def available_models() -> list[str]:
    """The served default and the catalogue's models whose folder is present beside it."""
    default = Path(settings.SENTIMENT_MODEL_DIR)
    present = {model.name for model in catalog.MODELS if (default.parent / model.folder / CONFIG_FILE).is_file()}
    return sorted(present | {default.name})


def model_dir_for(name: str | None = None) -> Path:
    """The artifact folder for a catalogued model name, or the configured default; UnknownModel otherwise."""
    default = Path(settings.SENTIMENT_MODEL_DIR)
    if name is None or name == default.name:
        return default
    # Only the catalogue's names reach the file system: not "../x", not a stray folder with a config.json.
    entry = catalog.entry_named(name)
    if entry is None or not (default.parent / entry.folder / CONFIG_FILE).is_file():
        raise UnknownModel(name, available_models())
    return default.parent / entry.folder


def explanation_limit(name: str | None = None) -> int | None:
    """The longest text (characters) that model `name` explains; None: any text it classifies."""
    entry = catalog.entry_for_folder(model_dir_for(name).name)
    return settings.SENTIMENT_SLOW_EXPLAIN_MAX_CHARS if entry is not None and entry.slow_explanations else None


def check_explainable(text: str, *, model: str | None = None) -> None:
    """Raise ExplanationTooLong when `text` is longer than `model` explains (before any work is done)."""
    limit = explanation_limit(model)
    if limit is not None and len(text) > limit:
        raise ExplanationTooLong(model or default_model_name(), limit, len(text))


def get_service(name: str | None = None, *, wait: bool = False) -> SentimentService:
    """The loaded service for an artifact, loading and warming it once per process under a lock.

    A model other than the default is loaded only if no other load is running in this process; otherwise
    ModelLoading at once, unless `wait` (a job's worker, which holds no request thread)."""
    model_dir = model_dir_for(name)
    service = _cached(model_dir)
    if service is not None:
        return service
    if model_dir == Path(settings.SENTIMENT_MODEL_DIR):
        with _default_load_lock:
            return _load_once(model_dir)
    if not _other_load_lock.acquire(blocking=wait):
        raise ModelLoading(f"Model {model_dir.name} is not loaded and this process is loading another model.")
    try:
        return _load_once(model_dir)
    finally:
        _other_load_lock.release()


def _load_once(model_dir: Path) -> SentimentService:
    """Under the load lock: the service if another thread loaded it meanwhile, else load it and keep it."""
    service = _cached(model_dir)
    if service is not None:
        return service
    failure = _failures.get(model_dir)
    if failure is not None and time.monotonic() - failure[0] < RETRY_AFTER_SECONDS:
        raise ModelUnavailable(failure[1])
    if _dropped_since_last_load.is_set():
        # A model dropped while a request still used it is garbage by now: free it before the next
        # load, so that a worker never holds more than the kept models and the one being loaded.
        _dropped_since_last_load.clear()
        gc.collect()
        release_dropped_tables()
        return_free_memory()
    service = load_service(model_dir)
    _keep(model_dir, service)
    return service


def load_service(model_dir: Path) -> SentimentService:
    """Load and warm one artifact; ModelUnavailable (remembered for RETRY_AFTER_SECONDS) if it cannot be."""
    try:
        started = time.perf_counter()
        predictor = load_predictor(model_dir)
        predictor.predict_proba(["warm up the graph", "a second, longer warm-up review text"])
    except ArtifactError as exc:
        message = f"Model unavailable: {exc}"
        _failures[model_dir] = (time.monotonic(), message)
        logger.error("%s", message)
        metrics.count_model_load_failure(model_dir.name)
        raise ModelUnavailable(message) from exc
    _failures.pop(model_dir, None)
    service = SentimentService(predictor)
    # TensorFlow keeps a model's vocabulary tables (tens of MB) until told to free them: do so once the
    # model is garbage, that is once no request still uses it. The finalizer only queues them: it runs
    # inside whatever code triggered the garbage collection, possibly TensorFlow itself holding the lock
    # that destroying a table needs (a deadlock); release_dropped_tables() frees them at a safe point.
    release = weakref.finalize(predictor.model, _dropped_tables.append, lookup_table_handles(predictor.model))
    release.atexit = False  # at exit the process frees everything, and TensorFlow may be half torn down
    logger.info("Loaded model %s from %s in %.1f s", service.model_version, model_dir, time.perf_counter() - started)
    return service


def release_dropped_tables() -> None:
    """Destroy the vocabulary tables of the models collected since the last call (never from a finalizer)."""
    while True:
        try:
            handles = _dropped_tables.popleft()
        except IndexError:
            return
        release_lookup_tables(handles)


def _cached(model_dir: Path) -> SentimentService | None:
    with _cache_lock:
        service = _services.get(model_dir)
        if service is not None:
            _services.move_to_end(model_dir)
        return service


def _keep(model_dir: Path, service: SentimentService) -> None:
    """Add a loaded service, then drop the least recently used ones beyond the cache size (never the default)."""
    default = Path(settings.SENTIMENT_MODEL_DIR)
    with _cache_lock:
        _services[model_dir] = service
        others = [directory for directory in _services if directory != default]
        evicted = others[: max(len(others) - max(settings.SENTIMENT_MODEL_CACHE_SIZE, 0), 0)]
        for directory in evicted:
            del _services[directory]
    if evicted:
        logger.info(
            "Unloaded %s (SENTIMENT_MODEL_CACHE_SIZE=%d)",
            ", ".join(d.name for d in evicted),
            settings.SENTIMENT_MODEL_CACHE_SIZE,
        )
        gc.collect()  # a loaded model is a reference cycle (tf.function <-> its owner): free it now
        release_dropped_tables()
        return_free_memory()
        _dropped_since_last_load.set()  # and again before the next load, once its last request is done


def loaded_models() -> list[str]:
    """Names of the models this process holds, least recently used first."""
    with _cache_lock:
        return [directory.name for directory in _services]


def predict(texts: list[str], *, model: str | None = None, wait: bool = False) -> list[Prediction]:
    """Predict a batch of raw texts in one model call; raises ModelUnavailable (ModelLoading) or UnknownModel."""
    return get_service(model, wait=wait).predict(list(texts))


def explain(text: str, *, model: str | None = None) -> list[tuple[str, float]]:
    """[(word, weight)] for each word of `text`: positive weights pushed the verdict towards positive.

    Raises ExplanationTooLong (before any work) beyond the model's explanation limit."""
    check_explainable(text, model=model)
    return get_service(model).explain(text)


def reset() -> None:
    """Forget loaded models and failures (tests, or after SENTIMENT_MODEL_DIR changes)."""
    with _default_load_lock, _other_load_lock, _cache_lock:
        _services.clear()
        _failures.clear()
