"""The labelled data: the IMDB archive (reviews, films, the film-grouped validation split), SST-2 phrases,
counterfactual review pairs, and the public sentence sets (measurement only)."""

from ml.data.imdb import (
    DatasetError,
    ImdbDataset,
    Split,
    grouped_validation_split,
    load_imdb,
    resolve_path,
    sha256_of,
    train_validation_split,
)

__all__ = [
    "DatasetError",
    "ImdbDataset",
    "Split",
    "grouped_validation_split",
    "load_imdb",
    "resolve_path",
    "sha256_of",
    "train_validation_split",
]
