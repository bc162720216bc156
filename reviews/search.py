"""Searching review texts through an index: pg_trgm on PostgreSQL, an FTS5 trigram table on SQLite.

A search means what `text__icontains` means (the text contains the words, whatever the case); the
index only narrows which rows that test runs on. Migration 0006 builds both indexes.
"""

from django.db import connection
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL

FTS_TABLE = "reviews_review_fts"
# The search is a bound parameter, never part of the SQL text.
FTS_MATCHES = "SELECT rowid FROM reviews_review_fts WHERE reviews_review_fts MATCH %s"
FTS_COUNT_UP_TO = (
    "SELECT COUNT(*) FROM (SELECT rowid FROM reviews_review_fts WHERE reviews_review_fts MATCH %s LIMIT %s)"
)
# Up to this many matches in the whole table, the index picks the rows; above, the list's own order does.
FTS_DRIVES_UP_TO = 5_000
# A trigram index finds strings of three characters or more; a shorter search reads the rows.
TRIGRAM = 3


def text_search(reviews: QuerySet, search: str) -> QuerySet:
    """`reviews` whose text contains `search`, ignoring case."""
    return reviews.filter(text_matches(search))


def text_matches(search: str) -> Q:
    """The condition "the text contains `search`, ignoring case", in a form an index answers."""
    contains = Q(text__icontains=search)
    if connection.vendor != "sqlite" or len(search) < TRIGRAM:
        # PostgreSQL answers UPPER(text) LIKE '%...%' from the GIN trigram index on UPPER(text).
        return contains
    # FTS5's trigram tokenizer matches a substring in any case (a superset of SQLite's LIKE, which folds
    # ASCII only); LIKE then keeps exactly the rows it always kept.
    phrase = '"' + search.replace('"', '""') + '"'
    if _fts_matches_over(phrase, FTS_DRIVES_UP_TO):
        # A word in many reviews: SQLite would fetch every one of them by id (a second per 100,000) to keep
        # one user's; reading the user's newest reviews through their index finds a page of them sooner.
        return contains
    # A constant query with the search bound as a parameter (and quoted as one FTS5 phrase). First, so that
    # SQLite tests a row's id against the matches before it reads the row's text.
    return Q(id__in=RawSQL(FTS_MATCHES, [phrase])) & contains  # noqa: S611  # nosec B611


def _fts_matches_over(phrase: str, bound: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(FTS_COUNT_UP_TO, [phrase, bound + 1])
        return cursor.fetchone()[0] > bound
