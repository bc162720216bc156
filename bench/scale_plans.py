"""bench.scale --explain: the plan of each page's main queries, as the pages build them."""

from __future__ import annotations

import math
from pathlib import Path

from bench.scale_rows import COMMON_WORD, PAGE_SIZE, RARE_WORD


def main_queries(size: int) -> list[tuple[str, object]]:
    """(name, queryset) of each page's main queries for the user holding `size` reviews, as the pages
    build them (selectors, the paginator's id query, the admin's filters and search)."""
    from django.contrib.admin.sites import site
    from django.contrib.auth import get_user_model
    from django.db.models import Sum
    from django.test import RequestFactory

    from reviews import admin as review_admin
    from reviews import selectors
    from reviews.models import Review, ReviewDay

    user = get_user_model().objects.get(username=f"scale{size}")
    middle = (math.ceil(size / PAGE_SIZE / 2) - 1) * PAGE_SIZE
    last = (math.ceil(size / PAGE_SIZE) - 1) * PAGE_SIZE
    newest = selectors.review_list(user=user)
    model_admin = site._registry[Review]
    request = RequestFactory().get("/admin/reviews/review/")
    everything = Review.objects.select_related("owner").order_by("-created_at", "-id")
    searched, _ = model_admin.get_search_results(request, everything, RARE_WORD)
    by_owner, _ = model_admin.get_search_results(request, everything, f"scale{size}")
    warned = review_admin.WarningFilter(request, {"warning": ["very_short"]}, Review, model_admin)
    unwarned = review_admin.WarningFilter(request, {"warning": ["-"]}, Review, model_admin)
    return [
        (
            "history: counts (ReviewDay)",
            ReviewDay.objects.filter(owner=user).values("sentiment").annotate(n=Sum("reviews")).order_by(),
        ),
        ("history: the chart's days (ReviewDay)", ReviewDay.objects.filter(owner=user, reviews__gt=0)),
        ("history: page ids, last page", newest.values_list("pk", flat=True)[last : last + PAGE_SIZE]),
        ("history: page ids, middle page", newest.values_list("pk", flat=True)[middle : middle + PAGE_SIZE]),
        ("history: a page's rows by id", Review.objects.filter(pk__in=list(newest.values_list("pk", flat=True)[:20]))),
        (
            "history: negative, last page ids",
            selectors.review_list(user=user, sentiment="negative").values_list("pk", flat=True)[last // 2 :][:20],
        ),
        ("history: top words' ids", newest.values_list("id", flat=True)[:200]),
        (f"search {COMMON_WORD}: bounded count", selectors.review_list(user=user, search=COMMON_WORD)[:1001]),
        (f"search {RARE_WORD}: bounded count", selectors.review_list(user=user, search=RARE_WORD)[:1001]),
        (f"search {RARE_WORD}: page ids", selectors.review_list(user=user, search=RARE_WORD).values_list("pk")[:20]),
        (
            "API ordering=-score: page ids",
            selectors.review_list(user=user).order_by("-score", "-id").values_list("pk", flat=True)[:20],
        ),
        ("admin: page ids", everything.values_list("pk", flat=True)[:50]),
        (f"admin ?q={RARE_WORD}: count", searched),
        ("admin ?q=<username>: page ids", by_owner.values_list("pk", flat=True)[:50]),
        ("admin ?warning=very_short: page ids", warned.queryset(request, everything).values_list("pk")[:50]),
        ("admin ?warning=-: page ids", unwarned.queryset(request, everything).values_list("pk")[:50]),
        (
            "admin export: values_list",
            Review.objects.filter(owner=user).order_by("pk").values_list(*review_admin.EXPORT_FIELDS),
        ),
    ]


def explain(sizes: list[int], workdir: Path, database: str) -> None:
    from django.db import connection

    lines = []
    for name, queryset in main_queries(max(sizes)):
        if name.endswith("count"):
            sql_plan = _explain_count(queryset, connection)
        else:
            options = {"analyze": True} if connection.vendor == "postgresql" else {}
            sql_plan = queryset.explain(**options)
        lines += [f"### {name}", "", "```", sql_plan, "```", ""]
    (workdir / f"explain-{database}.md").write_text("\n".join(lines))
    print("\n".join(lines))


def _explain_count(queryset, connection) -> str:
    """The plan of SELECT COUNT(*) over the queryset (as the paginator runs it)."""
    sql, params = queryset.values("pk").query.sql_with_params()
    prefix = "EXPLAIN ANALYZE " if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN "
    with connection.cursor() as cursor:
        cursor.execute(f"{prefix}SELECT COUNT(*) FROM ({sql}) AS counted", params)
        rows = cursor.fetchall()
    if connection.vendor == "postgresql":
        return "\n".join(row[0] for row in rows)
    return "\n".join(" ".join(str(cell) for cell in row) for row in rows)
