"""The serving path in one place: raw strings -> the model (its own preprocessing layers) -> log-odds ->
calibration -> probabilities; and, on demand, which words decided it and which the model knew."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np

from ml.inference.artifact import CONFIG_FILE, ArtifactError, load_model
from ml.inference.calibration import Calibration, word_counts


class Predictor:
    """An artifact's model behind one `tf.function` with a fixed signature: raw strings in,
    probabilities out. Calling the graph directly avoids `model.predict`'s per-call set-up."""

    def __init__(self, model, manifest: dict, directory: Path):
        import tensorflow as tf

        self.model = model
        self.manifest = manifest
        self.directory = directory
        self.name = manifest["name"]
        self.model_version = manifest["model_version"]
        self._infer = tf.function(
            self._call_model, input_signature=[tf.TensorSpec(shape=[None], dtype=tf.string)], autograph=False
        )
        self._logits = None  # built on the first explanation: most processes never need it
        self._logits_lock = threading.Lock()
        self._explainer = None  # its vocabulary lookup is built once, on the first explanation
        self._explainer_lock = threading.Lock()
        self._coverage = None  # ml.inference.coverage over the model's own vocabulary tables, traced on first use
        self._coverage_lock = threading.Lock()
        # Probabilities fit on the grouped validation split (ml.training.calibrate), applied to the log-odds.
        try:
            self.calibration = Calibration.from_dict(manifest["calibration"]) if manifest.get("calibration") else None
        except (ValueError, KeyError, TypeError) as exc:
            raise ArtifactError(f"{directory / CONFIG_FILE} has a broken calibration ({exc})") from exc

    def _call_model(self, texts):
        return self.model(texts, training=False)

    def predict_logits(self, texts: list[str]) -> np.ndarray:
        """The positive log-odds (float64): unlike probabilities, they do not saturate at 0 or 1."""
        import tensorflow as tf

        if not texts:
            return np.zeros(0)
        with self._logits_lock:
            if self._logits is None:
                # Imported on first use: it loads TensorFlow, which the site must not import before gunicorn forks.
                from ml.models.common import logit_model

                inner = logit_model(self.model)
                self._logits = tf.function(
                    lambda batch: inner(batch, training=False),
                    input_signature=[tf.TensorSpec(shape=[None], dtype=tf.string)],
                    autograph=False,
                )
        return self._logits(tf.constant(texts, dtype=tf.string)).numpy().reshape(-1).astype(np.float64)

    def predict_proba(self, texts: list[str]) -> np.ndarray:
        import tensorflow as tf

        if not texts:
            return np.zeros(0, dtype=np.float32)
        if self.calibration is not None:
            return self.calibration.apply(self.predict_logits(texts), word_counts(texts))
        return self._infer(tf.constant(texts, dtype=tf.string)).numpy().reshape(-1)

    def attribute(self, text: str):
        """An ml.explanation.explain.Attribution of `text`: each word's weight and the bias (exact for n-gram models)."""
        if self._explainer is None:
            with self._explainer_lock:
                if self._explainer is None:
                    # Imported on first use: it loads TensorFlow, which the site must not import before gunicorn forks.
                    from ml.explanation.explain import explainer_for

                    self._explainer = explainer_for(self.model, self.manifest, self.predict_logits)
        return self._explainer(text)

    def explain(self, text: str) -> list[tuple[str, float]]:
        """[(word, weight)] for every whitespace-separated word, in text order (see ml/explanation/explain.py)."""
        return self.attribute(text).pairs()

    def coverage(self, texts: list[str]):
        """An ml.inference.coverage.Coverage of `texts` (known words, tokens, truncated), or None for a model
        without a vocabulary layer."""
        if self._coverage is None:
            with self._coverage_lock:
                if self._coverage is None:
                    # Imported on first use: it loads TensorFlow, which the site must not import before gunicorn forks.
                    from ml.inference.coverage import coverage_function

                    self._coverage = coverage_function(self.model) or (lambda texts: None)
        return self._coverage(texts) if texts else None

    def known_token_counts(self, texts: list[str]) -> np.ndarray | None:
        """How many words of each text are in the model's vocabulary (None: the model cannot say)."""
        coverage = self.coverage(texts)
        return None if coverage is None else coverage.known


def load_predictor(directory: Path | str) -> Predictor:
    model, manifest = load_model(directory)
    return Predictor(model, manifest, Path(directory))


def predict_in_batches(predictor, texts: list[str], batch_size: int = 256) -> np.ndarray:
    """Scores for many texts, batched by length so that little time goes into padding."""
    order = np.argsort([len(text) for text in texts])
    scores = np.empty(len(texts), dtype=np.float32)
    for start in range(0, len(texts), batch_size):
        chosen = order[start : start + batch_size]
        scores[chosen] = predictor.predict_proba([texts[i] for i in chosen])
    return scores
