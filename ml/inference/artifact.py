"""Self-describing model artifacts: save, verify and load them, and wrap one for fast inference."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import threading
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from ml import paths
from ml.inference.calibration import Calibration, word_counts

MODEL_FILE = "model.keras"
CONFIG_FILE = "config.json"
METRICS_FILE = "metrics.json"
ARTIFACTS_DIR = paths.ARTIFACTS_DIR


class ArtifactError(Exception):
    """An artifact folder is missing, incomplete, corrupt or inconsistent; the message says which."""


def file_sha256(path: Path) -> str:
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def write_json(path: Path, data: dict) -> None:
    """Write atomically: a reader never sees half a file."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    with os.fdopen(handle, "w") as out:
        json.dump(data, out, indent=2, sort_keys=True, default=str)
        out.write("\n")
    os.chmod(temporary, 0o644)  # mkstemp makes it private; artifacts are read by the web user
    os.replace(temporary, path)


def read_json(path: Path) -> dict:
    try:
        return json.loads(path.read_text())
    except FileNotFoundError as exc:
        raise ArtifactError(f"{path} is missing") from exc
    except (OSError, ValueError) as exc:
        raise ArtifactError(f"{path} is unreadable ({exc})") from exc


def vectorizer_of(model):
    """The model's (first) TextVectorization layer, searching nested member models too."""
    import keras

    for layer in model.layers:
        if isinstance(layer, keras.layers.TextVectorization):
            return layer
        if isinstance(layer, keras.Model):
            found = vectorizer_of(layer)
            if found is not None:
                return found
    return None


def deflate_zip(path: Path) -> None:
    """Re-pack a .keras file with compression: Keras stores it uncompressed, and an n-gram
    vocabulary in its config shrinks about fourfold (artifacts ship in the repository)."""
    packed = path.with_suffix(".deflated")
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for info in source.infolist():
            target.writestr(info, source.read(info.filename), compress_type=zipfile.ZIP_DEFLATED)
    os.replace(packed, path)


def save_artifact(directory: Path, model, config: dict, metrics: dict | None = None) -> Path:
    """Save an inference-only model (no optimizer state) with its config and a manifest of checks."""
    import keras

    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    inference = keras.Model(model.inputs, model.outputs, name=model.name)  # uncompiled: no optimizer
    model_path = directory / MODEL_FILE
    temporary = directory / (MODEL_FILE + ".tmp.keras")
    inference.save(temporary)
    deflate_zip(temporary)
    os.replace(temporary, model_path)
    sha = file_sha256(model_path)
    vectorizer = vectorizer_of(inference)
    name = config.get("name") or config.get("arch")
    created = datetime.now(UTC)
    manifest = {
        **config,
        "name": name,
        "model_file": MODEL_FILE,
        "model_sha256": sha,
        "model_bytes": model_path.stat().st_size,
        "model_version": f"{name}-{created:%Y%m%d}-{sha[:8]}",
        "created_at": created.isoformat(timespec="seconds"),
        "vocabulary_size": vectorizer.vocabulary_size() if vectorizer is not None else None,
        "params": int(inference.count_params()),
    }
    write_json(directory / CONFIG_FILE, manifest)
    if metrics is not None:
        write_json(directory / METRICS_FILE, metrics)
    return directory


def read_manifest(directory: Path | str) -> dict:
    """config.json of an artifact, after checking that the folder and its model file exist."""
    directory = Path(directory)
    if not directory.is_dir():
        raise ArtifactError(f"artifact folder {directory} does not exist")
    manifest = read_json(directory / CONFIG_FILE)
    for key in ("model_sha256", "model_version"):
        if key not in manifest:
            raise ArtifactError(f"{directory / CONFIG_FILE} has no {key!r}")
    model_path = directory / manifest.get("model_file", MODEL_FILE)
    if not model_path.is_file():
        raise ArtifactError(f"model file {model_path} is missing")
    return manifest


def update_metrics(directory: Path, values: dict) -> dict:
    path = Path(directory) / METRICS_FILE
    metrics = read_json(path) if path.exists() else {}
    metrics.update(values)
    write_json(path, metrics)
    return metrics


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


def load_model(directory: Path | str, *, verify: bool = True):
    """Load an artifact's Keras model after checking its manifest; raises ArtifactError."""
    directory = Path(directory)
    manifest = read_manifest(directory)
    model_path = directory / manifest.get("model_file", MODEL_FILE)
    if verify and file_sha256(model_path) != manifest["model_sha256"]:
        raise ArtifactError(f"model file {model_path} does not match its manifest (truncated or replaced)")
    import keras

    import ml.models  # noqa: F401  (registers the custom layers and functions)
    import ml.text.preprocessing  # noqa: F401

    try:
        model = keras.saving.load_model(model_path, compile=False, safe_mode=True)
    except Exception as exc:  # Keras raises many types for a broken file; all mean the same here.
        raise ArtifactError(f"model file {model_path} cannot be loaded ({type(exc).__name__}: {exc})") from exc
    if manifest.get("member_artifacts"):
        model = _join_members(model, manifest, directory)
    vectorizer = vectorizer_of(model)
    expected = manifest.get("vocabulary_size")
    if vectorizer is not None and expected is not None and vectorizer.vocabulary_size() != expected:
        raise ArtifactError(
            f"vocabulary mismatch in {directory}: the model has {vectorizer.vocabulary_size()} tokens, "
            f"the manifest says {expected}"
        )
    return model, manifest


def _join_members(head, manifest: dict, directory: Path):
    """An ensemble artifact holds only its stacking head: join it to its members, the sibling artifact
    folders it was fit with (each checked against the sha256 recorded when it was fit)."""
    # Imported on first use: it loads TensorFlow, which the site must not import before gunicorn forks.
    from ml.models.common import logit_model, stacked_model

    members = []
    for reference in manifest["member_artifacts"]:
        member_directory = directory.parent / reference["name"]
        member, member_manifest = load_model(member_directory)
        if member_manifest["model_sha256"] != reference["model_sha256"]:
            raise ArtifactError(
                f"ensemble {directory} was fit with {reference['model_version']}, but {member_directory} "
                f"now holds {member_manifest['model_version']}; refit the ensemble"
            )
        members.append(logit_model(member, name=reference["name"]))
    return stacked_model(head.get_layer("logit_stack"), members, name=manifest["name"])


def serving_bytes(directory: Path | str) -> int:
    """Bytes of model files a process loads to serve this artifact: an ensemble's head and its members."""
    directory = Path(directory)
    manifest = read_manifest(directory)
    own = (directory / manifest.get("model_file", MODEL_FILE)).stat().st_size
    members = manifest.get("member_artifacts") or []
    return own + sum(serving_bytes(directory.parent / member["name"]) for member in members)


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


def list_artifacts(root: Path = ARTIFACTS_DIR) -> list[Path]:
    return sorted(p for p in Path(root).iterdir() if (p / CONFIG_FILE).is_file()) if Path(root).is_dir() else []
