"""Reading the labelled text files of shared/data: found, checked against their SHA256SUMS, parsed."""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

from ml.data.imdb import DatasetError

CHECKSUMS = "SHA256SUMS"


def verified(path: Path) -> Path:
    """`path` when it exists and matches the sha256 its folder's SHA256SUMS records; else a DatasetError
    that names the path (a missing file, or one altered since it was published)."""
    if not path.is_file():
        raise DatasetError(f"{path} not found (see docs/data.md for where the labelled data sets live)")
    sums = path.parent / CHECKSUMS
    if not sums.is_file():
        raise DatasetError(f"{sums} not found: {path.name} cannot be checked")
    expected = {
        name.strip().lstrip("*"): digest
        for digest, _, name in (line.partition(" ") for line in sums.read_text(encoding="utf-8").splitlines())
        if name
    }
    if path.name not in expected:
        raise DatasetError(f"{sums} has no checksum for {path.name}")
    with open(path, "rb") as handle:
        actual = hashlib.file_digest(handle, "sha256").hexdigest()
    if actual != expected[path.name]:
        raise DatasetError(f"{path} does not match its checksum in {sums} (altered or truncated)")
    return path


def read_tsv(path: Path, columns: tuple[str, ...]) -> list[dict[str, str]]:
    """The rows of a tab-separated file with a header naming at least `columns` (no quoting: the texts
    hold quote marks of their own)."""
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        missing = set(columns) - set(reader.fieldnames or ())
        if missing:
            raise DatasetError(f"{path}: the header lacks {', '.join(sorted(missing))}")
        rows = list(reader)
    for number, row in enumerate(rows, start=2):
        if any(row.get(column) in (None, "") for column in columns):
            raise DatasetError(f"{path}:{number}: a row without {' or '.join(columns)}")
    return rows
