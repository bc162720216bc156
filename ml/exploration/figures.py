"""The exploration's figures: matplotlib charts and word clouds, sized for the Insights page."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ml.inference.insights import ClassLengths, NgramsByOrder, PolarTerms, Splits

POSITIVE_COLOR = "#1d4ed8"  # the site's positive blue (static/css/site.css --positive)
NEGATIVE_COLOR = "#b93c0a"  # and its negative orange: a colour-blind-safe pair
UNLABELLED_COLOR = "#7a7a7a"
FIGURE_DPI = 110


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


def _mark_limit(axis, limit: float, share: float, text: str, text_at: tuple[float, float]) -> None:
    """A dashed line at the model's limit, and `text` (placed at `text_at`, in axes fractions) pointing at
    `share`, the part of the data within it."""
    axis.axvline(limit, color="#222222", linestyle="--", linewidth=1.2)
    axis.annotate(
        text,
        (limit, share),
        textcoords="axes fraction",
        xytext=text_at,
        fontsize=12,
        arrowprops={"arrowstyle": "->", "color": "#222222"},
    )


def plot_balance(splits: Splits, path: Path) -> None:
    plt = _style()
    figure, (balance_axis, rating_axis) = plt.subplots(1, 2, figsize=(12, 4.6), gridspec_kw={"width_ratios": [1, 2.2]})
    names = ["train", "test"]
    positions = np.arange(len(names))
    width = 0.38
    for offset, (key, label, color) in enumerate(
        [("negative", "negative", NEGATIVE_COLOR), ("positive", "positive", POSITIVE_COLOR)]
    ):
        values = [getattr(getattr(splits, name), key) for name in names]
        bars = balance_axis.bar(positions + (offset - 0.5) * width, values, width, label=label, color=color)
        balance_axis.bar_label(bars, labels=[f"{value:,}" for value in values], padding=2, fontsize=11)
    balance_axis.set_xticks(positions, names)
    balance_axis.set_ylabel("reviews")
    balance_axis.set_title("Class balance")
    balance_axis.legend(loc="lower center", ncols=2, bbox_to_anchor=(0.5, -0.28))
    balance_axis.set_ylim(0, max(getattr(splits, name).reviews for name in names) * 0.62)
    for axis in (balance_axis, rating_axis):
        axis.yaxis.set_major_formatter(plt.FuncFormatter(lambda value, _: f"{value:,.0f}"))

    ratings = np.arange(1, 11)
    for offset, (name, color) in enumerate([("train", "#4c6a92"), ("test", "#a3b8d4")]):
        values = [getattr(splits, name).ratings.get(str(rating), 0) for rating in ratings]
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


def plot_lengths(lengths: dict[str, np.ndarray], summaries: ClassLengths, max_length: int, path: Path) -> None:
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
            label=f"{label} (median {getattr(summaries, key).p50}, p95 {getattr(summaries, key).p95})",
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
    share = summaries.all.share_within_max_length
    _mark_limit(
        cumulative_axis, max_length, share, f"{share:.1%} of training reviews\nfit in {max_length} tokens", (0.38, 0.5)
    )
    cumulative_axis.axhline(share, color="#222222", linestyle=":", linewidth=1)
    for p in (90, 95, 99):
        value = getattr(summaries.all, f"p{p}")
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
    text = f"max_tokens = {max_tokens:,}: {at_max_tokens:.2%} of training tokens"
    _mark_limit(axis, max_tokens, at_max_tokens, text, (0.42, 0.3))
    axis.plot([max_tokens], [at_max_tokens], marker="o", color="#222222")
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


def plot_ngrams(tables: NgramsByOrder, title: str, path: Path, color: str = "#4c6a92") -> None:
    plt = _style()
    figure, axes = plt.subplots(1, 3, figsize=(13, 6.2))
    for axis, name in zip(axes, ("unigrams", "bigrams", "trigrams"), strict=True):
        rows = getattr(tables, name).all[::-1]
        axis.barh([row.ngram for row in rows], [row.count for row in rows], color=color)
        axis.set_title(name)
        axis.set_xlabel("occurrences in training reviews")
        axis.grid(axis="y", visible=False)
        axis.tick_params(axis="y", labelsize=11.5)
        axis.xaxis.set_major_formatter(plt.FuncFormatter(lambda value, _: f"{value:,.0f}"))
        axis.xaxis.set_major_locator(plt.MaxNLocator(4))
    figure.suptitle(title)
    figure.tight_layout()
    _save(figure, path)


def plot_polarizing(tables: dict[str, PolarTerms], path: Path) -> None:
    plt = _style()
    figure, axes = plt.subplots(1, 2, figsize=(13, 11))
    for axis, (name, table) in zip(axes, tables.items(), strict=True):
        # Bars run bottom-up: most negative at the bottom, most positive at the top.
        rows = table.negative + table.positive[::-1]
        values = [row.z for row in rows]
        colors = [POSITIVE_COLOR if value > 0 else NEGATIVE_COLOR for value in values]
        axis.barh(np.arange(len(rows)), values, color=colors)
        axis.set_yticks(np.arange(len(rows)), [row.term for row in rows], fontsize=11)
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


def image_size(path: Path) -> dict[str, int]:
    """Width and height in pixels, so that the page can reserve the space before the image loads."""
    from PIL import Image

    with Image.open(path) as image:
        return {"width": image.width, "height": image.height}
