"""The Review: a text someone submitted and the verdict the model gave it."""

from django.conf import settings
from django.db import models
from django.urls import reverse

from classifier.verdicts import Confidence, Sentiment, notes


class ReviewQuerySet(models.QuerySet):
    def owned_by(self, user):
        return self.filter(owner=user)

    def with_sentiment(self, sentiment):
        return self.filter(sentiment=sentiment)


class Review(models.Model):
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reviews")
    text = models.TextField()
    sentiment = models.CharField(max_length=8, choices=Sentiment.choices)
    score = models.FloatField(help_text="Probability that the review is positive, 0..1.")
    model_version = models.CharField(max_length=100)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    # The owner's feedback: "this verdict is wrong" (staff export these to retrain).
    verdict_disputed = models.BooleanField(default=False, db_index=True)
    # Which words pushed the verdict, as computed when it was made: [[word, weight], ...] in text
    # order (see ml/explanation/explain.py); stored so that pages and insights never re-run the model.
    explanation = models.JSONField(default=list, blank=True)
    # How far the verdict can be trusted, as the classifier said when it was made (classifier.verdicts).
    confidence = models.CharField(max_length=8, choices=Confidence.choices, db_index=True)
    warnings = models.JSONField(default=list, blank=True, help_text='Warning codes, e.g. ["very_short"].')
    # Each sentence's verdict when asked for (classifier.classify): [{start, end, sentiment, score,
    # confidence}, ...] with offsets into `text`; empty when not asked. `mixed` is null then.
    sentences = models.JSONField(default=list, blank=True)
    mixed = models.BooleanField(null=True, blank=True, help_text="Its sentences disagree strongly (ml/mixed.py).")

    objects = ReviewQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        # Each list's order in full (the id breaks ties), so a page is read from the index alone, and the
        # page's ids before its rows (reviews.pagination).
        indexes = [
            models.Index(fields=["owner", "-created_at", "-id"], name="review_owner_created"),
            models.Index(fields=["owner", "sentiment", "-created_at", "-id"], name="review_owner_sentiment"),
            models.Index(fields=["owner", "score", "id"], name="review_owner_score"),
            # The admin's warning filter reads the short warning lists here, not from the rows.
            models.Index(fields=["warnings", "-created_at", "-id"], name="review_warnings"),
        ]

    def __str__(self):
        excerpt = self.text if len(self.text) <= 60 else self.text[:57] + "..."
        return f"{self.get_sentiment_display()}: {excerpt}"

    def get_absolute_url(self):
        return reverse("reviews:detail", args=[self.pk])

    @property
    def warning_notes(self) -> list[tuple[str, str]]:
        """(short label, sentence) for each of the verdict's warnings."""
        return notes(self.warnings or [])

    @property
    def sentence_verdicts(self) -> list[dict]:
        """The stored sentence verdicts, each with its `text` sliced from the review."""
        return [{"text": self.text[item["start"] : item["end"]], **item} for item in self.sentences or []]

    @property
    def certainty(self) -> float:
        """The probability of the verdict given, 0.5..1."""
        return self.score if self.sentiment == Sentiment.POSITIVE else 1 - self.score


class ReviewDay(models.Model):
    """How many of one owner's reviews made on one day (in settings.TIME_ZONE) got one verdict, and their
    scores' sum: the history's chart and counts read these few rows instead of every review. Kept by
    reviews.receivers on each review saved or deleted; reviews.services.review_days_rebuild() recounts."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    sentiment = models.CharField(max_length=8, choices=Sentiment.choices)
    reviews = models.IntegerField(default=0)
    score_sum = models.FloatField(default=0.0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["owner", "day", "sentiment"], name="review_day_unique")]

    def __str__(self):
        return f"{self.owner_id} {self.day} {self.sentiment}: {self.reviews}"
