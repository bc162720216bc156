"""Every verdict carries its confidence band and warnings; existing rows get what their stored data allows."""

import re

from django.db import migrations, models

# Frozen copies of classifier.verdicts as of this migration (a migration must not change when the app does).
BANDS = {"high": 0.9, "medium": 0.7}
VERY_SHORT_WORDS = 4
WORD = re.compile(r"[^\W_]")
BATCH = 1000


def confidence_band(score: float) -> str:
    sure = max(score, 1.0 - score)
    return "high" if sure >= BANDS["high"] else "medium" if sure >= BANDS["medium"] else "low"


def warnings_of(text: str) -> list[str]:
    return ["very_short"] if sum(1 for word in text.split() if WORD.search(word)) < VERY_SHORT_WORDS else []


def fill(apps, schema_editor):
    """Confidence from the stored score (default bands) and very_short from the stored text.

    The other codes cannot be recomputed here: no_known_words and truncated depend on the vocabulary and
    max_length of the model that gave the verdict (model_version names it, but that artifact may no longer
    ship, and loading TensorFlow models inside a migration would make every deploy slow and fragile), and
    not_english on the language identifier, which migrations do not load. So old rows never say "none";
    a row that should have can be found by re-classifying its text."""
    Review = apps.get_model("reviews", "Review")
    batch = []
    for review in Review.objects.only("pk", "text", "score").iterator(chunk_size=BATCH):
        review.confidence = confidence_band(review.score)
        review.warnings = warnings_of(review.text)
        batch.append(review)
        if len(batch) >= BATCH:
            Review.objects.bulk_update(batch, ["confidence", "warnings"])
            batch = []
    if batch:
        Review.objects.bulk_update(batch, ["confidence", "warnings"])


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0002_review_explanation"),
    ]

    operations = [
        migrations.AddField(
            model_name="review",
            name="confidence",
            field=models.CharField(
                choices=[("high", "High"), ("medium", "Medium"), ("low", "Low"), ("none", "None: the model cannot tell")],
                db_index=True,
                default="low",
                max_length=8,
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="review",
            name="warnings",
            field=models.JSONField(blank=True, default=list, help_text='Warning codes, e.g. ["very_short"].'),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
    ]
