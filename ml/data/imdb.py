"""Load the IMDB Large Movie Review Dataset (Maas et al. 2011) from its official archive or folder."""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import sys
import tarfile
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

OFFICIAL_URL = "https://ai.stanford.edu/~amaas/data/sentiment/aclImdb_v1.tar.gz"
ARCHIVE_NAME = "aclImdb_v1.tar.gz"
EXPECTED_PER_SPLIT = 25_000
CACHE_DIR = Path(os.environ.get("SENTISITE_CACHE", Path.home() / ".cache" / "sentisite"))
# <split>/<pos|neg|unsup>/<id>_<rating>.txt, under an optional top folder (aclImdb/). The unlabelled
# reviews exist only under train/ (the README): a test/unsup folder is not part of the dataset.
_MEMBER = re.compile(r"(?:^|/)(?:(train|test)/(pos|neg)|(train)/(unsup))/(\d+)_(\d+)\.txt$")
# <split>/urls_<pos|neg>.txt: line i is the IMDB page of the film that review i_*.txt is about.
_URLS = re.compile(r"(?:^|/)(train|test)/urls_(pos|neg)\.txt$")
_FILM = re.compile(r"/title/(tt\d+)/")


class DatasetError(Exception):
    """The dataset is missing, truncated or not the IMDB archive; the message names the path."""


@dataclass(frozen=True)
class Split:
    texts: list[str]
    labels: np.ndarray  # 1 = positive, 0 = negative
    ratings: np.ndarray  # the star rating from the file name: 1-4 negative, 7-10 positive
    films: np.ndarray | None = None  # the IMDB title id (e.g. "tt0453418") each review is about, when known

    def __len__(self) -> int:
        return len(self.texts)

    def subset(self, indices: np.ndarray) -> Split:
        films = self.films[indices] if self.films is not None else None
        return Split([self.texts[i] for i in indices], self.labels[indices], self.ratings[indices], films)


@dataclass(frozen=True)
class ImdbDataset:
    train: Split
    test: Split
    unsup: list[str] | None
    source: Path
    sha256: str | None


def sha256_of(path: Path) -> str:
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def download(url: str = OFFICIAL_URL, destination: Path | None = None) -> Path:
    """Keras' downloader (a progress bar, a partial file removed on failure) into the destination's folder."""
    # Imported here: Keras loads TensorFlow, which reading a local archive never needs.
    import keras

    destination = destination or CACHE_DIR / ARCHIVE_NAME
    destination.parent.mkdir(parents=True, exist_ok=True)
    try:
        fetched = keras.utils.get_file(destination.name, origin=url, cache_dir=destination.parent, cache_subdir=".")
    except Exception as exc:  # Keras re-raises a failed fetch as a bare Exception (after removing the partial file)
        raise OSError(f"download of {url} failed: {exc}") from exc
    return Path(fetched)


def resolve_path(path: str | Path | None = None, *, allow_download: bool = True) -> Path:
    """--data PATH, else $IMDB_DATA, else the cache folder, else download the official archive."""
    chosen = path or os.environ.get("IMDB_DATA")
    if chosen:
        chosen = Path(chosen).expanduser()
        if not chosen.exists():
            raise DatasetError(f"IMDB dataset not found at {chosen}")
        return chosen
    cached = CACHE_DIR / ARCHIVE_NAME
    if cached.exists():
        return cached
    if not allow_download:
        raise DatasetError(f"IMDB dataset not found at {cached} (set IMDB_DATA or pass --data)")
    try:
        return download(OFFICIAL_URL, cached)
    except OSError as exc:
        raise DatasetError(f"IMDB dataset not found at {cached} and download failed: {exc}") from exc


def _iter_archive(path: Path, include_unsup: bool):
    try:
        with tarfile.open(path, mode="r|gz") as archive:  # streamed: never extracted to disk
            for member in archive:
                match = _MEMBER.search(member.name) or _URLS.search(member.name)
                if not match or not member.isfile() or (match.re is _MEMBER and match[4] and not include_unsup):
                    continue
                handle = archive.extractfile(member)
                yield match, handle.read().decode("utf-8", errors="replace")
    except (tarfile.TarError, EOFError, OSError, zlib.error) as exc:
        raise DatasetError(f"IMDB archive at {path} is truncated or not a tar.gz ({exc})") from exc


def _iter_folder(path: Path, include_unsup: bool):
    root = path / "aclImdb" if (path / "aclImdb").is_dir() else path
    for file in sorted([*root.glob("*/urls_*.txt"), *root.glob("*/*/*.txt")]):
        relative = file.relative_to(root).as_posix()
        match = _MEMBER.search(relative) or _URLS.search(relative)
        if match and (match.re is _URLS or not match[4] or include_unsup):
            yield match, file.read_text(encoding="utf-8", errors="replace")


def load_imdb(
    path: str | Path | None = None, *, include_unsup: bool = False, expected_per_split: int = EXPECTED_PER_SPLIT
) -> ImdbDataset:
    """Texts, labels and ratings of the train and test splits (and the unlabelled reviews on request)."""
    source = resolve_path(path)
    rows: dict[str, list[tuple[int, int, int, str]]] = {"train": [], "test": []}
    unsup: list[tuple[int, str]] = []
    urls: dict[tuple[str, int], list[str]] = {}
    iterator = _iter_folder(source, include_unsup) if source.is_dir() else _iter_archive(source, include_unsup)
    for match, text in iterator:
        if match.re is _URLS:
            urls[(match[1], int(match[2] == "pos"))] = text.splitlines()
            continue
        review_id, rating = int(match[5]), int(match[6])
        if match[4]:
            unsup.append((review_id, text))
        else:
            rows[match[1]].append((int(match[2] == "pos"), review_id, rating, text))
    for split, found in rows.items():
        if len(found) != expected_per_split:
            raise DatasetError(
                f"IMDB dataset at {source} is incomplete or wrong: {len(found)} labelled {split} reviews, "
                f"expected {expected_per_split}"
            )
    splits = {}
    for split, found in rows.items():
        found.sort(key=lambda row: (row[0], row[1]))  # archive order varies; results must not
        splits[split] = Split(
            texts=[row[3] for row in found],
            labels=np.array([row[0] for row in found], dtype=np.int32),
            ratings=np.array([row[2] for row in found], dtype=np.int32),
            films=_films(found, split, urls),
        )
    unsup.sort()
    return ImdbDataset(
        train=splits["train"],
        test=splits["test"],
        unsup=[text for _, text in unsup] if include_unsup else None,
        source=source,
        sha256=sha256_of(source) if source.is_file() else None,
    )


def _films(
    rows: list[tuple[int, int, int, str]], split: str, urls: dict[tuple[str, int], list[str]]
) -> np.ndarray | None:
    """The film of each review, from <split>/urls_<label>.txt; None when those files are absent."""
    if (split, 0) not in urls or (split, 1) not in urls:
        return None
    films = []
    for label, review_id, _, _ in rows:
        lines = urls[(split, label)]
        if review_id >= len(lines):
            raise DatasetError(f"{split}/urls_{'pos' if label else 'neg'}.txt has no line for review {review_id}")
        found = _FILM.search(lines[review_id])
        films.append(found[1] if found else lines[review_id].strip())
    return np.array(films)


def grouped_validation_split(
    split: Split, *, validation_fraction: float = 0.1, seed: int = 1337
) -> tuple[Split, Split]:
    """A seeded validation split, stratified by label and grouped by film: no film has reviews on both
    sides, as between IMDB's own train and test sets (a random split shares films and is optimistic)."""
    from sklearn.model_selection import StratifiedGroupKFold

    if not 0 < validation_fraction < 1:
        raise ValueError(f"validation_fraction must be in (0, 1), got {validation_fraction}")
    if split.films is None:
        raise DatasetError("the reviews carry no film ids (the archive's urls_*.txt files are missing)")
    folds = StratifiedGroupKFold(n_splits=max(2, round(1 / validation_fraction)), shuffle=True, random_state=seed)
    train_indices, validation_indices = next(folds.split(np.zeros(len(split)), split.labels, groups=split.films))
    return split.subset(np.sort(train_indices)), split.subset(np.sort(validation_indices))


def train_validation_split(split: Split, *, validation_fraction: float = 0.1, seed: int = 1337) -> tuple[Split, Split]:
    """A seeded split stratified by label, taken from the training reviews only; random, so it shares
    films with training (grouped_validation_split is the honest one; this serves data without films)."""
    if not 0 < validation_fraction < 1:
        raise ValueError(f"validation_fraction must be in (0, 1), got {validation_fraction}")
    rng = np.random.default_rng(seed)
    validation = []
    for label in np.unique(split.labels):
        members = np.flatnonzero(split.labels == label)
        rng.shuffle(members)
        validation.extend(members[: int(round(len(members) * validation_fraction))])
    mask = np.zeros(len(split), dtype=bool)
    mask[validation] = True
    return split.subset(np.flatnonzero(~mask)), split.subset(np.flatnonzero(mask))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Check (and if needed download) the IMDB dataset.")
    parser.add_argument("--data", help="archive or extracted folder (default: $IMDB_DATA or the cache)")
    args = parser.parse_args(argv)
    try:
        dataset = load_imdb(args.data)
    except DatasetError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"{dataset.source}: {len(dataset.train)} train, {len(dataset.test)} test, sha256 {dataset.sha256}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
