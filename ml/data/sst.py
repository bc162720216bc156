"""SST-2 (Socher et al. 2013, as GLUE distributes it): labelled movie-review phrases for training and
872 dev sentences for choosing. Its test split is kept out of this project on purpose."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from ml.data.files import read_tsv, verified
from ml.data.imdb import DatasetError, Split
from ml.paths import SHARED_DATA

SPLITS = {"train": "train.tsv", "dev": "dev.tsv"}


def sst_root() -> Path:
    """$SST2_DATA, else ../shared/data/sst2 beside the project."""
    return Path(os.environ.get("SST2_DATA") or SHARED_DATA / "sst2")


def load_sst2(split: str, root: Path | None = None) -> Split:
    """`train` (67,349 phrases and sentences) or `dev` (872 sentences), label 1 = positive; no rating."""
    if split not in SPLITS:
        raise DatasetError(
            f"SST-2 split must be one of {', '.join(SPLITS)}, not {split!r} (its test split is held out)"
        )
    rows = read_tsv(verified(Path(root or sst_root()) / SPLITS[split]), ("sentence", "label"))
    labels = np.array([_label(row["label"]) for row in rows], dtype=np.int32)
    return Split([row["sentence"].strip() for row in rows], labels, np.zeros(len(rows), dtype=np.int32))


def _label(value: str) -> int:
    if value not in ("0", "1"):
        raise DatasetError(f"SST-2 label must be 0 or 1, got {value!r}")
    return int(value)
