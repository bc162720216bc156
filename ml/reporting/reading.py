"""The "does it read" section of ml/results/RESULTS.md, from ml/results/reading_results.json
(`python -m ml.evaluation.reading`), every shipped model before and after learning from phrases and edits."""

from __future__ import annotations

from ml.evaluation.checklist import CAPABILITIES

# For context only: SST-2 *test*, binary (Socher et al. 2013; Kim 2014). Our SST-2 figures are on dev.
PUBLISHED = (
    "NB bigrams 83.1%, RNTN 85.4%, Kim's CNN with word2vec 87.2% (SST-2 test, binary; Socher et al. 2013, Kim 2014)"
)
SETS = ("imdb", "amazon", "yelp")


def _percent(value) -> str:
    return "—" if value is None else f"{value:.1%}"


def _row(name: str, label: str, row: dict) -> str:
    sentence_sets = row.get("sentence_sets", {})
    checklist = row.get("checklist_failure_rate", {})
    typed_right = sum((typed["score"] >= 0.5) == typed["expected"] for typed in row.get("typed", []))
    cells = [
        f"`{name}`",
        label,
        f"{row['test_accuracy']:.2%}" if row.get("test_accuracy") is not None else "—",
        f"{row['sst2_dev']['accuracy']:.1%} / {row['sst2_dev']['ece']:.3f}",
        f"{row['counterfactual_dev']['accuracy']:.1%}",
        f"{row['counterfactual_dev']['pairs_both_right']:.1%}",
        " / ".join(_percent(sentence_sets.get(s, {}).get("accuracy")) for s in SETS),
        " / ".join(_percent(checklist.get(c)) for c in CAPABILITIES),
        f"{typed_right}/5",
    ]
    return "| " + " | ".join(cells) + " |"


def reading_section(results: dict | None) -> str:
    if not results:
        return ""
    lines = [
        "",
        "## Does it read? Phrases, edits and one-sentence reviews",
        "",
        "Every shipped model before and after learning from SST-2's labelled phrases and the counterfactual",
        "pairs (`python -m ml.evaluation.reading --label before|after ml/artifacts/*`). SST-2 dev and",
        "counterfactual dev chose the weights, C and the epochs (and SST-2 dev joins the calibration's short",
        "texts), so their figures are validation figures; the 25k test set, the public sentence sets and the",
        "CheckList suite choose nothing. Pairs: both the review and its minimal edit right.",
        f"Published, for context: {PUBLISHED}.",
        "",
        "| model | | 25k test | SST-2 dev acc. / ECE | counterfactual dev | pairs both right "
        "| sentences IMDB / Amazon / Yelp | CheckList failures: " + " / ".join(CAPABILITIES) + " | typed texts right |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    names = sorted({name for run in results.values() for name in run.get("models", {})})
    for name in names:
        for label in ("before", "after"):
            row = results.get(label, {}).get("models", {}).get(name)
            if row:
                lines.append(_row(name, label, row))
    vader = next((run["vader"] for run in results.values() if "vader" in run), None)
    if vader:
        lines.append(
            f"| VADER | | — | {vader['sst2_dev']['accuracy']:.1%} | {vader['counterfactual_dev']['accuracy']:.1%} "
            f"| {vader['counterfactual_dev']['pairs_both_right']:.1%} | — | — | — |"
        )
    latest = results.get("after", results.get("before", {})).get("models", {})
    # The served default, and the sentence network where it ships (the model that reads negation and contrast).
    shown = [name for name in ("default", "reader") if latest.get(name, {}).get("typed")]
    if shown:
        lines += [
            "",
            "What " + " and ".join(f"`{name}`" for name in shown) + " say to the texts a new user typed "
            "(score: probability of positive):",
            "",
            "| text | should be | " + " | ".join(shown) + " |",
            "|---|---|" + "---|" * len(shown),
        ]
        for i, typed in enumerate(latest[shown[0]]["typed"]):
            scores = " | ".join(f"{latest[name]['typed'][i]['score']:.2f}" for name in shown)
            lines.append(f"| {typed['text']} | {'positive' if typed['expected'] else 'negative'} | {scores} |")
    return "\n".join(lines) + "\n"
