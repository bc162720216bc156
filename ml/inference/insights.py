"""The exploration's findings as typed records: `python -m ml.exploration` writes them to insights.json and
the Insights page reads them back as they are."""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from dataclasses import dataclass
from pathlib import Path

PERCENTILES = (50, 75, 90, 95, 99)


@dataclass(frozen=True)
class LabelledSplit:
    reviews: int
    positive: int
    negative: int
    ratings: dict[str, int]  # star rating ("1".."10") -> reviews


@dataclass(frozen=True)
class UnlabelledSplit:
    reviews: int


@dataclass(frozen=True)
class Splits:
    train: LabelledSplit
    test: LabelledSplit
    unlabelled: UnlabelledSplit


@dataclass(frozen=True)
class LengthSummary:
    """Tokens per review: the PERCENTILES, mean and max, and what a model reading max_length tokens sees."""

    p50: int
    p75: int
    p90: int
    p95: int
    p99: int
    mean: float
    max: int
    share_within_max_length: float
    # Head+tail truncation keeps max_length tokens of a long review: the share of all tokens seen.
    token_share_kept: float

    @property
    def values(self) -> tuple[int, ...]:
        return tuple(getattr(self, f"p{p}") for p in PERCENTILES)


@dataclass(frozen=True)
class ClassLengths:
    all: LengthSummary
    positive: LengthSummary
    negative: LengthSummary


@dataclass(frozen=True)
class GroupLengths:
    all: LengthSummary


@dataclass(frozen=True)
class Lengths:
    max_length: int
    percentiles: list[int]
    train: ClassLengths
    test: GroupLengths
    unlabelled: GroupLengths | None = None

    @property
    def table(self) -> list[tuple[str, LengthSummary]]:
        rows = [
            ("Training, all", self.train.all),
            ("Training, positive", self.train.positive),
            ("Training, negative", self.train.negative),
            ("Test, all", self.test.all),
        ]
        return rows + ([("Unlabelled", self.unlabelled.all)] if self.unlabelled else [])


@dataclass(frozen=True)
class Milestone:
    size: int
    train: float
    unlabelled: float | None


@dataclass(frozen=True)
class Coverage:
    """The share of tokens that the `size` most frequent training words cover, for each of `sizes`."""

    sizes: list[int]
    train: list[float]
    unlabelled_with_train_vocabulary: list[float]
    max_tokens: int
    model_words: int  # max_tokens less TextVectorization's padding and [UNK] entries
    coverage_at_max_tokens: float
    training_vocabulary_size: int
    training_tokens: int
    count_of_last_model_word: int  # how rare the last word that the model still knows is
    words_seen_once: int
    milestones: list[Milestone]


@dataclass(frozen=True)
class NgramCount:
    ngram: str
    count: int


@dataclass(frozen=True)
class FrequentNgrams:
    all: list[NgramCount]
    positive: list[NgramCount]
    negative: list[NgramCount]

    @property
    def columns(self) -> list[tuple[str, str, list[NgramCount]]]:
        """(title, modifier, rows) of the page's three tables."""
        return [
            ("All reviews", "", self.all),
            ("Positive reviews", "positive", self.positive),
            ("Negative reviews", "negative", self.negative),
        ]


@dataclass(frozen=True)
class NgramsByOrder:
    unigrams: FrequentNgrams
    bigrams: FrequentNgrams
    trigrams: FrequentNgrams

    @property
    def tables(self) -> list[tuple[str, str, FrequentNgrams]]:
        """(name, what one row is, tables) for each order."""
        return [
            ("Words", "Word", self.unigrams),
            ("Two-word phrases", "Phrase", self.bigrams),
            ("Three-word phrases", "Phrase", self.trigrams),
        ]


@dataclass(frozen=True)
class NgramTables:
    without_stopwords: NgramsByOrder
    with_stopwords: NgramsByOrder


@dataclass(frozen=True)
class PolarTerm:
    term: str
    log_odds: float
    z: float
    positive_count: int
    negative_count: int


@dataclass(frozen=True)
class PolarTerms:
    positive: list[PolarTerm]
    negative: list[PolarTerm]

    @property
    def columns(self) -> list[tuple[str, str, list[PolarTerm]]]:
        return [("Most positive", "positive", self.positive), ("Most negative", "negative", self.negative)]


@dataclass(frozen=True)
class Polarizing:
    method: str
    prior_size: float
    words: PolarTerms
    bigrams: PolarTerms

    @property
    def groups(self) -> list[tuple[str, PolarTerms]]:
        return [("Words", self.words), ("Two-word phrases", self.bigrams)]


@dataclass(frozen=True)
class DistinctiveTerm:
    """A word's log-odds of belonging to the first of two corpora rather than the second."""

    term: str
    z: float
    log_odds: float
    first_count: int
    second_count: int


@dataclass(frozen=True)
class Distinctive:
    method: str
    unlabelled: list[DistinctiveTerm]
    labelled: list[DistinctiveTerm]
    neutral_probes: list[DistinctiveTerm]


@dataclass(frozen=True)
class Unlabelled:
    reviews: int
    lengths: LengthSummary
    labelled_lengths: LengthSummary
    vocabulary_size: int
    training_vocabulary_size: int
    shared_vocabulary: int
    tokens: int
    oov_rate_training_vocabulary: float
    oov_rate_model_vocabulary: float
    # The same rates for the labelled test reviews, the yardstick for "different".
    test_oov_rate_training_vocabulary: float
    test_oov_rate_model_vocabulary: float
    distinctive: Distinctive


@dataclass(frozen=True)
class Figure:
    key: str
    file: str  # below static/
    caption: str
    width: int  # pixels, so that the page can reserve the space before the image loads
    height: int


@dataclass(frozen=True)
class Dataset:
    source: str
    sha256: str | None


@dataclass(frozen=True)
class Insights:
    generated_by: str
    seconds: float | None
    dataset: Dataset
    normalisation: str
    splits: Splits
    lengths: Lengths
    coverage: Coverage
    ngrams: NgramTables
    polarizing: Polarizing
    unlabelled: Unlabelled | None
    figures: list[Figure]

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)

    def write(self, path: Path) -> None:
        path.write_text(json.dumps(self.to_dict(), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")

    @classmethod
    def from_dict(cls, values) -> Insights:
        """Raises KeyError, TypeError or ValueError for anything not in the shape that `write` gives."""
        return _typed(cls, values)

    @classmethod
    def read(cls, path: Path) -> Insights:
        return cls.from_dict(json.loads(Path(path).read_text(encoding="utf-8")))


def _typed(kind, value):
    """`value` (parsed JSON) as `kind`, checked on the way: dataclasses, lists, dicts, optionals, scalars."""
    origin, arguments = typing.get_origin(kind), typing.get_args(kind)
    if dataclasses.is_dataclass(kind):
        if not isinstance(value, dict):
            raise TypeError(f"{kind.__name__} needs an object, got {type(value).__name__}")
        hints = typing.get_type_hints(kind)
        return kind(
            **{
                field.name: _typed(hints[field.name], value[field.name])
                for field in dataclasses.fields(kind)
                if field.name in value or field.default is dataclasses.MISSING
            }
        )
    if origin is types.UnionType:  # X | None; files written before the records wrote {} for "none"
        if value is None or value == {}:
            return None
        return _typed(next(argument for argument in arguments if argument is not type(None)), value)
    if origin is list:
        if not isinstance(value, list):
            raise TypeError(f"needs a list, got {type(value).__name__}")
        return [_typed(arguments[0], item) for item in value]
    if origin is dict:
        if not isinstance(value, dict):
            raise TypeError(f"needs an object, got {type(value).__name__}")
        return {str(key): _typed(arguments[1], item) for key, item in value.items()}
    accepted = (int, float) if kind is float else (kind,)
    if isinstance(value, bool) or not isinstance(value, accepted):
        raise TypeError(f"needs {kind.__name__}, got {value!r}")
    return value
