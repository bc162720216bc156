"""The Insights page's data: `python -m ml.explore`'s insights.json and `ml.report`'s results.json."""

from __future__ import annotations

import functools
import json
import logging
from pathlib import Path, PurePosixPath

from django.conf import settings

logger = logging.getLogger(__name__)

REQUIRED_SECTIONS = ("splits", "lengths", "coverage", "ngrams", "polarizing", "figures")
NGRAM_ORDERS = (
    ("unigrams", "Words", "Word"),
    ("bigrams", "Two-word phrases", "Phrase"),
    ("trigrams", "Three-word phrases", "Phrase"),
)
LENGTH_ROWS = (
    (("train", "all"), "Training, all"),
    (("train", "positive"), "Training, positive"),
    (("train", "negative"), "Training, negative"),
    (("test", "all"), "Test, all"),
    (("unlabelled", "all"), "Unlabelled"),
)
MISSING = "—"


def static_root() -> Path:
    return Path(settings.BASE_DIR) / "static"


def insights_path() -> Path:
    return static_root() / "insights" / "insights.json"


def results_path() -> Path:
    return Path(settings.BASE_DIR) / "ml" / "results.json"


def load_insights() -> dict | None:
    """The exploration's findings shaped for the page; None when insights.json is missing or broken."""
    path = insights_path()
    stamp = _modified(path)
    return None if stamp is None else _load_insights(path, stamp, static_root())


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
def _load_insights(path: Path, stamp: int, root: Path) -> dict | None:
    raw = _read_json(path)
    try:
        return _shape_insights(raw, root)
    except (KeyError, TypeError, ValueError, AttributeError, IndexError) as exc:
        logger.warning("%s is not in the shape that python -m ml.explore writes: %r", path, exc)
        return None


@functools.lru_cache(maxsize=4)
def _load_model_results(path: Path, stamp: int, root: Path) -> dict | None:
    raw = _read_json(path)
    try:
        return _shape_model_results(raw, root)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        logger.warning("%s is not in the shape that python -m ml.report writes: %r", path, exc)
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


def _percent(value, digits: int = 1) -> str:
    return f"{value * 100:.{digits}f}%" if _is_number(value) else MISSING


def _decimal(value, digits: int) -> str:
    return f"{value:,.{digits}f}" if _is_number(value) else MISSING


def _with_unit(value, digits: int, unit: str, scale: float = 1.0) -> str:
    return f"{value * scale:,.{digits}f} {unit}" if _is_number(value) else MISSING


def _shape_insights(raw, root: Path) -> dict:
    if not isinstance(raw, dict) or any(section not in raw for section in REQUIRED_SECTIONS):
        raise ValueError("missing sections")
    splits, lengths, coverage = raw["splits"], raw["lengths"], raw["coverage"]
    max_length = lengths["max_length"]
    figures = {}
    for figure in raw["figures"]:
        file = _static_file(root, figure.get("file"))
        if file:
            figures[figure["key"]] = {**figure, "file": file}

    length_rows = []
    for (split, group), label in LENGTH_ROWS:
        summary = lengths.get(split, {}).get(group)
        if summary:
            length_rows.append(
                {
                    "label": label,
                    "values": [summary[f"p{p}"] for p in lengths["percentiles"]],
                    "mean": summary["mean"],
                    "within": _percent(summary["share_within_max_length"]),
                    "kept": _percent(summary["token_share_kept"]),
                }
            )

    unlabelled = raw.get("unlabelled") or {}
    distinctive = unlabelled.get("distinctive") or {}
    return {
        "seconds": raw.get("seconds"),
        "dataset": raw.get("dataset") or {},
        "figures": figures,
        "summary": {
            "train": splits["train"]["reviews"],
            "test": splits["test"]["reviews"],
            "unlabelled": splits.get("unlabelled", {}).get("reviews", 0),
            "max_length": max_length,
            "within_max_length": _percent(lengths["train"]["all"]["share_within_max_length"]),
            "median_length": lengths["train"]["all"]["p50"],
            "max_tokens": coverage["max_tokens"],
            "coverage_at_max_tokens": _percent(coverage["coverage_at_max_tokens"], 2),
            "vocabulary_size": coverage["training_vocabulary_size"],
            "words_seen_once": coverage.get("words_seen_once"),
            "count_of_last_model_word": coverage.get("count_of_last_model_word"),
        },
        "splits": [
            {"name": name, **{key: splits[key][name_key] for key in ("train", "test")}}
            for name, name_key in (("Reviews", "reviews"), ("Positive", "positive"), ("Negative", "negative"))
        ],
        "percentiles": lengths["percentiles"],
        "length_rows": length_rows,
        "coverage_rows": [
            {
                "size": row["size"],
                "train": _percent(row["train"], 2),
                "unlabelled": _percent(row.get("unlabelled"), 2),
                "is_model": row["size"] == coverage["max_tokens"],
            }
            for row in coverage.get("milestones", [])
        ],
        "ngram_tables": [
            {
                "key": key,
                "name": name,
                "term_label": term_label,
                "all": table["all"],
                "columns": [
                    {"title": "All reviews", "modifier": "", "rows": table["all"]},
                    {"title": "Positive reviews", "modifier": "positive", "rows": table["positive"]},
                    {"title": "Negative reviews", "modifier": "negative", "rows": table["negative"]},
                ],
            }
            for key, name, term_label in NGRAM_ORDERS
            if (table := raw["ngrams"]["without_stopwords"].get(key))
        ],
        "stopword_unigrams": raw["ngrams"].get("with_stopwords", {}).get("unigrams", {}).get("all", [])[:10],
        "polarizing": [
            {
                "name": name,
                "positive": raw["polarizing"][key]["positive"],
                "columns": [
                    {"title": "Most positive", "modifier": "positive", "rows": raw["polarizing"][key]["positive"]},
                    {"title": "Most negative", "modifier": "negative", "rows": raw["polarizing"][key]["negative"]},
                ],
            }
            for key, name in (("words", "Words"), ("bigrams", "Two-word phrases"))
        ],
        "prior_size": raw["polarizing"].get("prior_size"),
        "unlabelled": {
            **unlabelled,
            "oov_training": _percent(unlabelled.get("oov_rate_training_vocabulary"), 2),
            "oov_model": _percent(unlabelled.get("oov_rate_model_vocabulary"), 2),
            "test_oov_training": _percent(unlabelled.get("test_oov_rate_training_vocabulary"), 2),
            "test_oov_model": _percent(unlabelled.get("test_oov_rate_model_vocabulary"), 2),
            "within_max_length": _percent((unlabelled.get("lengths") or {}).get("share_within_max_length")),
            "distinctive_unlabelled": distinctive.get("unlabelled", []),
            "distinctive_labelled": distinctive.get("labelled", []),
            "neutral_probes": distinctive.get("neutral_probes", []),
        }
        if unlabelled
        else None,
    }


def _shape_model_results(raw, root: Path) -> dict:
    if not isinstance(raw, dict) or not isinstance(raw.get("models"), list):
        raise ValueError("no list of models")
    rows = []
    for model in raw["models"]:
        accuracy = model.get("test_accuracy")
        rows.append(
            {
                "name": str(model.get("name") or model.get("arch") or MISSING),
                "arch": str(model.get("arch") or MISSING),
                "accuracy": _percent(accuracy, 2),
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


# ml.calibration_report's fields (already formatted as text).
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
    """Rows of ml.report's already-formatted text; rows of another shape are left out."""
    if not isinstance(rows, list):
        return []
    return [
        {f: row[f] for f in fields}
        for row in rows
        if isinstance(row, dict) and all(isinstance(row.get(f), str) for f in fields)
    ]


EXPLANATION_FIELDS = ("model", "method", "reviews", "aopc", "aopc_random", "ratio", "lexicon", "stop_words", "p50")


def _explanation_rows(raw: dict) -> list[dict]:
    """ml.report's rows of `python -m ml.explain_eval` (already formatted); rows of another shape are left out."""
    rows = raw.get("explanations")
    if not isinstance(rows, list):
        return []
    return [
        {field: row[field] for field in EXPLANATION_FIELDS}
        for row in rows
        if isinstance(row, dict) and all(isinstance(row.get(field), (str, int)) for field in EXPLANATION_FIELDS)
    ]
