"""The exploration's statistics: lengths, vocabulary coverage, frequent n-grams and polarizing words."""

from __future__ import annotations

from collections import Counter

import numpy as np

from ml.exploration.corpus import Corpus, NgramCounts, count_ngrams
from ml.inference.insights import (
    PERCENTILES,
    ClassLengths,
    Coverage,
    Distinctive,
    DistinctiveTerm,
    FrequentNgrams,
    GroupLengths,
    LabelledSplit,
    Lengths,
    LengthSummary,
    Milestone,
    NgramCount,
    NgramsByOrder,
    NgramTables,
    PolarTerm,
    PolarTerms,
    Splits,
    Unlabelled,
    UnlabelledSplit,
)
from ml.text.preprocessing import STOPWORDS

COVERAGE_MILESTONES = (1_000, 2_000, 5_000, 10_000, 20_000, 30_000, 50_000, 100_000)
TOP_NGRAMS = 20
TOP_POLARIZING = 25
NGRAM_NAMES = {1: "unigrams", 2: "bigrams", 3: "trigrams"}
# Words of lukewarm verdicts: if the unlabelled set held many 5-6 star reviews, they would stand out there.
NEUTRAL_PROBES = ("average", "ok", "okay", "decent", "mediocre", "fine", "5", "6")
# The prior is worth about 1,000 tokens (four reviews) spread by pooled frequency: it steadies rare
# words without flattening the log-odds of frequent ones (Monroe et al. 2008, section 3.5).
PRIOR_SIZE = 1_000.0
POLARIZING_METHOD = "log-odds ratio with an informative Dirichlet prior (Monroe, Colaresi & Quinn 2008)"
DISTINCTIVE_METHOD = "log-odds z-scores, unlabelled vs training reviews, stopwords removed"


def top_terms(ngrams: NgramCounts, counts: np.ndarray, k: int) -> list[NgramCount]:
    """The k n-grams with the highest `counts`, ties broken alphabetically."""
    nonzero = np.flatnonzero(counts > 0)
    if len(nonzero) > k:
        threshold = np.partition(counts[nonzero], -k)[-k]
        nonzero = nonzero[counts[nonzero] >= threshold]
    rows = sorted(zip(ngrams.terms(nonzero), counts[nonzero].tolist(), strict=True), key=lambda row: (-row[1], row[0]))
    return [NgramCount(term, int(count)) for term, count in rows[:k]]


def frequent_ngrams(ngrams: NgramCounts, k: int = TOP_NGRAMS) -> FrequentNgrams:
    return FrequentNgrams(
        all=top_terms(ngrams, ngrams.total, k),
        positive=top_terms(ngrams, ngrams.by_class[1], k),
        negative=top_terms(ngrams, ngrams.by_class[0], k),
    )


def log_odds_dirichlet(
    positive: np.ndarray, negative: np.ndarray, *, prior_size: float = PRIOR_SIZE
) -> tuple[np.ndarray, np.ndarray]:
    """Log-odds ratio (positive vs negative) with an informative Dirichlet prior, and its z-score.

    Monroe, Colaresi & Quinn (2008), "Fightin' Words", eq. 16-22: the prior alpha_w is the pooled
    frequency of w scaled to `prior_size` pseudo-counts; variance ~ 1/(y_pos+alpha) + 1/(y_neg+alpha).
    """
    positive = np.asarray(positive, dtype=np.float64)
    negative = np.asarray(negative, dtype=np.float64)
    pooled = positive + negative
    if pooled.sum() <= 0 or (pooled <= 0).any():
        raise ValueError("Every term needs at least one occurrence in the pooled counts.")
    alpha = prior_size * pooled / pooled.sum()
    alpha_total = alpha.sum()
    positive_total, negative_total = positive.sum(), negative.sum()
    delta = np.log((positive + alpha) / (positive_total + alpha_total - positive - alpha)) - np.log(
        (negative + alpha) / (negative_total + alpha_total - negative - alpha)
    )
    variance = 1.0 / (positive + alpha) + 1.0 / (negative + alpha)
    return delta, delta / np.sqrt(variance)


def polarizing(
    ngrams: NgramCounts, k: int = TOP_POLARIZING, *, prior_size: float = PRIOR_SIZE
) -> tuple[PolarTerms, np.ndarray]:
    """The k most positive and k most negative n-grams by z-score, and the z-score of every n-gram."""
    delta, z_scores = log_odds_dirichlet(ngrams.by_class[1], ngrams.by_class[0], prior_size=prior_size)

    def rows(indices):
        return [
            PolarTerm(
                term=term,
                log_odds=round(float(delta[index]), 4),
                z=round(float(z_scores[index]), 3),
                positive_count=int(ngrams.by_class[1, index]),
                negative_count=int(ngrams.by_class[0, index]),
            )
            for term, index in zip(ngrams.terms(indices), indices, strict=True)
        ]

    # Equal z-scores fall back to the code (frequency rank), on both sides, so the order is reproducible.
    most_positive = np.lexsort((ngrams.codes, -z_scores))[:k]
    most_negative = np.lexsort((ngrams.codes, z_scores))[:k]
    return PolarTerms(positive=rows(most_positive), negative=rows(most_negative)), z_scores


def percentiles(values: np.ndarray, max_length: int) -> LengthSummary:
    values = np.asarray(values)
    return LengthSummary(
        **{f"p{p}": int(round(float(np.percentile(values, p)))) for p in PERCENTILES},
        mean=round(float(values.mean()), 1),
        max=int(values.max()),
        share_within_max_length=round(float((values <= max_length).mean()), 4),
        token_share_kept=round(float(np.minimum(values, max_length).sum() / max(values.sum(), 1)), 4),
    )


def coverage_curve(counts: np.ndarray, sizes: list[int]) -> list[float]:
    """The share of all tokens that the `size` most frequent words cover, for each size."""
    ordered = np.sort(np.asarray(counts))[::-1]
    cumulative = np.concatenate([[0], np.cumsum(ordered)])
    total = max(cumulative[-1], 1)
    return [round(float(cumulative[min(size, len(ordered))] / total), 5) for size in sizes]


def distinctive_words(
    first: Counter, second: Counter, *, exclude: frozenset[str], k: int = 15, probes: tuple[str, ...] = ()
) -> tuple[list[DistinctiveTerm], list[DistinctiveTerm], list[DistinctiveTerm]]:
    """Words most typical of `first`, of `second` (log-odds z-scores), and the scores of `probes`."""
    words = sorted((set(first) | set(second)) - exclude)
    if not words:
        return [], [], []
    first_counts = np.array([first.get(word, 0) for word in words], dtype=np.int64)
    second_counts = np.array([second.get(word, 0) for word in words], dtype=np.int64)
    delta, z_scores = log_odds_dirichlet(first_counts, second_counts)

    def row(index):
        return DistinctiveTerm(
            term=words[index],
            z=round(float(z_scores[index]), 3),
            log_odds=round(float(delta[index]), 4),
            first_count=int(first_counts[index]),
            second_count=int(second_counts[index]),
        )

    order = np.argsort(-z_scores, kind="stable")
    position = {word: index for index, word in enumerate(words)}
    return (
        [row(index) for index in order[:k]],
        [row(index) for index in order[::-1][:k]],
        [row(position[word]) for word in probes if word in position],
    )


def out_of_vocabulary_rate(counts: Counter, vocabulary: set[str]) -> float:
    total = sum(counts.values())
    missing = sum(count for word, count in counts.items() if word not in vocabulary)
    return round(missing / max(total, 1), 5)


# ---------------------------------------------------------------------------------------------
# The sections of insights.json


def split_counts(dataset) -> Splits:
    """Reviews, classes and star ratings of the labelled splits; the number of unlabelled reviews."""

    def labelled(split) -> LabelledSplit:
        ratings, rating_counts = np.unique(split.ratings, return_counts=True)
        return LabelledSplit(
            reviews=len(split),
            positive=int(split.labels.sum()),
            negative=int(len(split) - split.labels.sum()),
            ratings={str(int(r)): int(c) for r, c in zip(ratings, rating_counts, strict=True)},
        )

    return Splits(labelled(dataset.train), labelled(dataset.test), UnlabelledSplit(len(dataset.unsup or [])))


def length_summaries(
    train: np.ndarray, labels: np.ndarray, test: np.ndarray, unlabelled: np.ndarray, max_length: int
) -> Lengths:
    return Lengths(
        max_length=max_length,
        percentiles=list(PERCENTILES),
        train=ClassLengths(
            all=percentiles(train, max_length),
            positive=percentiles(train[labels == 1], max_length),
            negative=percentiles(train[labels == 0], max_length),
        ),
        test=GroupLengths(percentiles(test, max_length)),
        unlabelled=GroupLengths(percentiles(unlabelled, max_length)) if len(unlabelled) else None,
    )


def vocabulary_coverage(train: Corpus, unlabelled: Counter, max_tokens: int) -> Coverage:
    """How much of the training (and unlabelled) tokens the most frequent training words cover."""
    # TextVectorization's max_tokens counts the padding and [UNK] entries: 2 fewer real words.
    model_words = max_tokens - 2
    sizes = sorted(
        {int(size) for size in np.geomspace(1_000, 100_000, 41).round()} | {max_tokens} | set(COVERAGE_MILESTONES)
    )
    in_train_order = np.array([unlabelled.get(word, 0) for word in train.vocabulary], dtype=np.int64)
    cumulative = np.concatenate([[0], np.cumsum(in_train_order)]) / max(sum(unlabelled.values()), 1)
    train_curve = coverage_curve(train.counts, sizes)
    unlabelled_curve = [round(float(cumulative[min(size, len(train.vocabulary))]), 5) for size in sizes]
    return Coverage(
        sizes=sizes,
        train=train_curve,
        unlabelled_with_train_vocabulary=unlabelled_curve,
        max_tokens=max_tokens,
        model_words=model_words,
        coverage_at_max_tokens=coverage_curve(train.counts, [model_words])[0],
        training_vocabulary_size=len(train.vocabulary),
        training_tokens=int(train.counts.sum()),
        count_of_last_model_word=int(train.counts[min(model_words, len(train.counts)) - 1]) if len(train.counts) else 0,
        words_seen_once=int((train.counts == 1).sum()),
        milestones=[
            Milestone(
                size=size,
                train=train_curve[sizes.index(size)],
                unlabelled=unlabelled_curve[sizes.index(size)] if unlabelled else None,
            )
            for size in COVERAGE_MILESTONES
        ],
    )


def ngram_tables(train: Corpus, content: Corpus, labels: np.ndarray) -> tuple[NgramTables, dict[int, NgramCounts]]:
    """The frequent n-grams with and without stopwords, and the stopword-free counts per order."""
    counted = {order: count_ngrams(content, labels, order) for order in NGRAM_NAMES}
    without = {name: frequent_ngrams(counted[order]) for order, name in NGRAM_NAMES.items()}
    with_stopwords = {name: frequent_ngrams(count_ngrams(train, labels, order)) for order, name in NGRAM_NAMES.items()}
    return NgramTables(NgramsByOrder(**without), NgramsByOrder(**with_stopwords)), counted


def unlabelled_summary(
    unlabelled: Counter, *, reviews: int, lengths: Lengths, train: Corpus, test: Counter, model_words: int
) -> Unlabelled:
    """How the unlabelled reviews compare with the labelled ones: length, vocabulary, distinctive words."""
    full_vocabulary = set(train.vocabulary)
    model_vocabulary = set(train.vocabulary[:model_words])
    train_counter = Counter(dict(zip(train.vocabulary, train.counts.tolist(), strict=True)))
    typical, labelled, probes = distinctive_words(unlabelled, train_counter, exclude=STOPWORDS, probes=NEUTRAL_PROBES)
    return Unlabelled(
        reviews=reviews,
        lengths=lengths.unlabelled.all,
        labelled_lengths=lengths.train.all,
        vocabulary_size=len(unlabelled),
        training_vocabulary_size=len(full_vocabulary),
        shared_vocabulary=sum(1 for word in unlabelled if word in full_vocabulary),
        tokens=int(sum(unlabelled.values())),
        oov_rate_training_vocabulary=out_of_vocabulary_rate(unlabelled, full_vocabulary),
        oov_rate_model_vocabulary=out_of_vocabulary_rate(unlabelled, model_vocabulary),
        test_oov_rate_training_vocabulary=out_of_vocabulary_rate(test, full_vocabulary),
        test_oov_rate_model_vocabulary=out_of_vocabulary_rate(test, model_vocabulary),
        distinctive=Distinctive(DISTINCTIVE_METHOD, typical, labelled, probes),
    )
