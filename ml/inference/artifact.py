"""Self-describing model artifacts: save, verify and load them, and wrap one for fast inference."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import zipfile
from datetime import UTC, datetime
from pathlib import Path

from ml import paths

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


def list_artifacts(root: Path = ARTIFACTS_DIR) -> list[Path]:
    return sorted(p for p in Path(root).iterdir() if (p / CONFIG_FILE).is_file()) if Path(root).is_dir() else []
