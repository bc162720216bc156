"""Pages of reviews that cost the same on the first page and the last, at any number of rows.

Django's Paginator counts every matching row and reads a page with OFFSET over whole rows. Here the
count comes from the caller when it is known (the per-day counts), or is counted only up to a bound
(a search); and a page is read in two steps: the page's ids through the list's index alone (an
index-only scan, however deep the OFFSET), then those rows by primary key.
"""

from functools import cached_property, partial

from django.core.paginator import Paginator
from rest_framework.pagination import PageNumberPagination

# A search counts (and pages through) at most this many matches; the page says "more than".
SEARCH_COUNT_LIMIT = 1_000


class ReviewPaginator(Paginator):
    """A Paginator told its `count`, or counting at most `count_limit` rows (then `count_capped` is
    true when there are more); pages read their ids first, then their rows."""

    def __init__(self, object_list, per_page, *, count: int | None = None, count_limit: int | None = None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.known_count = count
        self.count_limit = count_limit
        self.count_capped = False

    @cached_property
    def count(self) -> int:
        if self.known_count is not None:
            return self.known_count
        if self.count_limit is None:
            return self.object_list.count()
        found = self.object_list[: self.count_limit + 1].count()
        self.count_capped = found > self.count_limit
        return min(found, self.count_limit)

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        ids = list(self.object_list.values_list("pk", flat=True)[bottom:top])
        return self._get_page(self._rows(ids), number, self)

    def _rows(self, ids: list) -> list:
        """The rows of `ids`, in that order, with the list's select_related. By primary key alone: with the
        list's filters again, a database may answer from the filters' index rather than the key."""
        if not ids:
            return []
        rows = self.object_list.model._default_manager.filter(pk__in=ids)
        related = self.object_list.query.select_related
        if related is True:
            rows = rows.select_related()
        elif related:
            rows = rows.select_related(*_paths(related))
        by_pk = {row.pk: row for row in rows}
        return [by_pk[pk] for pk in ids if pk in by_pk]


def _paths(tree: dict, prefix: str = "") -> list[str]:
    """select_related's {"owner": {"profile": {}}} as ["owner__profile"] (the deepest paths)."""
    paths = []
    for name, below in tree.items():
        path = f"{prefix}{name}"
        paths += _paths(below, f"{path}__") if below else [path]
    return paths


class ReviewPagination(PageNumberPagination):
    """The reviews API's pages through ReviewPaginator: the view's `list_count` (None when unknown)."""

    def paginate_queryset(self, queryset, request, view=None):
        self.django_paginator_class = partial(
            ReviewPaginator, count=getattr(view, "list_count", None), count_limit=SEARCH_COUNT_LIMIT
        )
        return super().paginate_queryset(queryset, request, view)
