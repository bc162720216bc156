"""The Insights page's data: `python -m ml.exploration`'s insights.json and `ml.reporting.report`'s results.json."""

from __future__ import annotations

import functools
import json
import logging
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from django.conf import settings

from ml.inference.insights import Figure, Insights

logger = logging.getLogger(__name__)

MISSING = "—"


@dataclass(frozen=True)
class Exploration:
    """The exploration's typed result as `python -m ml.exploration` wrote it, and the figures on disk to show."""

    insights: Insights
    figures: dict[str, Figure]  # by key; a figure whose file is missing is left out, never a broken image


def static_root() -> Path:
    return Path(settings.BASE_DIR) / "static"


def insights_path() -> Path:
    return static_root() / "insights" / "insights.json"


def results_path() -> Path:
    return Path(settings.BASE_DIR) / "ml" / "results.json"


def load_exploration() -> Exploration | None:
    """The exploration's findings; None when insights.json is missing or not in the shape it is written in."""
    path = insights_path()
    stamp = _modified(path)
    return None if stamp is None else _load_exploration(path, stamp, static_root())


def load_model_results() -> dict | None:
    """The model comparison table and plot; None when results.json is missing or broken."""
    path = results_path()
    stamp = _modified(path)
    return None if stamp is None else _load_model_results(path, stamp, static_root())


def _modified(path: Path) -> int | None:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return None


def _read_json(path: Path):
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        logger.warning("Cannot read %s: %s", path, exc)
        return None


# Keyed by the file's modification time: a regenerated file is read again without a restart, and an
# unchanged one is parsed once per process.
@functools.lru_cache(maxsize=4)
def _load_exploration(path: Path, stamp: int, root: Path) -> Exploration | None:
    raw = _read_json(path)
    if raw is None:
        return None
    try:
        insights = Insights.from_dict(raw)
    except (KeyError, TypeError, ValueError) as exc:
        logger.warning("%s is not in the shape that python -m ml.exploration writes: %r", path, exc)
        return None
    return Exploration(insights, {figure.key: figure for figure in insights.figures if _static_file(root, figure.file)})


@functools.lru_cache(maxsize=4)
def _load_model_results(path: Path, stamp: int, root: Path) -> dict | None:
    raw = _read_json(path)
    try:
        return _shape_model_results(raw, root)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        logger.warning("%s is not in the shape that python -m ml.reporting.report writes: %r", path, exc)
        return None


def _static_file(root: Path, relative) -> str | None:
    """`relative` if it names a file under static/ (a missing figure is left out, never a broken image)."""
    if not isinstance(relative, str) or not relative:
        return None
    pure = PurePosixPath(relative)
    if pure.is_absolute() or ".." in pure.parts:
        return None
    return relative if (root / pure).is_file() else None


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def as_percent(value, digits: int = 1) -> str:
    """0.8734 -> "87.3%"; a value that is not a number (none recorded) reads as a dash."""
    return f"{value * 100:.{digits}f}%" if _is_number(value) else MISSING


def _decimal(value, digits: int) -> str:
    return f"{value:,.{digits}f}" if _is_number(value) else MISSING


def _with_unit(value, digits: int, unit: str, scale: float = 1.0) -> str:
    return f"{value * scale:,.{digits}f} {unit}" if _is_number(value) else MISSING


def _architecture(model: dict) -> str:
    """The model's kind. The default is trained as an "ensemble" of one member (that model behind a stacking
    layer that recalibrates it): it reads as what it is, the member, calibrated."""
    arch = str(model.get("arch") or MISSING)
    members = model.get("members")
    if arch == "ensemble" and isinstance(members, list) and len(members) == 1:
        return f"{members[0]}, calibrated"
    return arch


def _shape_model_results(raw, root: Path) -> dict:
    if not isinstance(raw, dict) or not isinstance(raw.get("models"), list):
        raise ValueError("no list of models")
    rows = []
    for model in raw["models"]:
        accuracy = model.get("test_accuracy")
        rows.append(
            {
                "name": str(model.get("name") or model.get("arch") or MISSING),
                "arch": _architecture(model),
                "accuracy": as_percent(accuracy, 2),
                "f1": _decimal(model.get("test_f1_macro"), 4),
                "roc_auc": _decimal(model.get("test_roc_auc"), 4),
                "train_time": _with_unit(model.get("train_seconds"), 0, "s"),
                "params": _decimal(model.get("params"), 0),
                "size": _with_unit(model.get("model_bytes"), 1, "MB", scale=1e-6),
                "latency": _with_unit(model.get("latency_ms"), 1, "ms"),
                "best": False,
                "_accuracy": accuracy if _is_number(accuracy) else None,
            }
        )
    scored = [row for row in rows if row["_accuracy"] is not None]
    if scored:
        max(scored, key=lambda row: row["_accuracy"])["best"] = True
    return {
        "models": rows,
        "plot": _static_file(root, raw.get("plot")),
        "calibration": _formatted_rows(raw.get("calibration"), CALIBRATION_FIELDS),
        "reliability_plot": _static_file(root, raw.get("reliability_plot")),
        "explanations": _explanation_rows(raw),
    }


# ml.reporting.calibration's fields (already formatted as text).
CALIBRATION_FIELDS = (
    "model",
    "fit",
    "accuracy",
    "ece",
    "brier",
    "log_loss",
    "short",
    "imdb",
    "amazon",
    "yelp",
    "bands",
)


def _formatted_rows(rows, fields: tuple[str, ...]) -> list[dict]:
    """Rows of ml.reporting.report's already-formatted text; rows of another shape are left out."""
    if not isinstance(rows, list):
        return []
    return [
        {f: row[f] for f in fields}
        for row in rows
        if isinstance(row, dict) and all(isinstance(row.get(f), str) for f in fields)
    ]


EXPLANATION_FIELDS = ("model", "method", "reviews", "aopc", "aopc_random", "ratio", "lexicon", "stop_words", "p50")


def _explanation_rows(raw: dict) -> list[dict]:
    """ml.reporting.report's rows of `python -m ml.evaluation.explanations` (already formatted); rows of another shape are left out."""
    rows = raw.get("explanations")
    if not isinstance(rows, list):
        return []
    return [
        {field: row[field] for field in EXPLANATION_FIELDS}
        for row in rows
        if isinstance(row, dict) and all(isinstance(row.get(field), (str, int)) for field in EXPLANATION_FIELDS)
    ]
