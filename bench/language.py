"""The not_english check: its speed, how often it flags English (IMDB training sentences; the public sentence
sets, measuring only), and what confidence and warnings add to one verdict. python -m bench.language [--data PATH]"""

from __future__ import annotations

import argparse
import re
import statistics
import time
from pathlib import Path

from classifier.language import READ_CHARS, clearly_english, english_probability, identifier, looks_foreign
from ml.data import load_imdb

SENTENCES = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "sentences"
FOREIGN = [  # hand-written reviews in other languages: the check should flag most of them
    "Ce film est magnifique.",
    "Je n'ai pas aimé ce film.",
    "Le pire film de l'année, une catastrophe.",
    "Der Film war gut.",
    "Ein schrecklicher Film, langweilig von Anfang bis Ende.",
    "Una película maravillosa.",
    "La trama es aburrida y los actores son malos.",
    "Il film è bellissimo.",
    "Dit is een slechte film.",
    "Um filme maravilhoso, recomendo a todos.",
    "Фильм отличный, всем советую.",
    "這部電影很好看",
]
SHORT_ENGLISH = [
    "Not bad at all.",
    "Great movie!",
    "I loved it",
    "Dreadful and boring.",
    "Superb acting, dull plot.",
    "The pizza was cold and the waiter was rude.",
    "Terrible",
    "Brilliant!!!",
    "10/10",
    "Meh.",
    "asdfgh qwerty",
]


def first_sentences(texts: list[str]) -> list[str]:
    return [re.split(r"(?<=[.!?])\s|<br", text, maxsplit=1)[0].strip() for text in texts]


def per_text_ms(function, text: str, calls: int = 300) -> float:
    timings = []
    for _ in range(calls):
        started = time.perf_counter()
        function(text)
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def verdict_overhead(texts: list[str]) -> None:
    """p50 of one review through the model alone, and through classifier.registry.predict (model, confidence
    and warnings), alternating so that both see the same load."""
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sentisite.settings")
    django.setup()
    from classifier import registry  # only once django.setup() has read the settings from the environment

    service = registry.get_service()
    model_only, full, coverage = [], [], []
    for text in texts:
        for timings, function in (
            (model_only, service.predictor.predict_proba),
            (full, registry.predict),
            (coverage, service.predictor.coverage),
        ):
            started = time.perf_counter()
            function([text])
            timings.append((time.perf_counter() - started) * 1000)
    print(
        f"{service.model_version}, {len(texts)} test reviews one at a time, p50: model alone "
        f"{statistics.median(model_only):.3f} ms; vocabulary look-up {statistics.median(coverage):.3f} ms; "
        f"registry.predict (verdict, confidence, warnings) {statistics.median(full):.3f} ms"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", help="the IMDB archive (default: ml.data's usual places)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    identifier()
    print(f"load: {time.perf_counter() - started:.2f} s")
    review = (
        (
            "This movie was a surprising delight from start to finish, with sharp writing and a cast "
            "that clearly enjoyed every scene, even if the middle drags a little. "
        )
        * 8
    ).split()[:200]
    for name, text in [
        ("short text (23 characters)", "Ce film est magnifique."),
        ("200-word review", " ".join(review)),
    ]:
        print(f"p50 per call, {name}, the identifier itself: {per_text_ms(english_probability, text):.3f} ms")
        print(f"p50 per call, {name}, the check as served (looks_foreign): {per_text_ms(looks_foreign, text):.3f} ms")
    print(f"foreign examples flagged: {sum(map(looks_foreign, FOREIGN))}/{len(FOREIGN)}")
    flagged = [text for text in SHORT_ENGLISH if looks_foreign(text)]
    print(f"short English examples flagged: {len(flagged)}/{len(SHORT_ENGLISH)} {flagged}")

    dataset = load_imdb(args.data)
    skipped = sum(clearly_english(text[:READ_CHARS]) for text in dataset.test.texts)
    print(f"test reviews whose start is clearly English (identifier skipped): {skipped}/{len(dataset.test.texts)}")
    verdict_overhead(dataset.test.texts[:: len(dataset.test.texts) // 500][:500])
    sentences = [s for s in first_sentences(dataset.train.texts) if s]
    flagged = [s for s in sentences if looks_foreign(s)]
    print(
        f"IMDB training reviews' first sentences flagged: {len(flagged)}/{len(sentences)} "
        f"({len(flagged) / len(sentences):.2%}); e.g. {flagged[:5]}"
    )
    for path in sorted(SENTENCES.glob("*_labelled.txt")):
        lines = [line.rsplit("\t", 1)[0] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        flagged = [line for line in lines if looks_foreign(line)]
        print(f"{path.name} (measuring only) flagged: {len(flagged)}/{len(lines)}; e.g. {flagged[:3]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
