"""Explore the IMDB reviews: balance, lengths, vocabulary coverage, n-grams and polarizing words."""

from __future__ import annotations

import argparse
import itertools
import json
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ml.config import TrainConfig
from ml.data import EXPECTED_PER_SPLIT, DatasetError, load_imdb

DEFAULT_OUT = Path(__file__).resolve().parent.parent / "static" / "insights"
# Where the figures live for `{% static %}`: the output folder's path below static/.
STATIC_PREFIX = "insights"
PERCENTILES = (50, 75, 90, 95, 99)
COVERAGE_MILESTONES = (1_000, 2_000, 5_000, 10_000, 20_000, 30_000, 50_000, 100_000)
TOP_NGRAMS = 20
TOP_POLARIZING = 25
WORDCLOUD_WORDS = 150
NGRAM_NAMES = {1: "unigrams", 2: "bigrams", 3: "trigrams"}
# Words of lukewarm verdicts: if the unlabelled set held many 5-6 star reviews, they would stand out there.
NEUTRAL_PROBES = ("average", "ok", "okay", "decent", "mediocre", "fine", "5", "6")
# The prior is worth about 1,000 tokens (four reviews) spread by pooled frequency: it steadies rare
# words without flattening the log-odds of frequent ones (Monroe et al. 2008, section 3.5).
PRIOR_SIZE = 1_000.0
POSITIVE_COLOR = "#1b7f6b"
NEGATIVE_COLOR = "#c8553d"
UNLABELLED_COLOR = "#7a7a7a"
FIGURE_DPI = 110


@dataclass(frozen=True)
class Corpus:
    """The tokens of many texts as ids, concatenated, with the text that each token comes from."""

    ids: np.ndarray  # int64 token ids; id = frequency rank (0 = most frequent)
    document: np.ndarray  # the index of each token's text
    vocabulary: list[str]  # most frequent first
    counts: np.ndarray  # occurrences of each vocabulary entry
    lengths: np.ndarray  # tokens per text

    def without(self, words: frozenset[str]) -> Corpus:
        """The same texts with `words` dropped, so the n-grams join their neighbours, as removal does."""
        dropped = np.array([index for index, word in enumerate(self.vocabulary) if word in words], dtype=np.int64)
        keep = ~np.isin(self.ids, dropped)
        counts = self.counts.copy()
        counts[dropped] = 0
        lengths = np.bincount(self.document[keep], minlength=len(self.lengths))
        return Corpus(self.ids[keep], self.document[keep], self.vocabulary, counts, lengths)


@dataclass(frozen=True)
class NgramCounts:
    """How often each n-gram occurs in negative (row 0) and positive (row 1) texts."""

    order: int
    codes: np.ndarray  # each n-gram's ids packed into one int64, sorted
    by_class: np.ndarray  # shape (2, len(codes))
    vocabulary: list[str]

    @property
    def total(self) -> np.ndarray:
        return self.by_class.sum(axis=0)

    def terms(self, indices: np.ndarray) -> list[str]:
        size = len(self.vocabulary)
        codes = self.codes[indices].copy()
        parts = []
        for _ in range(self.order):
            codes, last = np.divmod(codes, size)
            parts.append(last)
        return [" ".join(self.vocabulary[part[row]] for part in reversed(parts)) for row in range(len(indices))]


def encode(texts: list[str]) -> Corpus:
    """Split normalised texts on spaces and number their tokens by descending frequency."""
    tokenized = [text.split() for text in texts]
    lengths = np.fromiter(map(len, tokenized), dtype=np.int64, count=len(tokenized))
    counter = Counter(itertools.chain.from_iterable(tokenized))
    # Ties in frequency are broken alphabetically so that ids (and every table) are reproducible.
    ranked = sorted(counter.items(), key=lambda item: (-item[1], item[0]))
    vocabulary = [word for word, _ in ranked]
    index = {word: rank for rank, word in enumerate(vocabulary)}
    ids = np.fromiter(
        map(index.__getitem__, itertools.chain.from_iterable(tokenized)), dtype=np.int64, count=int(lengths.sum())
    )
    document = np.repeat(np.arange(len(texts), dtype=np.int64), lengths)
    counts = np.array([count for _, count in ranked], dtype=np.int64)
    return Corpus(ids, document, vocabulary, counts, lengths)


def count_ngrams(corpus: Corpus, labels: np.ndarray, order: int) -> NgramCounts:
    """Count every n-gram of `order` tokens inside one text (never across two), per class."""
    size = max(len(corpus.vocabulary), 1)
    if size**order >= 2**63:
        raise ValueError(f"A vocabulary of {size} words is too large to pack {order}-grams into int64.")
    starts = len(corpus.ids) - order + 1
    if starts <= 0:
        return NgramCounts(order, np.zeros(0, np.int64), np.zeros((2, 0), np.int64), corpus.vocabulary)
    codes = np.zeros(starts, dtype=np.int64)
    for offset in range(order):
        codes = codes * size + corpus.ids[offset : offset + starts]
    inside_one_text = corpus.document[:starts] == corpus.document[order - 1 :]
    codes = codes[inside_one_text]
    classes = np.asarray(labels)[corpus.document[:starts][inside_one_text]]
    unique, inverse = np.unique(codes, return_inverse=True)
    by_class = np.stack([np.bincount(inverse[classes == label], minlength=len(unique)) for label in (0, 1)])
    return NgramCounts(order, unique, by_class.astype(np.int64), corpus.vocabulary)


def top_terms(ngrams: NgramCounts, counts: np.ndarray, k: int) -> list[dict]:
    """The k n-grams with the highest `counts`, ties broken alphabetically."""
    nonzero = np.flatnonzero(counts > 0)
    if len(nonzero) > k:
        threshold = np.partition(counts[nonzero], -k)[-k]
        nonzero = nonzero[counts[nonzero] >= threshold]
    rows = sorted(zip(ngrams.terms(nonzero), counts[nonzero].tolist(), strict=True), key=lambda row: (-row[1], row[0]))
    return [{"ngram": term, "count": int(count)} for term, count in rows[:k]]


def frequent_ngrams(ngrams: NgramCounts, k: int = TOP_NGRAMS) -> dict[str, list[dict]]:
    return {
        "all": top_terms(ngrams, ngrams.total, k),
        "positive": top_terms(ngrams, ngrams.by_class[1], k),
        "negative": top_terms(ngrams, ngrams.by_class[0], k),
    }


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


def polarizing(ngrams: NgramCounts, k: int = TOP_POLARIZING, *, prior_size: float = PRIOR_SIZE) -> dict:
    """The k most positive and k most negative n-grams by z-score, and the z-score of every n-gram."""
    delta, z_scores = log_odds_dirichlet(ngrams.by_class[1], ngrams.by_class[0], prior_size=prior_size)

    def rows(indices):
        return [
            {
                "term": term,
                "log_odds": round(float(delta[index]), 4),
                "z": round(float(z_scores[index]), 3),
                "positive_count": int(ngrams.by_class[1, index]),
                "negative_count": int(ngrams.by_class[0, index]),
            }
            for term, index in zip(ngrams.terms(indices), indices, strict=True)
        ]

    # Equal z-scores fall back to the code (frequency rank), on both sides, so the order is reproducible.
    most_positive = np.lexsort((ngrams.codes, -z_scores))[:k]
    most_negative = np.lexsort((ngrams.codes, z_scores))[:k]
    return {"positive": rows(most_positive), "negative": rows(most_negative), "z_scores": z_scores}


def percentiles(values: np.ndarray, max_length: int) -> dict:
    values = np.asarray(values)
    summary = {f"p{p}": int(round(float(np.percentile(values, p)))) for p in PERCENTILES}
    summary["mean"] = round(float(values.mean()), 1)
    summary["max"] = int(values.max())
    summary["share_within_max_length"] = round(float((values <= max_length).mean()), 4)
    # Head+tail truncation keeps max_length tokens of a long review: the share of all tokens seen.
    summary["token_share_kept"] = round(float(np.minimum(values, max_length).sum() / max(values.sum(), 1)), 4)
    return summary


def coverage_curve(counts: np.ndarray, sizes: list[int]) -> list[float]:
    """The share of all tokens that the `size` most frequent words cover, for each size."""
    ordered = np.sort(np.asarray(counts))[::-1]
    cumulative = np.concatenate([[0], np.cumsum(ordered)])
    total = max(cumulative[-1], 1)
    return [round(float(cumulative[min(size, len(ordered))] / total), 5) for size in sizes]


def token_counts(texts: list[str]) -> Counter:
    return Counter(itertools.chain.from_iterable(map(str.split, texts)))


def distinctive_words(
    first: Counter, second: Counter, *, exclude: frozenset[str], k: int = 15, probes: tuple[str, ...] = ()
) -> dict:
    """Words most typical of `first` and of `second` (log-odds z-scores), and the scores of `probes`."""
    words = sorted((set(first) | set(second)) - exclude)
    if not words:
        return {"first": [], "second": [], "probes": []}
    first_counts = np.array([first.get(word, 0) for word in words], dtype=np.int64)
    second_counts = np.array([second.get(word, 0) for word in words], dtype=np.int64)
    delta, z_scores = log_odds_dirichlet(first_counts, second_counts)

    def row(index):
        return {
            "term": words[index],
            "z": round(float(z_scores[index]), 3),
            "log_odds": round(float(delta[index]), 4),
            "first_count": int(first_counts[index]),
            "second_count": int(second_counts[index]),
        }

    order = np.argsort(-z_scores, kind="stable")
    position = {word: index for index, word in enumerate(words)}
    return {
        "first": [row(index) for index in order[:k]],
        "second": [row(index) for index in order[::-1][:k]],
        "probes": [row(position[word]) for word in probes if word in position],
    }


def out_of_vocabulary_rate(counts: Counter, vocabulary: set[str]) -> float:
    total = sum(counts.values())
    missing = sum(count for word, count in counts.items() if word not in vocabulary)
    return round(missing / max(total, 1), 5)


# ---------------------------------------------------------------------------------------------
# Figures


def _style():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update(
        {
            "figure.dpi": FIGURE_DPI,
            "savefig.dpi": FIGURE_DPI,
            # Sized for the page's ~900 px column, where the figures are shown at about 2/3 scale.
            "font.size": 12.5,
            "axes.titlesize": 14,
            "axes.titleweight": "bold",
            "axes.labelsize": 12.5,
            "xtick.labelsize": 11.5,
            "ytick.labelsize": 11.5,
            "legend.fontsize": 11.5,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.grid": True,
            "grid.color": "#e4e4e4",
            "grid.linewidth": 0.8,
            "axes.axisbelow": True,
            "legend.frameon": False,
            "figure.titlesize": 16,
            "figure.titleweight": "bold",
        }
    )
    return plt


def _save(figure, path: Path) -> None:
    figure.savefig(path, bbox_inches="tight", facecolor="white")
    import matplotlib.pyplot as plt

    plt.close(figure)


def plot_balance(splits: dict, path: Path) -> None:
    plt = _style()
    figure, (balance_axis, rating_axis) = plt.subplots(1, 2, figsize=(12, 4.6), gridspec_kw={"width_ratios": [1, 2.2]})
    names = ["train", "test"]
    positions = np.arange(len(names))
    width = 0.38
    for offset, (key, label, color) in enumerate(
        [("negative", "negative", NEGATIVE_COLOR), ("positive", "positive", POSITIVE_COLOR)]
    ):
        values = [splits[name][key] for name in names]
        bars = balance_axis.bar(positions + (offset - 0.5) * width, values, width, label=label, color=color)
        balance_axis.bar_label(bars, labels=[f"{value:,}" for value in values], padding=2, fontsize=11)
    balance_axis.set_xticks(positions, names)
    balance_axis.set_ylabel("reviews")
    balance_axis.set_title("Class balance")
    balance_axis.legend(loc="lower center", ncols=2, bbox_to_anchor=(0.5, -0.28))
    balance_axis.set_ylim(0, max(splits[name]["reviews"] for name in names) * 0.62)
    for axis in (balance_axis, rating_axis):
        axis.yaxis.set_major_formatter(plt.FuncFormatter(lambda value, _: f"{value:,.0f}"))

    ratings = np.arange(1, 11)
    for offset, (name, color) in enumerate([("train", "#4c6a92"), ("test", "#a3b8d4")]):
        values = [splits[name]["ratings"].get(str(rating), 0) for rating in ratings]
        rating_axis.bar(ratings + (offset - 0.5) * width, values, width, label=name, color=color)
    rating_axis.axvspan(4.5, 6.5, color="#f3f3f3", zorder=0)
    rating_axis.text(
        5.5,
        rating_axis.get_ylim()[1] * 0.5,
        "5–6: neutral,\nnot in the\nlabelled set",
        ha="center",
        va="center",
        fontsize=11,
        color="#555555",
    )
    rating_axis.set_xticks(ratings)
    rating_axis.set_xlabel("star rating (1–4 → negative, 7–10 → positive)")
    rating_axis.set_ylabel("reviews")
    rating_axis.set_title("Rating distribution")
    rating_axis.legend()
    figure.suptitle("IMDB reviews: balanced classes, polarized ratings")
    figure.tight_layout()
    _save(figure, path)


def plot_lengths(lengths: dict[str, np.ndarray], summaries: dict, max_length: int, path: Path) -> None:
    plt = _style()
    figure, (histogram_axis, cumulative_axis) = plt.subplots(1, 2, figsize=(12.5, 4.8))
    # IMDB capped reviews at 1,000 words, so almost nothing lies beyond; the rest is piled on the edge.
    limit = 1_100
    bins = np.arange(0, limit + 25, 25)
    for key, label, color in [("negative", "negative", NEGATIVE_COLOR), ("positive", "positive", POSITIVE_COLOR)]:
        histogram_axis.hist(
            np.minimum(lengths[key], limit),
            bins=bins,
            histtype="step",
            linewidth=1.8,
            color=color,
            label=f"{label} (median {summaries[key]['p50']}, p95 {summaries[key]['p95']})",
        )
    histogram_axis.axvline(max_length, color="#222222", linestyle="--", linewidth=1.2)
    histogram_axis.text(max_length + 15, histogram_axis.get_ylim()[1] * 0.92, f"max_length = {max_length}", fontsize=11)
    histogram_axis.set_xlabel(f"tokens per review (training set; ≥ {limit:,} shown at {limit:,})")
    histogram_axis.set_ylabel("reviews")
    histogram_axis.set_title("Review length by class")
    histogram_axis.legend(loc="upper right", bbox_to_anchor=(1.0, 0.85))

    for key, label, color in [
        ("negative", "train negative", NEGATIVE_COLOR),
        ("positive", "train positive", POSITIVE_COLOR),
        ("unlabelled", "unlabelled", UNLABELLED_COLOR),
    ]:
        if not len(lengths[key]):
            continue
        values = np.sort(lengths[key])
        cumulative_axis.plot(values, np.arange(1, len(values) + 1) / len(values), color=color, linewidth=2, label=label)
    share = summaries["all"]["share_within_max_length"]
    cumulative_axis.axvline(max_length, color="#222222", linestyle="--", linewidth=1.2)
    cumulative_axis.axhline(share, color="#222222", linestyle=":", linewidth=1)
    cumulative_axis.annotate(
        f"{share:.1%} of training reviews\nfit in {max_length} tokens",
        (max_length, share),
        textcoords="axes fraction",
        xytext=(0.38, 0.5),
        fontsize=12,
        arrowprops={"arrowstyle": "->", "color": "#222222"},
    )
    for p in (90, 95, 99):
        value = summaries["all"][f"p{p}"]
        cumulative_axis.plot([value], [p / 100], marker="o", color="#222222", markersize=4)
        cumulative_axis.annotate(
            f"p{p} = {value}", (value, p / 100), textcoords="offset points", xytext=(6, -14), fontsize=11
        )
    cumulative_axis.set_xlim(0, limit + 100)
    cumulative_axis.set_ylim(0, 1.02)
    cumulative_axis.set_xlabel("tokens per review")
    cumulative_axis.set_ylabel("share of reviews at most this long")
    cumulative_axis.set_title("Cumulative length distribution")
    cumulative_axis.legend(loc="lower right")
    figure.tight_layout()
    _save(figure, path)


def plot_coverage(
    sizes: list[int],
    coverage: list[float],
    max_tokens: int,
    at_max_tokens: float,
    unlabelled: list[float] | None,
    path: Path,
) -> None:
    plt = _style()
    figure, axis = plt.subplots(figsize=(11, 5))
    axis.plot(sizes, coverage, color="#4c6a92", linewidth=2.2, label="training tokens (25k labelled reviews)")
    if unlabelled:
        axis.plot(
            sizes,
            unlabelled,
            color=UNLABELLED_COLOR,
            linewidth=1.6,
            linestyle="--",
            label="unlabelled tokens, training vocabulary",
        )
    axis.set_xscale("log")
    axis.axvline(max_tokens, color="#222222", linestyle="--", linewidth=1.2)
    axis.plot([max_tokens], [at_max_tokens], marker="o", color="#222222")
    axis.annotate(
        f"max_tokens = {max_tokens:,}: {at_max_tokens:.2%} of training tokens",
        (max_tokens, at_max_tokens),
        textcoords="axes fraction",
        xytext=(0.42, 0.3),
        fontsize=12,
        arrowprops={"arrowstyle": "->", "color": "#222222"},
    )
    axis.set_xlim(sizes[0], sizes[-1])
    axis.set_ylim(min(coverage + (unlabelled or [])) - 0.01, 1.0)
    axis.yaxis.set_major_formatter(plt.FuncFormatter(lambda value, _: f"{value:.0%}"))
    axis.xaxis.set_major_formatter(plt.FuncFormatter(lambda value, _: f"{value:,.0f}"))
    axis.set_xlabel("vocabulary size (most frequent words kept; log scale)")
    axis.set_ylabel("tokens covered")
    axis.set_title("Vocabulary coverage: how many tokens the top-N words account for")
    axis.legend(loc="lower right")
    figure.tight_layout()
    _save(figure, path)


def plot_ngrams(tables: dict[str, dict], title: str, path: Path, color: str = "#4c6a92") -> None:
    plt = _style()
    figure, axes = plt.subplots(1, 3, figsize=(13, 6.2))
    for axis, (name, table) in zip(axes, tables.items(), strict=True):
        rows = table["all"][::-1]
        axis.barh([row["ngram"] for row in rows], [row["count"] for row in rows], color=color)
        axis.set_title(name)
        axis.set_xlabel("occurrences in training reviews")
        axis.grid(axis="y", visible=False)
        axis.tick_params(axis="y", labelsize=11.5)
        axis.xaxis.set_major_formatter(plt.FuncFormatter(lambda value, _: f"{value:,.0f}"))
        axis.xaxis.set_major_locator(plt.MaxNLocator(4))
    figure.suptitle(title)
    figure.tight_layout()
    _save(figure, path)


def plot_polarizing(tables: dict[str, dict], path: Path) -> None:
    plt = _style()
    figure, axes = plt.subplots(1, 2, figsize=(13, 11))
    for axis, (name, table) in zip(axes, tables.items(), strict=True):
        # Bars run bottom-up: most negative at the bottom, most positive at the top.
        rows = table["negative"] + table["positive"][::-1]
        values = [row["z"] for row in rows]
        colors = [POSITIVE_COLOR if value > 0 else NEGATIVE_COLOR for value in values]
        axis.barh(np.arange(len(rows)), values, color=colors)
        axis.set_yticks(np.arange(len(rows)), [row["term"] for row in rows], fontsize=11)
        axis.axvline(0, color="#222222", linewidth=0.8)
        axis.set_ylim(-0.7, len(rows) - 0.3)
        axis.grid(axis="y", visible=False)
        axis.set_xlabel("z-score of the log-odds ratio (← negative · positive →)")
        axis.set_title(f"Most polarizing {name}")
    figure.suptitle("Fightin' words: log-odds with an informative Dirichlet prior (training reviews)")
    figure.tight_layout()
    _save(figure, path)


def plot_wordcloud(weights: dict[str, float], title: str, hue: int, path: Path) -> None:
    from wordcloud import WordCloud

    plt = _style()

    def color(word, font_size, position, orientation, random_state=None, **kwargs):
        # One hue, dark enough to read on white; the lightness varies so neighbours stand apart.
        return f"hsl({hue}, 70%, {random_state.randint(24, 44)}%)"

    cloud = WordCloud(
        width=1200,
        height=560,
        background_color="white",
        max_words=len(weights),
        prefer_horizontal=0.92,
        relative_scaling=0.45,
        margin=4,
        random_state=7,
        color_func=color,
    ).generate_from_frequencies(weights)
    figure, axis = plt.subplots(figsize=(1200 / FIGURE_DPI, 640 / FIGURE_DPI))
    axis.imshow(cloud.to_array(), interpolation="bilinear")
    axis.axis("off")
    axis.set_title(title)
    figure.tight_layout()
    _save(figure, path)


# ---------------------------------------------------------------------------------------------
# The command


def image_size(path: Path) -> dict[str, int]:
    """Width and height in pixels, so that the page can reserve the space before the image loads."""
    from PIL import Image

    with Image.open(path) as image:
        return {"width": image.width, "height": image.height}


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

    from ml.preprocessing import normalize

    out: list[str] = []
    with tqdm(total=len(texts), desc=f"normalising {label}", unit=" reviews", disable=quiet, file=sys.stderr) as bar:
        for start in range(0, len(texts), chunk):
            out.extend(normalize(texts[start : start + chunk]))
            bar.update(len(texts[start : start + chunk]))
    return out


def explore(
    data: str | Path | None,
    out: Path,
    *,
    expected_per_split: int = EXPECTED_PER_SPLIT,
    quiet: bool = False,
    config: TrainConfig | None = None,
) -> dict:
    """Compute every statistic, write the figures and insights.json to `out`, return the insights."""
    from ml.preprocessing import STOPWORDS

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
    test_lengths = np.fromiter((len(text.split()) for text in test_texts), dtype=np.int64, count=len(test_texts))
    unsup_counts = token_counts(unsup_normalized)
    unsup_lengths = np.fromiter(
        (len(text.split()) for text in unsup_normalized), dtype=np.int64, count=len(unsup_normalized)
    )
    test_counts = token_counts(test_texts)
    labels = dataset.train.labels

    splits = {}
    for name, split in (("train", dataset.train), ("test", dataset.test)):
        ratings, rating_counts = np.unique(split.ratings, return_counts=True)
        splits[name] = {
            "reviews": len(split),
            "positive": int(split.labels.sum()),
            "negative": int(len(split) - split.labels.sum()),
            "ratings": {str(int(r)): int(c) for r, c in zip(ratings, rating_counts, strict=True)},
        }
    splits["unlabelled"] = {"reviews": len(unsup_texts)}

    max_length = config.max_length
    lengths = {
        "max_length": max_length,
        "percentiles": list(PERCENTILES),
        "train": {
            "all": percentiles(train.lengths, max_length),
            "positive": percentiles(train.lengths[labels == 1], max_length),
            "negative": percentiles(train.lengths[labels == 0], max_length),
        },
        "test": {"all": percentiles(test_lengths, max_length)},
    }
    if len(unsup_lengths):
        lengths["unlabelled"] = {"all": percentiles(unsup_lengths, max_length)}

    progress("vocabulary coverage")
    # TextVectorization's max_tokens counts the padding and [UNK] entries: 2 fewer real words.
    model_words = config.max_tokens - 2
    sizes = sorted(
        {int(size) for size in np.geomspace(1_000, 100_000, 41).round()}
        | {config.max_tokens}
        | set(COVERAGE_MILESTONES)
    )
    model_vocabulary = set(train.vocabulary[:model_words])
    full_vocabulary = set(train.vocabulary)
    unsup_in_train_order = np.array([unsup_counts.get(word, 0) for word in train.vocabulary], dtype=np.int64)
    unsup_total = max(sum(unsup_counts.values()), 1)
    unsup_cumulative = np.concatenate([[0], np.cumsum(unsup_in_train_order)]) / unsup_total
    coverage = {
        "sizes": sizes,
        "train": coverage_curve(train.counts, sizes),
        "unlabelled_with_train_vocabulary": [
            round(float(unsup_cumulative[min(size, len(train.vocabulary))]), 5) for size in sizes
        ],
        "max_tokens": config.max_tokens,
        "model_words": model_words,
        "coverage_at_max_tokens": coverage_curve(train.counts, [model_words])[0],
        "training_vocabulary_size": len(train.vocabulary),
        "training_tokens": int(train.counts.sum()),
        # How rare the last word that the model still knows is.
        "count_of_last_model_word": int(train.counts[min(model_words, len(train.counts)) - 1])
        if len(train.counts)
        else 0,
        "words_seen_once": int((train.counts == 1).sum()),
    }
    coverage["milestones"] = [
        {
            "size": size,
            "train": coverage["train"][sizes.index(size)],
            "unlabelled": coverage["unlabelled_with_train_vocabulary"][sizes.index(size)] if unsup_normalized else None,
        }
        for size in COVERAGE_MILESTONES
    ]

    progress("n-grams (with and without stopwords)")
    counted = {}
    ngrams = {"without_stopwords": {}, "with_stopwords": {}}
    for order, name in NGRAM_NAMES.items():
        counted[("content", order)] = count_ngrams(train_content, labels, order)
        ngrams["without_stopwords"][name] = frequent_ngrams(counted[("content", order)])
        ngrams["with_stopwords"][name] = frequent_ngrams(count_ngrams(train, labels, order))

    progress("polarizing words and bigrams (log-odds, informative Dirichlet prior)")
    polarizing_words = polarizing(counted[("content", 1)])
    polarizing_bigrams = polarizing(counted[("content", 2)])
    word_z_scores = polarizing_words.pop("z_scores")
    polarizing_bigrams.pop("z_scores")

    unlabelled = {}
    if unsup_normalized:
        unlabelled = {
            "reviews": len(unsup_normalized),
            "lengths": lengths["unlabelled"]["all"],
            "labelled_lengths": lengths["train"]["all"],
            "vocabulary_size": len(unsup_counts),
            "training_vocabulary_size": len(full_vocabulary),
            "shared_vocabulary": sum(1 for word in unsup_counts if word in full_vocabulary),
            "tokens": int(sum(unsup_counts.values())),
            "oov_rate_training_vocabulary": out_of_vocabulary_rate(unsup_counts, full_vocabulary),
            "oov_rate_model_vocabulary": out_of_vocabulary_rate(unsup_counts, model_vocabulary),
            # The same rates for the labelled test reviews, the yardstick for "different".
            "test_oov_rate_training_vocabulary": out_of_vocabulary_rate(test_counts, full_vocabulary),
            "test_oov_rate_model_vocabulary": out_of_vocabulary_rate(test_counts, model_vocabulary),
        }
        progress("what sets the unlabelled reviews apart (log-odds against the training reviews)")
        train_counter = Counter(dict(zip(train.vocabulary, train.counts.tolist(), strict=True)))
        apart = distinctive_words(unsup_counts, train_counter, exclude=STOPWORDS, probes=NEUTRAL_PROBES)
        unlabelled["distinctive"] = {
            "method": "log-odds z-scores, unlabelled vs training reviews, stopwords removed",
            "unlabelled": apart["first"],
            "labelled": apart["second"],
            "neutral_probes": apart["probes"],
        }

    progress("figures")
    figures = {
        "class_balance": ("class_balance.png", "Class balance and rating distribution, train and test"),
        "lengths": ("lengths.png", "Review length in tokens, per class, against max_length"),
        "coverage": ("coverage.png", "Vocabulary coverage against vocabulary size"),
        "ngrams": ("ngrams.png", "Most frequent n-grams, stopwords removed (negations kept)"),
        "ngrams_with_stopwords": ("ngrams_with_stopwords.png", "Most frequent n-grams with stopwords kept"),
        "polarizing": ("polarizing.png", "Most polarizing words and bigrams (z-scores)"),
        "wordcloud_positive": ("wordcloud_positive.png", "Words of positive reviews, sized by z-score"),
        "wordcloud_negative": ("wordcloud_negative.png", "Words of negative reviews, sized by z-score"),
    }
    plot_balance(splits, out / figures["class_balance"][0])
    plot_lengths(
        {"positive": train.lengths[labels == 1], "negative": train.lengths[labels == 0], "unlabelled": unsup_lengths},
        lengths["train"],
        max_length,
        out / figures["lengths"][0],
    )
    plot_coverage(
        sizes,
        coverage["train"],
        config.max_tokens,
        coverage["coverage_at_max_tokens"],
        coverage["unlabelled_with_train_vocabulary"] if unsup_normalized else None,
        out / figures["coverage"][0],
    )
    plot_ngrams(
        ngrams["without_stopwords"],
        "Most frequent n-grams in training reviews, stopwords removed (negations kept)",
        out / figures["ngrams"][0],
    )
    plot_ngrams(
        ngrams["with_stopwords"],
        "With stopwords kept, the top n-grams say nothing about sentiment",
        out / figures["ngrams_with_stopwords"][0],
        color="#9a9a9a",
    )
    plot_polarizing({"words": polarizing_words, "bigrams": polarizing_bigrams}, out / figures["polarizing"][0])
    for key, sign, hue, title in (
        ("wordcloud_positive", 1, 165, "Positive reviews"),
        ("wordcloud_negative", -1, 10, "Negative reviews"),
    ):
        scores = sign * word_z_scores
        chosen = [index for index in np.argsort(-scores, kind="stable")[:WORDCLOUD_WORDS] if scores[index] > 0]
        terms = counted[("content", 1)].terms(np.array(chosen, dtype=np.int64))
        weights = {term: float(scores[index]) for term, index in zip(terms, chosen, strict=True)}
        if weights:
            plot_wordcloud(weights, f"{title}: words sized by log-odds z-score", hue, out / figures[key][0])

    insights = {
        "generated_by": "python -m ml.explore",
        "seconds": None,
        "dataset": {"source": Path(dataset.source).name, "sha256": dataset.sha256},
        "normalisation": "ml.preprocessing.normalize (the models' own); stopword lists from ml.preprocessing",
        "splits": splits,
        "lengths": lengths,
        "coverage": coverage,
        "ngrams": ngrams,
        "polarizing": {
            "method": "log-odds ratio with an informative Dirichlet prior (Monroe, Colaresi & Quinn 2008)",
            "prior_size": PRIOR_SIZE,
            "words": polarizing_words,
            "bigrams": polarizing_bigrams,
        },
        "unlabelled": unlabelled,
        "figures": [
            {"key": key, "file": f"{STATIC_PREFIX}/{file}", "caption": caption, **image_size(out / file)}
            for key, (file, caption) in figures.items()
            if (out / file).exists()
        ],
    }
    insights["seconds"] = round(progress.elapsed, 1)
    (out / "insights.json").write_text(json.dumps(insights, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    progress(f"wrote {len(insights['figures'])} figures and insights.json to {out}")
    return insights


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Explore the IMDB reviews; write figures and insights.json.")
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
    coverage, lengths = insights["coverage"], insights["lengths"]["train"]["all"]
    print(
        f"{insights['splits']['train']['reviews']:,} training reviews: {lengths['share_within_max_length']:.1%} fit in "
        f"{insights['lengths']['max_length']} tokens; {coverage['max_tokens']:,} words cover "
        f"{coverage['coverage_at_max_tokens']:.2%} of training tokens; done in {insights['seconds']}s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
