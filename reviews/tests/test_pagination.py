"""Pages of reviews by ids first (reviews.pagination): the same pages as OFFSET over whole rows, counts
from the per-day counts, a search's count bounded; on the history page and in the API alike."""

import random

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reviews import pagination, selectors
from reviews.models import Sentiment
from reviews.pagination import ReviewPaginator
from reviews.tests.factories import ReviewFactory
from reviews.tests.pages import HISTORY, page_text

pytestmark = pytest.mark.django_db
REVIEWS = "/api/v1/reviews/"


@pytest.fixture
def many(user, other_user):
    rng = random.Random(27)
    for number in range(57):
        sentiment = rng.choice(Sentiment.values)
        score = round(rng.random() / 2 + (0.5 if sentiment == Sentiment.POSITIVE else 0), 3)
        ReviewFactory(
            owner=user, sentiment=sentiment, score=score, text=f"review {number} {'rare' * (number % 9 == 0)}"
        )
    ReviewFactory.create_batch(5, owner=other_user)
    return user


@pytest.mark.parametrize("sentiment", [None, Sentiment.POSITIVE])
@pytest.mark.parametrize("order", [("-created_at", "-id"), ("score", "id"), ("-score", "-id")])
def test_every_page_is_the_page_offset_would_give(many, sentiment, order):
    reviews = selectors.review_list(user=many, sentiment=sentiment).order_by(*order)
    count = selectors.review_list_count(user=many, sentiment=sentiment)
    assert count == reviews.count()
    plain, by_ids = Paginator(reviews, 10, orphans=3), ReviewPaginator(reviews, 10, orphans=3, count=count)
    assert by_ids.num_pages == plain.num_pages
    for number in plain.page_range:
        assert list(by_ids.page(number)) == list(plain.page(number))


def test_a_search_counts_up_to_its_bound(many, monkeypatch):
    reviews = selectors.review_list(user=many, search="review")
    bounded = ReviewPaginator(reviews, 10, count_limit=20)
    assert (bounded.count, bounded.count_capped, bounded.num_pages) == (20, True, 2)
    assert list(bounded.page(2)) == list(reviews[10:20])
    exact = ReviewPaginator(selectors.review_list(user=many, search="rare"), 10, count_limit=20)
    assert (exact.count, exact.count_capped) == (7, False)


def test_the_history_says_when_a_search_has_more_matches(signed_in, many, monkeypatch):
    monkeypatch.setattr("reviews.views.SEARCH_COUNT_LIMIT", 20)
    html = page_text(signed_in.get(HISTORY, {"q": "review"}))
    assert "The first 20 matching reviews" in html
    assert "there are more" in html
    assert "there are more" not in page_text(signed_in.get(HISTORY, {"q": "rare"}))


def test_the_history_counts_no_review_rows(signed_in, many):
    signed_in.get(HISTORY)
    with CaptureQueriesContext(connection) as queries:
        response = signed_in.get(HISTORY, {"page": 3, "sentiment": "negative"})
    assert response.status_code == 200
    counted = [query["sql"] for query in queries.captured_queries if "COUNT(" in query["sql"].upper()]
    assert not [sql for sql in counted if "reviews_review" in sql.replace("reviews_reviewday", "")]


def test_the_api_pages_and_counts_as_before(token_client, many):
    everything = selectors.review_list(user=many).order_by("-score", "-id")
    ids = []
    url = f"{REVIEWS}?ordering=-score"
    while url:
        body = token_client.get(url).json()
        assert body["count"] == 57
        ids += [item["id"] for item in body["results"]]
        url = body["next"]
    assert ids == [review.pk for review in everything]


def test_the_api_bounds_a_searchs_count(token_client, many, monkeypatch):
    monkeypatch.setattr(pagination, "SEARCH_COUNT_LIMIT", 30)
    body = token_client.get(REVIEWS, {"search": "review"}).json()
    assert body["count"] == 30 and "page=2" in body["next"]
    assert len(token_client.get(body["next"]).json()["results"]) == 10
    assert token_client.get(REVIEWS, {"search": "rare"}).json()["count"] == 7
