"""The public one-sentence review sets (IMDB, Amazon, Yelp; Kotzias et al. 2015), for measuring only.

Nothing here may train, tune or choose a model: these texts were written by nobody on this project,
which is the point of measuring on them.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from ml.paths import SHARED_DATA

SETS = {"imdb": "imdb_labelled.txt", "amazon": "amazon_cells_labelled.txt", "yelp": "yelp_labelled.txt"}
DEFAULT_ROOT = SHARED_DATA / "sentences"


def sentences_root() -> Path | None:
    """$SENTENCES_DATA, else ../shared/data/sentences beside the project; None when neither is there."""
    root = Path(os.environ.get("SENTENCES_DATA") or DEFAULT_ROOT)
    return root if all((root / name).is_file() for name in SETS.values()) else None


def load_sentence_set(path: Path) -> tuple[list[str], np.ndarray]:
    """Lines of `sentence<TAB>label` (1 positive, 0 negative)."""
    texts, labels = [], []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        text, separator, label = line.rstrip().rpartition("\t")
        if not separator or label not in ("0", "1"):
            raise ValueError(f"{path}:{number}: expected 'sentence<TAB>0|1'")
        texts.append(text)
        labels.append(int(label))
    return texts, np.array(labels, dtype=np.int32)


def load_sentence_sets(root: Path | None = None) -> dict[str, tuple[list[str], np.ndarray]]:
    root = root or sentences_root()
    if root is None:
        return {}
    return {name: load_sentence_set(Path(root) / file) for name, file in SETS.items()}
