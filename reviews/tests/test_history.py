"""The history page: own reviews only, paging, filters, the disputed state, and the trends charted above the list."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from reviews.models import Review, Sentiment
from reviews.services import review_days_rebuild
from reviews.tests.factories import ReviewFactory
from reviews.tests.pages import ESCAPED_SCRIPT, HISTORY, SCRIPT, dispute_url, page_text

pytestmark = pytest.mark.django_db


# --- History ---


def test_history_needs_sign_in(client):
    response = client.get(HISTORY)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={HISTORY}"


def test_history_lists_only_own_reviews_newest_first(signed_in, user, other_user):
    now = timezone.now()
    older = ReviewFactory(owner=user, text="Older review")
    newer = ReviewFactory(owner=user, text="Newer review")
    Review.objects.filter(pk=older.pk).update(created_at=now - datetime.timedelta(days=2))
    Review.objects.filter(pk=newer.pk).update(created_at=now - datetime.timedelta(days=1))
    ReviewFactory(owner=other_user, text="Not yours")
    response = signed_in.get(HISTORY)
    assert list(response.context["page_obj"]) == [newer, older]
    html = page_text(response)
    assert html.index("Newer review") < html.index("Older review")
    assert "Not yours" not in html


def test_history_rows_show_verdict_score_model_and_date(signed_in, user):
    review = ReviewFactory(owner=user, sentiment=Sentiment.POSITIVE, score=0.873, model_version="cnn-20260101")
    html = page_text(signed_in.get(HISTORY))
    assert "badge--positive" in html
    assert "87%" in html
    assert "cnn-20260101" in html
    assert review.created_at.strftime("%Y-%m-%d") in html  # <time datetime=...>
    assert reverse("reviews:delete", args=[review.pk]) in html


def test_history_pages_by_twenty(signed_in, user):
    ReviewFactory.create_batch(25, owner=user)
    first = signed_in.get(HISTORY)
    assert len(first.context["page_obj"]) == 20
    assert "page=2" in page_text(first)
    second = signed_in.get(HISTORY, {"page": 2})
    assert len(second.context["page_obj"]) == 5
    assert signed_in.get(HISTORY, {"page": "nonsense"}).status_code == 200


def test_history_filters_by_sentiment_and_searches(signed_in, user):
    ReviewFactory(owner=user, text="Superb acting", sentiment=Sentiment.POSITIVE, score=0.9)
    ReviewFactory(owner=user, text="Dull acting", sentiment=Sentiment.NEGATIVE, score=0.1)
    ReviewFactory(owner=user, text="Dull plot", sentiment=Sentiment.NEGATIVE, score=0.2)
    only_negative = signed_in.get(HISTORY, {"sentiment": "negative"})
    assert {r.text for r in only_negative.context["page_obj"]} == {"Dull acting", "Dull plot"}
    search = signed_in.get(HISTORY, {"q": "ACTING"})
    assert {r.text for r in search.context["page_obj"]} == {"Superb acting", "Dull acting"}
    both = signed_in.get(HISTORY, {"q": "acting", "sentiment": "negative"})
    assert [r.text for r in both.context["page_obj"]] == ["Dull acting"]
    # The page links keep the filters.
    ReviewFactory.create_batch(21, owner=user, text="Dull again", sentiment=Sentiment.NEGATIVE, score=0.1)
    html = page_text(signed_in.get(HISTORY, {"q": "dull", "sentiment": "negative"}))
    assert "?q=dull&amp;sentiment=negative&amp;page=2" in html


def test_history_summary_counts_by_sentiment(signed_in, user, other_user):
    ReviewFactory.create_batch(2, owner=user, sentiment=Sentiment.POSITIVE)
    ReviewFactory.create_batch(3, owner=user, sentiment=Sentiment.NEGATIVE, score=0.2)
    ReviewFactory.create_batch(4, owner=other_user)
    response = signed_in.get(HISTORY)
    assert response.context["counts"] == {"positive": 2, "negative": 3, "total": 5}
    html = page_text(response)
    assert re.search(r'stat__value">5<.*?reviews', html, re.S)
    assert re.search(r'stat__value">2<.*?positive', html, re.S)
    assert re.search(r'stat__value">3<.*?negative', html, re.S)


@pytest.mark.parametrize("query", [{"sentiment": "bogus"}, {"q": "a\x00b"}])
def test_history_ignores_invalid_filters_without_failing(signed_in, user, query):
    ReviewFactory(owner=user)
    response = signed_in.get(HISTORY, query)
    assert response.status_code == 200
    assert len(response.context["page_obj"]) == 1
    assert 'aria-invalid="true"' in page_text(response)


def test_history_escapes_the_text(signed_in, user):
    ReviewFactory(owner=user, text=SCRIPT)
    html = page_text(signed_in.get(HISTORY))
    assert SCRIPT not in html
    assert ESCAPED_SCRIPT in html


def test_history_empty_state(signed_in):
    assert "No reviews yet." in page_text(signed_in.get(HISTORY))


# --- Feedback: "this verdict is wrong" ---


def test_history_rows_show_and_toggle_the_disputed_state(signed_in, user):
    disputed = ReviewFactory(owner=user, text="The model got this one wrong", verdict_disputed=True)
    agreed = ReviewFactory(owner=user, text="The model got this one right")
    html = page_text(signed_in.get(HISTORY, {"q": "model"}))
    rows = dict(
        zip(
            re.findall(r'<a href="/reviews/(\d+)/" dir="auto">', html),
            re.findall(r'<tr data-testid="history-row">(.*?)</tr>', html, re.S),
            strict=True,
        )
    )
    assert "Marked wrong" in rows[str(disputed.pk)]
    assert '<input type="hidden" name="disputed" value="false">' in rows[str(disputed.pk)]
    assert "Marked wrong" not in rows[str(agreed.pk)]
    assert '<input type="hidden" name="disputed" value="true">' in rows[str(agreed.pk)]
    assert f'name="next" value="{HISTORY}?q=model"' in rows[str(agreed.pk)]
    response = signed_in.post(dispute_url(agreed), {"disputed": "true", "next": f"{HISTORY}?q=model"}, follow=True)
    assert response.redirect_chain == [(f"{HISTORY}?q=model", 302)]
    assert page_text(response).count('data-testid="disputed-badge"') == 2


# --- Trends on the history page ---


def dated_review(owner, when: datetime.datetime, **fields):
    review = ReviewFactory(owner=owner, **fields)
    Review.objects.filter(pk=review.pk).update(created_at=when)
    review_days_rebuild(user=owner)  # an update() passes by the per-day counts
    return review


def test_history_charts_the_users_verdicts_over_time(signed_in, user, other_user):
    day = datetime.datetime(2026, 3, 2, 12, tzinfo=datetime.UTC)
    dated_review(user, day, score=0.9)
    dated_review(user, day, score=0.7)
    dated_review(user, day, sentiment=Sentiment.NEGATIVE, score=0.2)
    dated_review(user, day + datetime.timedelta(days=2), sentiment=Sentiment.NEGATIVE, score=0.1)
    dated_review(other_user, day + datetime.timedelta(days=1), score=0.9)
    html = page_text(signed_in.get(HISTORY))
    svg = re.search(r'<svg class="chart".*?</svg>', html, re.S).group()
    assert 'role="img"' in svg and 'aria-labelledby="chart-title chart-desc"' in svg
    assert '<title id="chart-title">Your verdicts per day</title>' in svg
    assert "from Mon 2 Mar 2026 to Wed 4 Mar 2026: 2 positive and 2 negative in all." in svg
    positive = re.search(r'data-testid="positive-bars">(.*?)</g>', svg, re.S).group(1)
    negative = re.search(r'data-testid="negative-bars">(.*?)</g>', svg, re.S).group(1)
    assert re.findall(r'data-count="(\d+)"><title>([^<]*)<', positive) == [("2", "Mon 2 Mar 2026: 2 positive")]
    assert re.findall(r'data-count="(\d+)"><title>([^<]*)<', negative) == [
        ("1", "Mon 2 Mar 2026: 1 negative"),
        ("1", "Wed 4 Mar 2026: 1 negative"),
    ]
    assert [label for label in re.findall(r"<text[^>]*>([^<]*)</text>", svg)][-5:] == [
        "2 Mar",
        "3 Mar",
        "4 Mar",
        "Day",
        "Reviews",
    ]
    assert "style=" not in svg
    table = re.search(r'data-testid="timeline-table">(.*?)</table>', html, re.S).group(1)
    assert re.findall(r'<th scope="row">([^<]*)</th><td>(\d+)</td><td>(\d+)</td><td>([^<]*)</td>', table) == [
        ("Mon 2 Mar 2026", "2", "1", "60%"),
        ("Wed 4 Mar 2026", "0", "1", "10%"),
    ]
    assert "<details" in html


def test_history_shows_the_words_that_drive_the_users_verdicts(signed_in, user, other_user):
    ReviewFactory(owner=user, explanation=[["Brilliant!", 2.0], ["dull", -1.0]])
    ReviewFactory(owner=user, explanation=[["brilliant", 1.5], ["plot", -0.5]])
    ReviewFactory(owner=other_user, explanation=[["awful", -9.0]])
    html = page_text(signed_in.get(HISTORY))
    panel = re.search(r'data-testid="top-words">(.*?)</section>', html, re.S).group(1)
    positive, negative = re.findall(r'<ol class="top-words__list">(.*?)</ol>', panel, re.S)
    pattern = r'top-words__word" dir="auto">([^<]*)<.*?top-words__weight">([^<]*)<'
    assert re.findall(pattern, positive, re.S) == [("brilliant", "+3.50")]
    assert re.findall(pattern, negative, re.S) == [("dull", "\u22121.00"), ("plot", "\u22120.50")]
    assert "awful" not in panel
    assert "your latest 2 reviews" in panel


def test_trends_ignore_the_list_filters(signed_in, user):
    ReviewFactory(owner=user, sentiment=Sentiment.NEGATIVE, score=0.1, text="Dull")
    ReviewFactory(owner=user, text="Superb")
    html = page_text(signed_in.get(HISTORY, {"sentiment": "positive"}))
    assert "1 positive and 1 negative in all" in html


def test_history_without_reviews_has_no_chart(signed_in):
    response = signed_in.get(HISTORY)
    assert '<svg class="chart"' not in page_text(response)
    assert "chart" not in response.context


def test_history_trends_take_a_fixed_number_of_queries(signed_in, user, django_assert_num_queries):
    for day in range(1, 6):
        dated_review(user, datetime.datetime(2026, 3, day, tzinfo=datetime.UTC), explanation=[["good", 1.0]])
    signed_in.get(HISTORY)  # warm the session and the user
    # Session, user, the view throttle (the database cache: read, count, find, write, in a savepoint),
    # counts (ReviewDay), the page's ids, its rows, the timeline (ReviewDay), the top words' ids and cache.
    with django_assert_num_queries(14):
        signed_in.get(HISTORY)


def test_history_queries_do_not_grow_with_the_rows(signed_in, user, django_assert_max_num_queries):
    ReviewFactory.create_batch(5, owner=user, explanation=[["good", 1.0]])
    signed_in.get(HISTORY)
    with django_assert_max_num_queries(14):
        signed_in.get(HISTORY)
    ReviewFactory.create_batch(60, owner=user, explanation=[["good", 1.0]])
    signed_in.get(HISTORY)  # the top words of the new latest reviews, worked out once and cached
    for query in ({}, {"page": 2}, {"page": 4}, {"sentiment": "positive", "page": 3}):
        with django_assert_max_num_queries(14):
            assert signed_in.get(HISTORY, query).status_code == 200
    # A search counts its matches (up to SEARCH_COUNT_LIMIT); on SQLite it first asks FTS how common it is.
    with django_assert_max_num_queries(16):
        assert signed_in.get(HISTORY, {"q": "review", "page": 2}).status_code == 200
