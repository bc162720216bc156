"""The Review admin: browse every prediction, mark disputed verdicts, export a labelled CSV."""

import csv
from collections.abc import Iterable, Iterator

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import F, Func, IntegerField, Q
from django.db.models.constants import LOOKUP_SEP
from django.db.models.expressions import RawSQL
from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.text import Truncator, smart_split, unescape_string_literal

from classifier import shipped
from classifier.verdicts import VerdictWarning

from . import presenters
from .models import Review, Sentiment
from .pagination import ReviewPaginator
from .search import text_matches
from .spreadsheets import csv_safe  # the one rule for formula cells, which job results follow too

CSV_COLUMNS = ["id", "owner", "created_at", "sentiment", "score", "model_version", "verdict_disputed", "text", "label"]


def corrected_label(review: Review) -> str:
    """The label to train on: the opposite of the model's verdict when its owner disputed it."""
    return _corrected(review.sentiment, review.verdict_disputed)


def _corrected(sentiment: str, disputed: bool) -> str:
    if not disputed:
        return sentiment
    return Sentiment.NEGATIVE if sentiment == Sentiment.POSITIVE else Sentiment.POSITIVE


# The columns the export reads, in CSV_COLUMNS' order (the label is worked out from two of them):
# only these leave the database, no explanation, sentence or warning list is decoded.
EXPORT_FIELDS = (
    "pk",
    "owner__username",
    "created_at",
    "sentiment",
    "score",
    "model_version",
    "verdict_disputed",
    "text",
)


def csv_rows(values: Iterable[tuple]) -> Iterator[list[object]]:
    """The header, then a row per tuple of EXPORT_FIELDS."""
    yield CSV_COLUMNS
    for pk, owner, created_at, sentiment, score, model_version, disputed, text in values:
        row = [pk, owner, created_at.isoformat(), sentiment, score, model_version, disputed, text]
        yield [*(csv_safe(cell) for cell in row), _corrected(sentiment, disputed)]


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
            if connection.vendor == "postgresql":
                # jsonb @> '["code"]', answered by the GIN index on warnings (migration 0006).
                return queryset.filter(warnings__contains=[value])
            if connection.vendor == "sqlite":
                return _sqlite_with_warning(queryset, value)
            # The JSON list as text contains the quoted code (JSON "contains" is PostgreSQL-only); no code
            # is part of another.
            return queryset.filter(warnings__icontains=f'"{value}"')
        return queryset


# The ids of the reviews whose warnings hold a code: read from the index on warnings alone (a covering
# scan of short strings), never from the rows with their texts and explanations.
SQLITE_WARNED_IDS = "SELECT id FROM reviews_review WHERE warnings LIKE %s ESCAPE '\\'"


def _sqlite_with_warning(queryset, code: str):
    """The reviews whose warnings hold `code`, on SQLite. `+id` keeps SQLite from fetching every such review
    by id to sort them all (ruinous for a common code): it reads the list in its own order and looks each id
    up in the set, which is as quick for a code that no review has."""
    pattern = '%"' + code.replace("\\", "\\\\").replace("_", "\\_").replace("%", "\\%") + '"%'
    plain_id = Func(F("id"), template="+%(expressions)s", output_field=IntegerField())
    return queryset.alias(plain_id=plain_id).filter(
        # A constant query, the code bound as a parameter.
        plain_id__in=RawSQL(SQLITE_WARNED_IDS, [pattern])  # noqa: S611  # nosec B611
    )


class ModelVersionFilter(admin.SimpleListFilter):
    """The shipped models' versions, from the catalogue: listing the versions found in the table would
    read every row (SELECT DISTINCT) on each view of the list. ?model_version= still takes any version."""

    title = "model version"
    parameter_name = "model_version"

    def lookups(self, request, model_admin):
        return [(version, f"{name} ({version})") for version, name in sorted(shipped.names_by_version().items())]

    def queryset(self, request, queryset):
        return queryset.filter(model_version=self.value()) if self.value() else queryset


# What the model said, shown in the list and on the (read-only) change page alike.
PREDICTION_FIELDS = ("sentiment", "score", "confidence", "warning_list", "model_version", "created_at")


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    list_display = ("owner", "excerpt", *PREDICTION_FIELDS, "mixed", "verdict_disputed")
    list_display_links = ("excerpt",)
    # No date_hierarchy: its year links cost a SELECT DISTINCT over the table per view (the created_at filter
    # offers today, the past 7 days, this month and this year instead), and a year past 9999 was a 500.
    list_filter = (
        "sentiment",
        "confidence",
        WarningFilter,
        ModelVersionFilter,
        "mixed",
        "verdict_disputed",
        "created_at",
    )
    search_fields = ("text", "owner__username")
    list_select_related = ("owner",)
    list_per_page = 50
    # "N results (M total)" would count the whole table on every filtered view.
    show_full_result_count = False
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

    def lookup_allowed(self, lookup, value, request=None):
        # A year lookup becomes a datetime when the query is compiled, after the admin's own checks: a
        # year outside 1..9999 (?created_at__year=99999999999) was a 500. Refused here, it is a 400.
        if {"year", "iso_year"} & set(lookup.split(LOOKUP_SEP)):
            values = value if isinstance(value, list | tuple) else str(value).split(",")
            if not all(str(year).strip().isdigit() and 1 <= int(year) <= 9999 for year in values):
                return False
        return super().lookup_allowed(lookup, value, request)

    def get_paginator(self, request, queryset, per_page, orphans=0, allow_empty_first_page=True):
        # A page's ids through an index first, then its rows (reviews.pagination).
        return ReviewPaginator(queryset, per_page, orphans=orphans, allow_empty_first_page=allow_empty_first_page)

    def get_search_results(self, request, queryset, search_term):
        """Django's search (each word in the text or the owner's username), with the text matched through
        its index (reviews.search) and the owners looked up first, so that the database can answer each
        side from an index rather than read the table joined to its users."""
        users = get_user_model().objects
        for word in smart_split(search_term):
            if word.startswith(('"', "'")) and word[0] == word[-1] and len(word) > 1:
                word = unescape_string_literal(word)
            owners = list(users.filter(username__icontains=word).values_list("pk", flat=True))
            queryset = queryset.filter(text_matches(word) | Q(owner_id__in=owners))
        return queryset, False

    def has_add_permission(self, request):
        # Reviews are created by predicting (reviews.services.review_create), from the site or the API.
        return False

    @admin.action(description="Export selected reviews as CSV (with corrected labels)", permissions=["view"])
    def export_csv(self, request, queryset):
        values = queryset.order_by("pk").values_list(*EXPORT_FIELDS).iterator(chunk_size=2000)
        writer = csv.writer(_Echo())
        response = StreamingHttpResponse(
            (writer.writerow(row) for row in csv_rows(values)), content_type="text/csv; charset=utf-8"
        )
        filename = f"reviews-{timezone.now():%Y%m%d-%H%M%S}.csv"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
