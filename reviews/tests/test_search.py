"""Review search through an index (reviews.search): the same answers as icontains, and the index in place."""

import pytest
from django.db import connection

from reviews import selectors
from reviews.models import Review
from reviews.tests.factories import ReviewFactory

pytestmark = pytest.mark.django_db


def found(user, search):
    return {review.text for review in selectors.review_list(user=user, search=search)}


def test_search_finds_substrings_in_any_case(user, other_user):
    texts = ["A SUPERB film", "superbly dull", "Ein großartiger Film", 'She said "wow"', "100% fun_time", "Été"]
    for text in texts:
        ReviewFactory(owner=user, text=text)
    ReviewFactory(owner=other_user, text="superb too, but not yours")
    assert found(user, "superb") == {"A SUPERB film", "superbly dull"}
    assert found(user, "ERBLY") == {"superbly dull"}
    assert found(user, "großartig") == {"Ein großartiger Film"}
    assert found(user, '"wow"') == {'She said "wow"'}
    assert found(user, "0% f") == {"100% fun_time"}
    assert found(user, "n_t") == {"100% fun_time"}
    assert found(user, "%") == {"100% fun_time"}
    assert found(user, "fi") == {"A SUPERB film", "Ein großartiger Film"}  # shorter than a trigram
    assert found(user, "nothing like it") == set()
    # Exactly what icontains answers (SQLite folds ASCII case only).
    for search in ("superb", "été", "ÉTÉ", "film"):
        assert found(user, search) == set(
            Review.objects.filter(owner=user, text__icontains=search).values_list("text", flat=True)
        )


def test_the_index_follows_inserts_updates_and_deletes(user):
    review = ReviewFactory(owner=user, text="a quokka smiles")
    assert found(user, "quokka") == {"a quokka smiles"}
    Review.objects.filter(pk=review.pk).update(text="a wombat frowns")
    assert found(user, "quokka") == set() and found(user, "wombat") == {"a wombat frowns"}
    review.delete()
    assert found(user, "wombat") == set()


def test_the_search_index_is_there():
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE name LIKE 'reviews_review_fts%%'")
            names = {row[0] for row in cursor.fetchall()}
            assert {"reviews_review_fts", "reviews_review_fts_insert", "reviews_review_fts_delete"} <= names
            assert "reviews_review_fts_update" in names
        elif connection.vendor == "postgresql":
            cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'reviews_review'")
            names = {row[0] for row in cursor.fetchall()}
            assert {"review_text_trgm", "review_warnings_gin"} <= names
