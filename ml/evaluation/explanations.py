"""Measure explanations: faithfulness (ERASER comprehensiveness as AOPC, against random words) and
plausibility (sign agreement with the VADER lexicon, share of stop words among the strongest words).

    python -m ml.evaluation.explanations                         # the served methods, 1,000 test reviews, every model
    python -m ml.evaluation.explanations --method occlusion      # the same for occlusion (the method before issue 18)
    python -m ml.evaluation.explanations --split validation --models cnn rnn --method unk --reviews 200

Results are merged into ml/results/explain_results.json (by split, method and model); `python -m ml.reporting.report`
turns them into ml/results/RESULTS.md's explanation section and the insights page reads them too.
Comprehensiveness (DeYoung et al., ACL 2020): delete the k% of words (at least one) that pushed hardest
towards the predicted class and average the fall in that class's log-odds, for k in 1, 5, 10, 20.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from ml.data import grouped_validation_split, load_imdb
from ml.explanation.explain import explainer_for
from ml.explanation.words import METHODS, replace_spans, split_words
from ml.inference.artifact import ARTIFACTS_DIR
from ml.inference.predictor import load_predictor
from ml.paths import RESULTS_DIR
from ml.text.preprocessing import STOPWORDS
from ml.text.words import word_key as _word_key

PERCENTS = (1, 5, 10, 20)
RESULTS_JSON = RESULTS_DIR / "explain_results.json"
SHIPPED = ("nbsvm", "nbsvm_tfidf", "default", "reader", "cnn", "rnn", "rcnn", "accurate")
_HAS_LETTER_OR_DIGIT = re.compile(r"[^\W_]")
VADER_MIN_VALENCE = 1.0


def vader_lexicon() -> dict[str, float]:
    """The human-rated VADER lexicon (Hutto & Gilbert 2014) of the pinned vaderSentiment package, as its analyser reads it."""
    return dict(SentimentIntensityAnalyzer().lexicon)


def stop_words() -> frozenset[str]:
    """NLTK's English stop-word list less the negations (no, nor, not, never), which our models and VADER
    alike treat as content: ml.text.preprocessing.STOPWORDS. (scikit-learn's list also holds sentiment words
    such as serious, sincere, cry, empty, nothing and well; docs/decisions.md.)"""

    return STOPWORDS


def word_key(word: str) -> str:
    return _word_key(word)  # linear time (the regular expression it replaces was quadratic)


def measure(explain, predict_logits, texts: list[str], *, seed: int = 0, batch_reviews: int = 16) -> dict:
    """The figures for one model and method over `texts` (explain: text -> Attribution)."""
    lexicon, stops = vader_lexicon(), stop_words()
    rng = np.random.default_rng(seed)
    drops = {"explained": np.zeros((len(texts), len(PERCENTS))), "random": np.zeros((len(texts), len(PERCENTS)))}
    seconds, agree, lexicon_words, stop, top_words = [], 0, 0, 0, 0
    pending: list[tuple[int, list[str]]] = []
    stop_counts: Counter[str] = Counter()

    def flush():
        batch = [variant for _, variants in pending for variant in variants]
        scores = predict_logits(batch).reshape(len(pending), -1)
        for (row, _), score in zip(pending, scores, strict=True):
            sign = 1.0 if score[0] >= 0 else -1.0
            falls = sign * (score[0] - score[1:])
            drops["explained"][row], drops["random"][row] = falls[: len(PERCENTS)], falls[len(PERCENTS) :]
        pending.clear()

    for row, text in enumerate(texts):
        started = time.perf_counter()
        attribution = explain(text)
        seconds.append(time.perf_counter() - started)
        words, spans = split_words(text)
        weights = np.asarray(attribution.weights)
        strongest = [i for i in np.argsort(-np.abs(weights), kind="stable") if weights[i] != 0]
        for i in strongest[:5]:
            valence = lexicon.get(word_key(words[i]))
            if valence is not None and abs(valence) >= VADER_MIN_VALENCE:
                lexicon_words += 1
                agree += int(np.sign(valence) == np.sign(weights[i]))
        top_words += len(strongest[:3])
        found_stops = [word_key(words[i]) for i in strongest[:3] if word_key(words[i]) in stops]
        stop += len(found_stops)
        stop_counts.update(found_stops)
        # Every method's bias is set so that bias + sum(weights) is the text's log-odds: its sign is the class.
        candidates = np.array([i for i, word in enumerate(words) if _HAS_LETTER_OR_DIGIT.search(word)], dtype=int)
        full_sign = 1.0 if attribution.bias + weights.sum() >= 0 else -1.0
        order = (
            candidates[np.argsort(-full_sign * weights[candidates], kind="stable")] if len(candidates) else candidates
        )
        variants = [text]
        for chosen in ("explained", "random"):
            for percent in PERCENTS:
                count = min(len(candidates), max(1, int(np.ceil(percent * len(candidates) / 100))))
                picked = order[:count] if chosen == "explained" else rng.choice(candidates, count, replace=False)
                variants.append(replace_spans(text, [spans[i] for i in sorted(picked)]))
        pending.append((row, variants))
        if len(pending) == batch_reviews:
            flush()
    if pending:
        flush()
    explained, random = drops["explained"].mean(axis=0), drops["random"].mean(axis=0)
    return {
        "reviews": len(texts),
        "aopc": {str(k): float(v) for k, v in zip(PERCENTS, explained, strict=True)},
        "aopc_random": {str(k): float(v) for k, v in zip(PERCENTS, random, strict=True)},
        "aopc_mean": float(explained.mean()),
        "aopc_random_mean": float(random.mean()),
        "lexicon_agreement": agree / lexicon_words if lexicon_words else None,
        "lexicon_words": lexicon_words,
        "stop_word_share": stop / top_words if top_words else None,
        "top_words": top_words,
        "frequent_stop_words": dict(stop_counts.most_common(8)),
        "explain_ms_p50": float(np.median(seconds) * 1000) if seconds else None,
    }


def sample_texts(split: str, reviews: int, *, data: str | None = None, seed: int = 0) -> list[str]:
    """`reviews` texts of the test set or of the film-grouped validation split (seeded; a smaller
    sample is a prefix of a larger one)."""

    dataset = load_imdb(data)
    pool = dataset.test if split == "test" else grouped_validation_split(dataset.train)[1]
    order = np.random.default_rng(seed).permutation(len(pool))[:reviews]
    return [pool.texts[i] for i in order]


def merge_results(path: Path, split: str, method: str, results: dict[str, dict]) -> dict:
    existing = json.loads(path.read_text()) if path.exists() else {}
    existing.setdefault(split, {}).setdefault(method, {}).update(results)
    path.write_text(json.dumps(existing, indent=2, sort_keys=True) + "\n")
    return existing


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--models", nargs="+", default=list(SHIPPED), help="artifact names under --artifacts")
    parser.add_argument("--artifacts", type=Path, default=ARTIFACTS_DIR)
    parser.add_argument("--method", choices=METHODS, default="auto", help="auto: the method the site serves")
    parser.add_argument(
        "--share", choices=("equal", "unigram"), help="how n-gram weights are split among words (default: served)"
    )
    parser.add_argument("--split", choices=("test", "validation"), default="test")
    parser.add_argument("--reviews", type=int, default=1000)
    parser.add_argument(
        "--reviews-for", nargs="*", default=[], metavar="MODEL=N", help="a smaller sample for slow models"
    )
    parser.add_argument("--data", help="IMDB archive or folder (default: $IMDB_DATA, the cache, or download)")
    parser.add_argument("--output", type=Path, default=RESULTS_JSON)
    args = parser.parse_args(argv)
    sizes = {name: int(size) for name, size in (item.split("=", 1) for item in args.reviews_for)}
    method_key = f"{args.method}, {args.share} shares" if args.share else args.method
    texts = sample_texts(args.split, max([args.reviews, *sizes.values()]), data=args.data)
    for name in args.models:
        predictor = load_predictor(args.artifacts / name)
        explain = explainer_for(predictor.model, predictor.manifest, predictor.predict_logits, args.method, args.share)
        result = measure(explain, predictor.predict_logits, texts[: sizes.get(name, args.reviews)])
        result["method"] = getattr(explain, "name", args.method)
        merge_results(args.output, args.split, method_key, {name: result})
        print(f"{name} ({args.method}, {args.split}): {json.dumps(result)}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
