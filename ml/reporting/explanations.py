"""The Explanations section of ml/results/RESULTS.md, from ml/results/explain_results.json (python -m ml.evaluation.explanations)."""

from __future__ import annotations

from ml.evaluation.explanations import PERCENTS, SHIPPED

SECTION_INTRO = [
    "Every verdict's explanation gives each whitespace-separated word a weight in log-odds. `python -m ml.evaluation.explanations`",
    "measures them on a seeded sample of the official test set (read only there and by `ml.evaluation.evaluate`): 1,000 reviews",
    "for the n-gram models; the networks and `accurate`, whose explanations cost a network call each on this 2-core",
    "machine, on the first reviews of the same sample (the `reviews` column).",
    "",
    "- **AOPC** (ERASER's comprehensiveness, DeYoung et al., ACL 2020): delete the k% of words (at least one) that",
    "  pushed hardest towards the predicted class, for k = 1, 5, 10 and 20, and average the fall of that class's",
    "  log-odds; **random words**: the same for as many words drawn at random (seeded); **÷ random**: the ratio of",
    "  the means over k. Deletion is occlusion's own probe, so this measure favours occlusion by construction.",
    "- **VADER sign agreement**: among each verdict's five strongest words, those in the human-rated VADER lexicon",
    "  (`vader_lexicon.txt` of the pinned vaderSentiment 3.3.2; lower-cased, end punctuation stripped) with",
    "  |valence| ≥ 1: the share whose weight has the valence's sign (how many such words in brackets).",
    "- **Stop words in top 3**: the share of the three strongest words that are stop words (NLTK's English list less",
    "  the negations, `ml.text.preprocessing.STOPWORDS`; docs/decisions.md says why not scikit-learn's).",
    "- **Explanation p50**: the median time of one explanation on this shared 2-core machine (other jobs running).",
    "",
    "*occlusion*: the method before issue 18 (delete each word, the fall of the log-odds is its weight; up to 257",
    "model inputs). *served*: the method the site serves now: **exact** for the n-gram models (each n-gram's",
    "weight × its value, normalisation included, split among the words it spans in proportion to their own weight",
    "in the model; weights + bias = the log-odds), the n-gram member of an ensemble scaled by its stacking weight,",
    "and **Integrated Gradients** for the networks (`accurate`: both, each scaled by its stacking weight).",
]
SECTION_CHOICE = [
    "The networks' method was chosen on reviews of the film-grouped validation split (`--split validation`):",
    "Integrated Gradients on the embeddings against the padding token's embedding (16 steps, one batch of 18 with",
    "its gradient), occlusion, and out-of-vocabulary replacement (each word replaced by as many unknown tokens,",
    "so positions and lengths stay; one batch of up to 257). Integrated Gradients had the highest AOPC of the",
    "three for both networks, the best VADER agreement and the fewest stop words, in one smaller batch: it is served.",
]
SECTION_SHARES = [
    "How the exact method splits an n-gram among its words was chosen the same way, on 500 validation reviews:",
    "equally (each word of `was dreadful` gets half), or in proportion to each word's own strength in the model",
    "(|its unigram weight| × its idf), which the site serves. Both add up to the log-odds exactly. The last rows",
    "are the first attempt, equal shares, on the 1,000 test reviews, for the record.",
]
SECTION_REPRODUCE = [
    "Reproduce (each run merges its figures into `ml/results/explain_results.json`; then `python -m ml.reporting.report`):",
    "",
    "```",
    "python -m ml.evaluation.explanations --method occlusion --models nbsvm nbsvm_tfidf default    # before",
    "python -m ml.evaluation.explanations --models nbsvm nbsvm_tfidf default                       # after",
    "python -m ml.evaluation.explanations --method occlusion --models cnn rcnn rnn accurate --reviews 200 --reviews-for rnn=100 rcnn=100 accurate=100",
    "python -m ml.evaluation.explanations --models cnn rcnn rnn accurate --reviews 200 --reviews-for rnn=100 rcnn=100 accurate=100",
    "for m in auto occlusion unk; do python -m ml.evaluation.explanations --split validation --method $m --models cnn rnn --reviews 100 --reviews-for rnn=50; done",
    "for s in equal unigram; do python -m ml.evaluation.explanations --split validation --share $s --models default nbsvm --reviews 500; done",
    "```",
]
METHOD_LABELS = {
    "auto": "served",
    "occlusion": "occlusion",
    "unk": "out-of-vocabulary replacement",
    "auto, equal shares": "exact, n-grams split equally",
    "auto, unigram shares": "exact, n-grams split by word weight",
}


def table_rows(results: dict, split: str, methods: tuple[str, ...], models=SHIPPED) -> list[dict]:
    """One row per (model, method) found in explain_results.json, formatted for a table."""
    rows = []
    for model in models:
        for method in methods:
            found = results.get(split, {}).get(method, {}).get(model)
            if not found:
                continue
            ratio = found["aopc_mean"] / found["aopc_random_mean"] if found["aopc_random_mean"] > 0 else None
            rows.append(
                {
                    "model": model,
                    "method": f"{METHOD_LABELS[method]}: {found['method']}"
                    if method == "auto" and "method" in found
                    else METHOD_LABELS.get(method, method),
                    "reviews": found["reviews"],
                    "aopc": " / ".join(f"{found['aopc'][str(k)]:.2f}" for k in PERCENTS),
                    "aopc_random": " / ".join(f"{found['aopc_random'][str(k)]:.2f}" for k in PERCENTS),
                    "ratio": f"{ratio:.1f}×" if ratio else "—",
                    "lexicon": f"{found['lexicon_agreement']:.1%} ({found['lexicon_words']:,})"
                    if found["lexicon_words"]
                    else "—",
                    "stop_words": f"{found['stop_word_share']:.1%}" if found["top_words"] else "—",
                    "p50": f"{found['explain_ms_p50']:.1f} ms" if found["explain_ms_p50"] is not None else "—",
                }
            )
    return rows


def markdown_table(rows: list[dict]) -> list[str]:
    lines = [
        "| model | method | reviews | AOPC k=1/5/10/20% | random words | AOPC ÷ random | VADER sign agreement (words) "
        "| stop words in top 3 | explanation p50 |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    lines += [
        f"| `{r['model']}` | {r['method']} | {r['reviews']:,} | {r['aopc']} | {r['aopc_random']} | {r['ratio']} | "
        f"{r['lexicon']} | {r['stop_words']} | {r['p50']} |"
        for r in rows
    ]
    return lines


def explanation_rows(results: dict) -> list[dict]:
    """Before (occlusion) and after (served) for every shipped model, on test reviews."""
    return table_rows(results, "test", ("occlusion", "auto"))


def _by_count(counts: dict[str, int]) -> list[tuple[str, int]]:
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def explanation_section(results: dict) -> str:
    """ml/results/RESULTS.md's section on explanations, from explain_results.json."""
    if not results:
        return ""
    lines = ["", "## Explanations", "", *SECTION_INTRO, "", *markdown_table(explanation_rows(results))]
    served = results.get("test", {}).get("auto", {}).get("default")
    if served:
        ratio = served["aopc_mean"] / served["aopc_random_mean"]
        lines += [
            "",
            f"Targets of issue 18 for the served default ({served['reviews']:,} test reviews): AOPC at least 2× random: "
            f"{ratio:.1f}× ({'met' if ratio >= 2 else 'not met'}); VADER sign agreement ≥ 95%: "
            f"{served['lexicon_agreement']:.1%} ({'met' if served['lexicon_agreement'] >= 0.95 else 'not met'}); "
            f"stop words ≤ 3% of the three strongest: {served['stop_word_share']:.1%} "
            f"({'met' if served['stop_word_share'] <= 0.03 else 'not met'}); the explanation of a 200-word review "
            "≤ 10 ms: see `make bench` (bench/RESULTS.md). The stop words left among the strongest, most often "
            + ", ".join(f"`{word}` ({count})" for word, count in _by_count(served.get("frequent_stop_words", {})))
            + ", are words that the model weighs on their own, which an exact split shows as they are.",
        ]
    validation = table_rows(results, "validation", ("auto", "occlusion", "unk"), models=("cnn", "rnn"))
    if validation:
        lines += ["", *SECTION_CHOICE, "", *markdown_table(validation)]
    shares = table_rows(results, "validation", ("auto, equal shares", "auto, unigram shares"))
    if shares:
        attempts = table_rows(results, "test", ("auto, equal shares",))
        lines += ["", *SECTION_SHARES, "", *markdown_table(shares + attempts)]
    return "\n".join([*lines, "", *SECTION_REPRODUCE, ""])
