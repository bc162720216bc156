"""The Review admin: browse every prediction, mark disputed verdicts, export a labelled CSV."""

import csv
from collections.abc import Iterable, Iterator

from django.contrib import admin
from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.text import Truncator

from classifier.verdicts import VerdictWarning

from . import presenters
from .models import Review, Sentiment
from .spreadsheets import csv_safe  # the one rule for formula cells, which job results follow too

CSV_COLUMNS = ["id", "owner", "created_at", "sentiment", "score", "model_version", "verdict_disputed", "text", "label"]


def corrected_label(review: Review) -> str:
    """The label to train on: the opposite of the model's verdict when its owner disputed it."""
    if not review.verdict_disputed:
        return review.sentiment
    return Sentiment.NEGATIVE if review.sentiment == Sentiment.POSITIVE else Sentiment.POSITIVE


def csv_rows(reviews: Iterable[Review]) -> Iterator[list[object]]:
    yield CSV_COLUMNS
    for review in reviews:
        row = [
            review.pk,
            review.owner.get_username(),
            review.created_at.isoformat(),
            review.sentiment,
            review.score,
            review.model_version,
            review.verdict_disputed,
            review.text,
            corrected_label(review),
        ]
        yield [csv_safe(cell) for cell in row]


class _Echo:
    """A file-like object whose write() returns the line, so csv.writer can feed a streaming response."""

    def write(self, value: str) -> str:
        return value


class WarningFilter(admin.SimpleListFilter):
    """Reviews whose verdict carries one warning code (or none at all)."""

    title = "warning"
    parameter_name = "warning"
    NONE = "-"

    def lookups(self, request, model_admin):
        return [*VerdictWarning.choices, (self.NONE, "No warning")]

    def queryset(self, request, queryset):
        value = self.value()
        if value == self.NONE:
            return queryset.filter(warnings=[])
        if value in VerdictWarning.values:
            # The JSON list as text contains the quoted code on SQLite and PostgreSQL alike (JSON "contains"
            # is PostgreSQL-only); no code is part of another.
            return queryset.filter(warnings__icontains=f'"{value}"')
        return queryset


# What the model said, shown in the list and on the (read-only) change page alike.
PREDICTION_FIELDS = ("sentiment", "score", "confidence", "warning_list", "model_version", "created_at")


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    list_display = ("owner", "excerpt", *PREDICTION_FIELDS, "mixed", "verdict_disputed")
    list_display_links = ("excerpt",)
    list_filter = ("sentiment", "confidence", WarningFilter, "model_version", "mixed", "verdict_disputed", "created_at")
    search_fields = ("text", "owner__username")
    date_hierarchy = "created_at"
    list_select_related = ("owner",)
    list_per_page = 50
    actions = ["export_csv"]
    fields = ("owner", "text", *PREDICTION_FIELDS, "key_words", "mixed", "verdict_disputed")

    @admin.display(description="Review", ordering="text")
    def excerpt(self, review: Review) -> str:
        return Truncator(review.text).chars(80)

    @admin.display(description="Warnings")
    def warning_list(self, review: Review) -> str:
        return ", ".join(label for label, _ in review.warning_notes) or "—"

    @admin.display(description="Words that pushed the verdict")
    def key_words(self, review: Review) -> str:
        # What staff need to judge a disputed verdict at a glance, from the explanation stored with it.
        explained = presenters.explain_text(review.text, review.explanation)
        if explained is None or not explained.has_highlights:
            return "—"
        sides = [
            f"{marker} " + ", ".join(f"{word.word} ({word.signed_weight})" for word in words)
            for marker, words in (("▲ positive:", explained.positive), ("▼ negative:", explained.negative))
            if words
        ]
        return "; ".join(sides)

    def get_readonly_fields(self, request, obj=None):
        # The prediction belongs to the text it was made for: staff may flag a verdict, not rewrite
        # the text under it (that would put a wrong label into the training export).
        readonly = [field for field in self.fields if field not in ("owner", "verdict_disputed")]
        if obj is not None:
            readonly.append("owner")
        return readonly

    def has_add_permission(self, request):
        # Reviews are created by predicting (reviews.services.review_create), from the site or the API.
        return False

    @admin.action(description="Export selected reviews as CSV (with corrected labels)", permissions=["view"])
    def export_csv(self, request, queryset):
        reviews = queryset.select_related("owner").order_by("pk").iterator(chunk_size=500)
        writer = csv.writer(_Echo())
        response = StreamingHttpResponse(
            (writer.writerow(row) for row in csv_rows(reviews)), content_type="text/csv; charset=utf-8"
        )
        filename = f"reviews-{timezone.now():%Y%m%d-%H%M%S}.csv"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
