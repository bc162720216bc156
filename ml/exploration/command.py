"""`python -m ml.exploration`: read the IMDB reviews, compute the statistics, write the figures and insights.json."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

from ml.config import TrainConfig
from ml.data.imdb import EXPECTED_PER_SPLIT, DatasetError, load_imdb
from ml.exploration import figures as plots
from ml.exploration.corpus import Corpus, NgramCounts, encode, token_counts
from ml.exploration.statistics import (
    POLARIZING_METHOD,
    PRIOR_SIZE,
    length_summaries,
    ngram_tables,
    polarizing,
    split_counts,
    unlabelled_summary,
    vocabulary_coverage,
)
from ml.inference.insights import (
    Coverage,
    Dataset,
    Figure,
    Insights,
    Lengths,
    NgramTables,
    Polarizing,
    PolarTerms,
    Splits,
)
from ml.paths import STATIC_INSIGHTS
from ml.text.preprocessing import STOPWORDS, normalize

DEFAULT_OUT = STATIC_INSIGHTS
# Where the figures live for `{% static %}`: the output folder's path below static/.
STATIC_PREFIX = "insights"
WORDCLOUD_WORDS = 150
FIGURES = {
    "class_balance": ("class_balance.png", "Class balance and rating distribution, train and test"),
    "lengths": ("lengths.png", "Review length in tokens, per class, against max_length"),
    "coverage": ("coverage.png", "Vocabulary coverage against vocabulary size"),
    "ngrams": ("ngrams.png", "Most frequent n-grams, stopwords removed (negations kept)"),
    "ngrams_with_stopwords": ("ngrams_with_stopwords.png", "Most frequent n-grams with stopwords kept"),
    "polarizing": ("polarizing.png", "Most polarizing words and bigrams (z-scores)"),
    "wordcloud_positive": ("wordcloud_positive.png", "Words of positive reviews, sized by z-score"),
    "wordcloud_negative": ("wordcloud_negative.png", "Words of negative reviews, sized by z-score"),
}


class Progress:
    """Stage messages with the seconds elapsed, on stderr so that stdout stays for results."""

    def __init__(self, quiet: bool = False):
        self.started = time.perf_counter()
        self.quiet = quiet

    @property
    def elapsed(self) -> float:
        return time.perf_counter() - self.started

    def __call__(self, message: str) -> None:
        if not self.quiet:
            print(f"[{self.elapsed:6.1f}s] {message}", file=sys.stderr, flush=True)


def normalize_with_progress(texts: list[str], label: str, quiet: bool, chunk: int = 5_000) -> list[str]:
    from tqdm import tqdm

    out: list[str] = []
    with tqdm(total=len(texts), desc=f"normalising {label}", unit=" reviews", disable=quiet, file=sys.stderr) as bar:
        for start in range(0, len(texts), chunk):
            out.extend(normalize(texts[start : start + chunk]))
            bar.update(len(texts[start : start + chunk]))
    return out


def lengths_of(texts: list[str]) -> np.ndarray:
    return np.fromiter((len(text.split()) for text in texts), dtype=np.int64, count=len(texts))


def explore(
    data: str | Path | None,
    out: Path,
    *,
    expected_per_split: int = EXPECTED_PER_SPLIT,
    quiet: bool = False,
    config: TrainConfig | None = None,
) -> Insights:
    """Compute every statistic, write the figures and insights.json to `out`, return the insights."""

    config = config or TrainConfig()
    progress = Progress(quiet)
    out.mkdir(parents=True, exist_ok=True)
    progress("loading the IMDB reviews (train, test and unlabelled)")
    dataset = load_imdb(data, include_unsup=True, expected_per_split=expected_per_split)
    unsup_texts = dataset.unsup or []
    progress(f"loaded {len(dataset.train):,} train, {len(dataset.test):,} test, {len(unsup_texts):,} unlabelled")

    # The models' own normalisation (stopwords kept, as the default TrainConfig trains).
    train_texts = normalize_with_progress(dataset.train.texts, "train", quiet)
    test_texts = normalize_with_progress(dataset.test.texts, "test", quiet)
    unsup_normalized = normalize_with_progress(unsup_texts, "unlabelled", quiet) if unsup_texts else []

    progress("counting tokens and lengths")
    train = encode(train_texts)
    # Dropping stopword tokens is what normalize(remove_stopwords=True) means to do, done on ids.
    train_content = train.without(STOPWORDS)
    unsup_counts, unsup_lengths = token_counts(unsup_normalized), lengths_of(unsup_normalized)
    labels = dataset.train.labels
    splits = split_counts(dataset)
    lengths = length_summaries(train.lengths, labels, lengths_of(test_texts), unsup_lengths, config.max_length)

    progress("vocabulary coverage")
    coverage = vocabulary_coverage(train, unsup_counts, config.max_tokens)

    progress("n-grams (with and without stopwords)")
    ngrams, counted = ngram_tables(train, train_content, labels)

    progress("polarizing words and bigrams (log-odds, informative Dirichlet prior)")
    words, word_z_scores = polarizing(counted[1])
    bigrams, _ = polarizing(counted[2])

    unlabelled = None
    if unsup_normalized:
        progress("what sets the unlabelled reviews apart (log-odds against the training reviews)")
        unlabelled = unlabelled_summary(
            unsup_counts,
            reviews=len(unsup_normalized),
            lengths=lengths,
            train=train,
            test=token_counts(test_texts),
            model_words=coverage.model_words,
        )

    progress("figures")
    written = write_figures(
        out,
        splits=splits,
        lengths=lengths,
        train=train,
        labels=labels,
        unsup_lengths=unsup_lengths,
        coverage=coverage,
        ngrams=ngrams,
        polar={"words": words, "bigrams": bigrams},
        unigrams=counted[1],
        word_z_scores=word_z_scores,
    )
    insights = Insights(
        generated_by="python -m ml.exploration",
        seconds=round(progress.elapsed, 1),
        dataset=Dataset(source=Path(dataset.source).name, sha256=dataset.sha256),
        normalisation="ml.text.preprocessing.normalize (the models' own); stopword lists from ml.text.preprocessing",
        splits=splits,
        lengths=lengths,
        coverage=coverage,
        ngrams=ngrams,
        polarizing=Polarizing(POLARIZING_METHOD, PRIOR_SIZE, words, bigrams),
        unlabelled=unlabelled,
        figures=written,
    )
    insights.write(out / "insights.json")
    progress(f"wrote {len(insights.figures)} figures and insights.json to {out}")
    return insights


def write_figures(
    out: Path,
    *,
    splits: Splits,
    lengths: Lengths,
    train: Corpus,
    labels: np.ndarray,
    unsup_lengths: np.ndarray,
    coverage: Coverage,
    ngrams: NgramTables,
    polar: dict[str, PolarTerms],
    unigrams: NgramCounts,
    word_z_scores: np.ndarray,
) -> list[Figure]:
    """Draw every figure into `out`; returns those written, with their size in pixels."""
    plots.plot_balance(splits, out / FIGURES["class_balance"][0])
    plots.plot_lengths(
        {"positive": train.lengths[labels == 1], "negative": train.lengths[labels == 0], "unlabelled": unsup_lengths},
        lengths.train,
        lengths.max_length,
        out / FIGURES["lengths"][0],
    )
    plots.plot_coverage(
        coverage.sizes,
        coverage.train,
        coverage.max_tokens,
        coverage.coverage_at_max_tokens,
        coverage.unlabelled_with_train_vocabulary if len(unsup_lengths) else None,
        out / FIGURES["coverage"][0],
    )
    plots.plot_ngrams(
        ngrams.without_stopwords,
        "Most frequent n-grams in training reviews, stopwords removed (negations kept)",
        out / FIGURES["ngrams"][0],
    )
    plots.plot_ngrams(
        ngrams.with_stopwords,
        "With stopwords kept, the top n-grams say nothing about sentiment",
        out / FIGURES["ngrams_with_stopwords"][0],
        color="#9a9a9a",
    )
    plots.plot_polarizing(polar, out / FIGURES["polarizing"][0])
    for key, sign, hue, title in (
        ("wordcloud_positive", 1, 224, "Positive reviews"),
        ("wordcloud_negative", -1, 20, "Negative reviews"),
    ):
        scores = sign * word_z_scores
        chosen = [index for index in np.argsort(-scores, kind="stable")[:WORDCLOUD_WORDS] if scores[index] > 0]
        terms = unigrams.terms(np.array(chosen, dtype=np.int64))
        weights = {term: float(scores[index]) for term, index in zip(terms, chosen, strict=True)}
        if weights:
            plots.plot_wordcloud(weights, f"{title}: words sized by log-odds z-score", hue, out / FIGURES[key][0])
    return [
        Figure(key=key, file=f"{STATIC_PREFIX}/{file}", caption=caption, **plots.image_size(out / file))
        for key, (file, caption) in FIGURES.items()
        if (out / file).exists()
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m ml.exploration", description="Explore the IMDB reviews; write figures and insights.json."
    )
    parser.add_argument("--data", help="archive or extracted folder (default: $IMDB_DATA or the cache)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"output folder (default: {DEFAULT_OUT})")
    parser.add_argument("--expected-per-split", type=int, default=EXPECTED_PER_SPLIT, help=argparse.SUPPRESS)
    parser.add_argument("--quiet", action="store_true", help="no progress output")
    args = parser.parse_args(argv)
    try:
        insights = explore(args.data, args.out, expected_per_split=args.expected_per_split, quiet=args.quiet)
    except DatasetError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    coverage, lengths = insights.coverage, insights.lengths.train.all
    print(
        f"{insights.splits.train.reviews:,} training reviews: {lengths.share_within_max_length:.1%} fit in "
        f"{insights.lengths.max_length} tokens; {coverage.max_tokens:,} words cover "
        f"{coverage.coverage_at_max_tokens:.2%} of training tokens; done in {insights.seconds}s"
    )
    return 0
