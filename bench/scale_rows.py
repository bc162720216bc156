"""bench.scale's rows: real classified reviews (the seed, kept in the work folder) copied with bulk_create
to one user per measured size and twenty others, and the words the searches look for."""

from __future__ import annotations

import datetime
import json
import os
from pathlib import Path

from ml.data import load_imdb
from ml.data.spans import paragraphs_as_lines

OTHERS, OTHER_ROWS = 20, 5_000
SEED_REVIEWS = 200
SPAN_DAYS = 730  # the rows' dates spread over two years, newest today
RARE_WORD = "quokka"  # in three reviews of each measured user only
COMMON_WORD = "film"
PAGE_SIZE, API_PAGE_SIZE = 20, 20


# --- the seed: real classified reviews ---


def _imdb_texts(count: int) -> list[str]:
    """`count` IMDB test reviews, positive and negative in turn, paragraphs as line breaks."""
    test = load_imdb(os.environ.get("IMDB_DATA") or None).test
    positive = [paragraphs_as_lines(text) for text, label in zip(test.texts, test.labels, strict=True) if label == 1]
    negative = [paragraphs_as_lines(text) for text, label in zip(test.texts, test.labels, strict=True) if label == 0]
    return [text for pair in zip(positive[: count // 2], negative[: count // 2], strict=True) for text in pair]


def _seed(workdir: Path) -> list[dict]:
    """The fields of SEED_REVIEWS classified reviews (one in ten cut to four words, so short texts and
    their warnings are there too), classified once and kept in workdir/seed.json."""
    path = workdir / "seed.json"
    if path.exists():
        return json.loads(path.read_text())
    from dataclasses import asdict

    from classifier.classify import classify

    texts = _imdb_texts(SEED_REVIEWS)
    texts = [" ".join(text.split()[:4]) if index % 10 == 9 else text for index, text in enumerate(texts)]
    seed = []
    for start in range(0, len(texts), 16):
        for result in classify(texts[start : start + 16], explain=True, sentences=True, strict=False):
            prediction = result.prediction
            seed.append(
                {
                    "text": result.text,
                    "sentiment": prediction.label,
                    "score": prediction.score,
                    "model_version": prediction.model_version,
                    "confidence": prediction.confidence,
                    "warnings": list(prediction.warnings),
                    "explanation": [[word, round(weight, 4)] for word, weight in result.explanation or []],
                    "sentences": [
                        {k: v for k, v in asdict(sentence).items() if k != "text"}
                        for sentence in result.sentences or []
                    ],
                    "mixed": result.mixed,
                }
            )
    path.write_text(json.dumps(seed))
    return seed


# --- building the rows ---


def _build_user(username: str, rows: int, seed: list[dict], offset: int) -> None:
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from reviews.models import Review

    User = get_user_model()
    if User.objects.filter(username=username).exists():
        return
    user = User.objects.create_user(username, f"{username}@example.com", "bench-password-not-secret")
    now = timezone.now().replace(microsecond=0)
    step = datetime.timedelta(days=SPAN_DAYS) / rows
    rare = {rows // 7, rows // 2, rows - 3}
    batch = []
    for index in range(rows):
        fields = dict(seed[(index * 7 + offset) % len(seed)])
        if index in rare:
            fields["text"] = f"{fields['text']} A {RARE_WORD} would have liked it."
            fields["sentences"], fields["mixed"] = [], None
        batch.append(Review(owner=user, created_at=now - step * index, verdict_disputed=index % 50 == 0, **fields))
        if len(batch) == 2_000:
            Review.objects.bulk_create(batch)
            batch = []
    Review.objects.bulk_create(batch)


def build(workdir: Path, sizes: list[int]) -> None:
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection

    from reviews import services
    from reviews.models import Review

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    seed = _seed(workdir)
    # The rows carry their own dates (auto_now_add would stamp them all now).
    Review._meta.get_field("created_at").auto_now_add = False
    built = False
    try:
        for number in range(OTHERS):
            if not get_user_model().objects.filter(username=f"other{number}").exists():
                _build_user(f"other{number}", OTHER_ROWS, seed, number)
                built = True
        for size in sizes:
            if not get_user_model().objects.filter(username=f"scale{size}").exists():
                _build_user(f"scale{size}", size, seed, size)
                built = True
    finally:
        Review._meta.get_field("created_at").auto_now_add = True
    if not get_user_model().objects.filter(username="bench-staff").exists():
        get_user_model().objects.create_superuser("bench-staff", "staff@example.com", "bench-password-not-secret")
    if built:
        # bulk_create skips what the services keep beside the rows (the per-day counts).
        services.review_days_rebuild()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
        else:
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
