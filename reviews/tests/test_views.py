"""The pages: classify, history, detail, delete, feedback, insights, sign-up, accounts, API token; ownership, CSRF, escaping."""

import datetime
import html as html_lib
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token

from reviews.forms import NUL_MESSAGE
from reviews.models import Review, Sentiment
from reviews.tests.factories import ReviewFactory

pytestmark = pytest.mark.django_db

POSITIVE_TEXT = "A brilliant, wonderful film, I loved it."
NEGATIVE_TEXT = "An awful, boring, dreadful waste."
SCRIPT = "<script>alert('pwned')</script>"
ESCAPED_SCRIPT = "&lt;script&gt;alert(&#x27;pwned&#x27;)&lt;/script&gt;"
# Emoji, Arabic and Hebrew, a right-to-left mark, leading spaces and a CRLF: all kept byte for byte.
INTERNATIONAL_TEXT = "  Loved it 🎬🍿👍🏽 — فيلم رائع — סרט נהדר \u200f!\r\nSecond line"
PASSWORD = "correct-horse-battery-staple"

HOME = reverse("reviews:home")
HISTORY = reverse("reviews:history")
SIGNUP = reverse("reviews:signup")
API_TOKEN = reverse("reviews:api_token")


@pytest.fixture
def signed_in(client, user):
    client.force_login(user)
    return client


def page_text(response) -> str:
    return response.content.decode()


def shown_review_text(html: str) -> str:
    """The review as the page shows it: the quote's content without its highlight tags, unescaped."""
    inner = re.search(r'data-testid="review-text">(.*?)</blockquote>', html, re.S).group(1)
    return html_lib.unescape(re.sub(r"</?mark[^>]*>", "", inner))


# --- Classify (/) ---


def test_home_shows_a_labelled_textarea(client):
    response = client.get(HOME)
    assert response.status_code == 200
    html = page_text(response)
    assert re.search(r'<label[^>]*for="id_text"', html)
    assert re.search(r'<textarea[^>]*name="text"', html)
    assert 'name="csrfmiddlewaretoken"' in html
    assert "Classify review" in html


def test_anonymous_gets_a_positive_verdict_and_nothing_is_stored(client, served_model):
    response = client.post(HOME, {"text": POSITIVE_TEXT})
    assert response.status_code == 200
    verdict = response.context["verdict"]
    assert verdict.label == "Positive"
    assert verdict.score > 0.5
    html = page_text(response)
    assert 'data-testid="verdict">Positive<' in html
    assert re.search(r'verdict__percent"><strong>(&gt;)?\d+\.\d%</strong>', html)
    assert "100.0%" not in html
    assert "<meter" in html
    assert verdict.model_version in html and verdict.model_version.startswith("tiny-")
    assert verdict.confidence_wording in html
    assert POSITIVE_TEXT in html
    assert "Create a free account" in html
    assert not Review.objects.exists()


def test_anonymous_gets_a_negative_verdict(client, served_model):
    response = client.post(HOME, {"text": NEGATIVE_TEXT})
    assert response.status_code == 200
    assert response.context["verdict"].label == "Negative"
    assert 'data-testid="verdict">Negative<' in page_text(response)
    assert not Review.objects.exists()


def test_anonymous_echo_is_escaped(client, served_model):
    html = page_text(client.post(HOME, {"text": SCRIPT}))
    assert SCRIPT not in html
    assert ESCAPED_SCRIPT in html


def test_signed_in_post_stores_the_review_and_redirects_to_it(signed_in, user, served_model):
    response = signed_in.post(HOME, {"text": NEGATIVE_TEXT})
    review = Review.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("reviews:detail", args=[review.pk])
    assert review.owner == user
    assert review.text == NEGATIVE_TEXT
    assert review.sentiment == Sentiment.NEGATIVE
    page = signed_in.get(response["Location"])
    assert 'data-testid="verdict">Negative<' in page_text(page)
    assert "Saved to your history." in page_text(page)


def test_emoji_and_rtl_are_stored_and_shown_exactly(signed_in, served_model):
    response = signed_in.post(HOME, {"text": INTERNATIONAL_TEXT}, follow=True)
    review = Review.objects.get()
    assert review.text == INTERNATIONAL_TEXT
    html = page_text(response)
    assert shown_review_text(html) == INTERNATIONAL_TEXT
    assert 'dir="auto"' in html
    assert INTERNATIONAL_TEXT.strip().splitlines()[0].strip()[:40] in page_text(signed_in.get(HISTORY))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Write a review first: the text is empty."),
        ("   \n\t ", "Write a review first: the text is only spaces."),
        ("great\x00film", NUL_MESSAGE),
        ("a" * 20_001, "at most 20000 characters"),
    ],
)
def test_invalid_text_shows_the_error_and_stores_nothing(signed_in, text, message):
    response = signed_in.post(HOME, {"text": text})
    assert response.status_code == 200
    assert message in page_text(response)
    assert 'aria-invalid="true"' in page_text(response)
    assert "verdict" not in response.context
    assert not Review.objects.exists()


def test_classify_holds_no_transaction_while_predicting():
    # ATOMIC_REQUESTS would otherwise hold the database (SQLite's write lock) during the model call.
    from reviews import views

    assert "default" in views.home._non_atomic_requests


def test_signed_in_home_lists_the_latest_reviews(signed_in, user, other_user):
    ReviewFactory(owner=user, text="My own recent review")
    ReviewFactory(owner=other_user, text="Somebody else's review")
    html = page_text(signed_in.get(HOME))
    assert "My own recent review" in html
    assert "Somebody else" not in html


# --- The model is unavailable ---


def test_missing_model_gives_a_friendly_503_and_stores_nothing(signed_in, missing_model):
    response = signed_in.post(HOME, {"text": POSITIVE_TEXT})
    assert response.status_code == 503
    assert response["Retry-After"].isdigit()
    html = page_text(response)
    assert "The model is taking a break" in html
    assert "nothing was saved" in html
    assert POSITIVE_TEXT in html  # still in the box, to try again
    assert "does not exist" not in html  # no internals
    assert not Review.objects.exists()


def test_missing_model_for_anonymous_visitors(client, missing_model):
    response = client.post(HOME, {"text": POSITIVE_TEXT})
    assert response.status_code == 503
    assert "The model is taking a break" in page_text(response)


def test_the_rest_of_the_site_works_without_a_model(signed_in, user, missing_model, admin_client):
    review = ReviewFactory(owner=user)
    assert signed_in.get(HOME).status_code == 200
    assert signed_in.get(HISTORY).status_code == 200
    assert signed_in.get(review.get_absolute_url()).status_code == 200
    assert signed_in.get(API_TOKEN).status_code == 200
    assert signed_in.post(reverse("reviews:delete", args=[review.pk])).status_code == 302
    assert admin_client.get(reverse("admin:reviews_review_changelist")).status_code == 200


# --- Detail and delete: owner only ---


def test_detail_shows_the_owners_review(signed_in, user):
    review = ReviewFactory(owner=user, sentiment=Sentiment.NEGATIVE, score=0.125, model_version="cnn-abc")
    response = signed_in.get(review.get_absolute_url())
    assert response.status_code == 200
    html = page_text(response)
    assert 'data-testid="verdict">Negative<' in html
    assert "12.5%" in html
    assert "cnn-abc" in html
    assert "Confident (88% sure)" in html


@pytest.mark.parametrize(
    ("sentiment", "score", "confidence", "wording"),
    [
        ("positive", 0.99, "high", "Confident (99% sure)"),
        ("negative", 0.03, "high", "Confident (97% sure)"),
        ("positive", 0.75, "medium", "Fairly sure (75% sure)"),
        ("negative", 0.45, "low", "Not sure: this review could be read either way"),
    ],
)
def test_confidence_wording(signed_in, user, sentiment, score, confidence, wording):
    review = ReviewFactory(owner=user, sentiment=sentiment, score=score, confidence=confidence)
    assert wording in page_text(signed_in.get(review.get_absolute_url()))


def test_detail_of_another_users_review_is_404(signed_in, other_user):
    theirs = ReviewFactory(owner=other_user)
    assert signed_in.get(theirs.get_absolute_url()).status_code == 404
    assert signed_in.get(reverse("reviews:detail", args=[10**9])).status_code == 404


def test_detail_of_an_out_of_range_id_is_404(signed_in):
    assert signed_in.get("/reviews/99999999999999999999999/").status_code == 404


def test_detail_escapes_the_text(signed_in, user):
    review = ReviewFactory(owner=user, text=SCRIPT)
    html = page_text(signed_in.get(review.get_absolute_url()))
    assert SCRIPT not in html
    assert ESCAPED_SCRIPT in html


@pytest.mark.parametrize("name", ["reviews:detail", "reviews:delete"])
def test_review_pages_need_sign_in(client, user, name):
    review = ReviewFactory(owner=user)
    response = client.get(reverse(name, args=[review.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_delete_asks_for_confirmation_first(signed_in, user):
    review = ReviewFactory(owner=user, text="Delete me, please")
    response = signed_in.get(reverse("reviews:delete", args=[review.pk]))
    assert response.status_code == 200
    assert "Delete this review?" in page_text(response)
    assert "Delete me, please" in page_text(response)
    assert Review.objects.filter(pk=review.pk).exists()


def test_delete_removes_the_review_and_returns_to_history(signed_in, user):
    review = ReviewFactory(owner=user)
    response = signed_in.post(reverse("reviews:delete", args=[review.pk]))
    assert response.status_code == 302
    assert response["Location"] == HISTORY
    assert not Review.objects.filter(pk=review.pk).exists()
    assert "The review was deleted." in page_text(signed_in.get(HISTORY))


def test_cannot_delete_another_users_review(signed_in, other_user):
    theirs = ReviewFactory(owner=other_user)
    url = reverse("reviews:delete", args=[theirs.pk])
    assert signed_in.get(url).status_code == 404
    assert signed_in.post(url).status_code == 404
    assert Review.objects.filter(pk=theirs.pk).exists()


def test_anonymous_cannot_delete(client, user):
    review = ReviewFactory(owner=user)
    response = client.post(reverse("reviews:delete", args=[review.pk]))
    assert response.status_code == 302
    assert Review.objects.filter(pk=review.pk).exists()


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


# --- Explanations: the words that pushed the verdict ---

EXPLAINED_TEXT = "The acting was brilliant,\n  but the plot was dreadful."
EXPLANATION = [
    ["The", 0.0],
    ["acting", 0.3],
    ["was", 0.01],
    ["brilliant,", 2.0],
    ["but", -0.5],
    ["the", 0.0],
    ["plot", -0.9],
    ["was", 0.0],
    ["dreadful.", -1.6],
]


def test_detail_highlights_the_words_by_direction_and_strength(signed_in, user):
    review = ReviewFactory(owner=user, text=EXPLAINED_TEXT, explanation=EXPLANATION)
    html = page_text(signed_in.get(review.get_absolute_url()))
    assert '<mark class="hl hl--pos-3" title="Pushed towards positive (+2.00)">brilliant,</mark>' in html
    assert '<mark class="hl hl--pos-1" title="Pushed towards positive (+0.30)">acting</mark>' in html
    assert '<mark class="hl hl--neg-1" title="Pushed towards negative (\u22120.50)">but</mark>' in html
    assert '<mark class="hl hl--neg-2" title="Pushed towards negative (\u22120.90)">plot</mark>' in html
    assert '<mark class="hl hl--neg-3" title="Pushed towards negative (\u22121.60)">dreadful.</mark>' in html
    assert ">was</mark>" not in html  # too weak to mark
    assert shown_review_text(html) == EXPLAINED_TEXT  # whitespace and punctuation kept exactly
    # The legend, with every class it explains, and the same information without colour.
    legend = re.search(r'data-testid="highlight-legend">(.*?)</div>', html, re.S).group(1)
    assert "towards negative" in legend and "towards positive" in legend
    for css_class in ("neg-3", "neg-2", "neg-1", "pos-1", "pos-2", "pos-3"):
        assert f'class="hl hl--{css_class}"' in legend
    keywords = re.search(r'data-testid="keywords">(.*?)</p>\s*</div>', html, re.S).group(1)
    assert "Words that pushed it most towards positive" in keywords
    positive, negative = re.findall(r'<ol class="keywords__list">(.*?)</ol>', keywords, re.S)
    assert re.findall(r'keywords__word" dir="auto">([^<]*)<.*?keywords__weight">([^<]*)<', positive) == [
        ("brilliant", "+2.00"),
        ("acting", "+0.30"),
    ]
    assert re.findall(r'keywords__word" dir="auto">([^<]*)<.*?keywords__weight">([^<]*)<', negative) == [
        ("dreadful", "\u22121.60"),
        ("plot", "\u22120.90"),
        ("but", "\u22120.50"),
    ]


def test_markup_in_a_highlighted_word_is_escaped(signed_in, user):
    text = f"{SCRIPT} awful"
    review = ReviewFactory(owner=user, text=text, explanation=[[SCRIPT, 1.0], ["awful", -2.0]])
    html = page_text(signed_in.get(review.get_absolute_url()))
    assert SCRIPT not in html
    assert f'<mark class="hl hl--pos-2" title="Pushed towards positive (+1.00)">{ESCAPED_SCRIPT}</mark>' in html
    assert shown_review_text(html) == text


def test_a_review_without_a_fitting_explanation_is_shown_plain(signed_in, user):
    old = ReviewFactory(owner=user, text=EXPLAINED_TEXT, explanation=[])
    other = ReviewFactory(owner=user, text="Something else entirely", explanation=EXPLANATION)
    for review in (old, other):
        html = page_text(signed_in.get(review.get_absolute_url()))
        assert "<mark" not in html
        assert 'data-testid="highlight-legend"' not in html
        assert f'data-testid="review-text">{html_lib.escape(review.text)}</blockquote>' in html


def test_anonymous_verdict_is_explained(client, served_model):
    text = "The acting was brilliant but the plot was dreadful and far too long."
    response = client.post(HOME, {"text": text})
    html = page_text(response)
    explanation = response.context["verdict"].explanation
    assert explanation is not None
    assert [word.word for word in explanation.positive][:1] == ["brilliant"]
    assert [word.word for word in explanation.negative][:1] == ["dreadful"]
    assert re.search(r'<mark class="hl hl--pos-\d" title="[^"]+">brilliant</mark>', html)
    assert re.search(r'<mark class="hl hl--neg-\d" title="[^"]+">dreadful</mark>', html)
    assert 'data-testid="highlight-legend"' in html
    assert shown_review_text(html) == text
    assert not Review.objects.exists()


def test_signed_in_verdict_page_shows_the_stored_explanation(signed_in, served_model):
    # A mixed review: in a clear-cut one the tiny model is so sure that no single word moves it.
    text = "The acting was brilliant but the plot was dreadful and far too long."
    response = signed_in.post(HOME, {"text": text}, follow=True)
    review = Review.objects.get()
    assert [word for word, _ in review.explanation] == text.split()
    html = page_text(response)
    assert re.search(r'<mark class="hl hl--pos-\d" title="[^"]+">brilliant</mark>', html)
    assert re.search(r'<mark class="hl hl--neg-\d" title="[^"]+">dreadful</mark>', html)
    assert shown_review_text(html) == text


# --- Feedback: "this verdict is wrong" ---


def csrf_client(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    client.get(HISTORY)  # sets the CSRF cookie
    return client


def dispute_url(review) -> str:
    return reverse("reviews:dispute", args=[review.pk])


def test_the_owner_marks_a_verdict_wrong_and_undoes_it(user):
    client = csrf_client(user)
    token = client.cookies["csrftoken"].value
    review = ReviewFactory(owner=user, sentiment=Sentiment.POSITIVE)
    detail = page_text(client.get(review.get_absolute_url()))
    assert re.search(rf'<form method="post" action="{dispute_url(review)}"', detail)
    assert '<input type="hidden" name="disputed" value="true">' in detail
    assert "This verdict is wrong" in detail

    response = client.post(dispute_url(review), {"disputed": "true", "csrfmiddlewaretoken": token}, follow=True)
    assert response.redirect_chain == [(review.get_absolute_url(), 302)]
    review.refresh_from_db()
    assert review.verdict_disputed is True
    html = page_text(response)
    assert "Thanks: the verdict is marked as wrong." in html
    assert "You marked this verdict as wrong" in html
    assert "You read this review as negative." in html
    assert '<input type="hidden" name="disputed" value="false">' in html

    response = client.post(dispute_url(review), {"disputed": "false", "csrfmiddlewaretoken": token}, follow=True)
    review.refresh_from_db()
    assert review.verdict_disputed is False
    assert "the verdict is no longer marked as wrong" in page_text(response)
    assert "You marked this verdict as wrong" not in page_text(response)


def test_dispute_needs_the_csrf_token(user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    review = ReviewFactory(owner=user)
    assert client.post(dispute_url(review), {"disputed": "true"}).status_code == 403
    review.refresh_from_db()
    assert review.verdict_disputed is False


def test_another_users_verdict_cannot_be_disputed(signed_in, other_user):
    theirs = ReviewFactory(owner=other_user)
    assert signed_in.post(dispute_url(theirs), {"disputed": "true"}).status_code == 404
    assert signed_in.post(reverse("reviews:dispute", args=[10**9]), {"disputed": "true"}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.verdict_disputed is False


def test_dispute_is_post_only_signed_in_only_and_checks_its_value(client, signed_in, user):
    review = ReviewFactory(owner=user)
    assert signed_in.get(dispute_url(review)).status_code == 405
    assert signed_in.post(dispute_url(review), {"disputed": "maybe"}).status_code == 400
    assert signed_in.post(dispute_url(review), {}).status_code == 400
    anonymous = Client().post(dispute_url(review), {"disputed": "true"})
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("login"))
    review.refresh_from_db()
    assert review.verdict_disputed is False


def test_dispute_returns_to_a_safe_next_page_only(signed_in, user):
    review = ReviewFactory(owner=user)
    back = f"{HISTORY}?sentiment=positive&page=1"
    response = signed_in.post(dispute_url(review), {"disputed": "true", "next": back})
    assert response["Location"] == back
    response = signed_in.post(dispute_url(review), {"disputed": "false", "next": "https://evil.example/"})
    assert response["Location"] == review.get_absolute_url()


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


# --- Insights on the history page ---


def dated_review(owner, when: datetime.datetime, **fields):
    review = ReviewFactory(owner=owner, **fields)
    Review.objects.filter(pk=review.pk).update(created_at=when)
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


def test_insights_ignore_the_list_filters(signed_in, user):
    ReviewFactory(owner=user, sentiment=Sentiment.NEGATIVE, score=0.1, text="Dull")
    ReviewFactory(owner=user, text="Superb")
    html = page_text(signed_in.get(HISTORY, {"sentiment": "positive"}))
    assert "1 positive and 1 negative in all" in html


def test_history_without_reviews_has_no_chart(signed_in):
    response = signed_in.get(HISTORY)
    assert '<svg class="chart"' not in page_text(response)
    assert "chart" not in response.context


def test_history_insights_take_a_fixed_number_of_queries(signed_in, user, django_assert_num_queries):
    for day in range(1, 6):
        dated_review(user, datetime.datetime(2026, 3, day, tzinfo=datetime.UTC), explanation=[["good", 1.0]])
    signed_in.get(HISTORY)  # warm the session and the user
    with django_assert_num_queries(8):  # session, user, list count, list page, counts, timeline (2), top words
        signed_in.get(HISTORY)


# --- Model choice on the classify page ---


@pytest.fixture
def two_models(tiny_artifact, tmp_path, settings, catalogue):
    """Two shipped artifacts, "beta" (the configured default) and "alpha" (catalogued), both the tiny model."""
    from classifier import services as classifier_services

    catalogue("alpha")
    root = tmp_path / "artifacts"
    root.mkdir()
    for name in ("alpha", "beta"):
        (root / name).symlink_to(tiny_artifact, target_is_directory=True)
    settings.SENTIMENT_MODEL_DIR = root / "beta"
    classifier_services.reset()
    yield root
    classifier_services.reset()


def test_visitors_choose_among_the_models_default_first(client, two_models):
    html = page_text(client.get(HOME))
    select = re.search(r'<select name="model"[^>]*>(.*?)</select>', html, re.S).group(1)
    assert re.findall(r'<option value="([^"]+)"', select) == ["beta", "alpha"]
    assert '<option value="beta" selected>beta (default)</option>' in select
    assert re.search(r'<label class="field__label" for="id_model">Model</label>', html)


def test_the_chosen_model_gives_the_verdict(client, two_models, monkeypatch):
    from classifier import services as classifier_services

    calls = []
    predict = classifier_services.predict
    monkeypatch.setattr(classifier_services, "predict", lambda texts, **kw: calls.append(kw) or predict(texts, **kw))
    response = client.post(HOME, {"text": POSITIVE_TEXT, "model": "alpha"})
    assert response.status_code == 200
    assert calls == [{"model": "alpha"}]
    verdict = response.context["verdict"]
    assert verdict.label == "Positive"
    assert f"<code>{verdict.model_version}</code>" in page_text(response)
    assert '<option value="alpha" selected>alpha</option>' in page_text(response)


def test_an_unknown_model_is_a_form_error_not_a_500(client, two_models):
    for name in ("gamma", "../beta"):
        response = client.post(HOME, {"text": POSITIVE_TEXT, "model": name})
        assert response.status_code == 200
        assert "verdict" not in response.context
        assert f"There is no model called “{html_lib.escape(name)}”" in page_text(response)


def test_members_choose_the_model_of_a_stored_verdict(signed_in, user, two_models, monkeypatch):
    from classifier import services as classifier_services

    calls = []
    predict = classifier_services.predict
    monkeypatch.setattr(classifier_services, "predict", lambda texts, **kw: calls.append(kw) or predict(texts, **kw))
    assert 'name="model"' in page_text(signed_in.get(HOME))
    response = signed_in.post(HOME, {"text": POSITIVE_TEXT, "model": "alpha"})
    assert calls == [{"model": "alpha"}]
    review = Review.objects.get(owner=user)
    assert response.status_code == 302 and response["Location"] == review.get_absolute_url()
    assert review.sentiment == "positive" and review.explanation


def test_no_model_choice_with_a_single_model(client, served_model):
    assert 'name="model"' not in page_text(client.get(HOME))
    response = client.post(HOME, {"text": POSITIVE_TEXT, "model": "anything"})
    assert response.context["verdict"].label == "Positive"  # an unoffered choice is ignored


# --- Sign-up and the auth pages ---


def test_signup_creates_the_user_and_signs_them_in(client):
    response = client.post(
        SIGNUP,
        {
            "username": "newcomer",
            "email": "",
            "password1": "a-long-unusual-pass-42",
            "password2": "a-long-unusual-pass-42",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == HOME
    user = get_user_model().objects.get(username="newcomer")
    assert user.email == ""
    assert int(client.session["_auth_user_id"]) == user.pk
    html = page_text(client.get(HOME))
    assert "Signed in as <strong>newcomer</strong>" in html
    assert "Welcome, newcomer!" in html


def test_signup_refuses_a_weak_password(client):
    response = client.post(SIGNUP, {"username": "newcomer", "password1": "12345678", "password2": "12345678"})
    assert response.status_code == 200
    assert "This password is too common." in page_text(response)
    assert not get_user_model().objects.filter(username="newcomer").exists()


def test_signup_follows_a_safe_next_only(client):
    data = {"username": "a", "password1": "a-long-unusual-pass-42", "password2": "a-long-unusual-pass-42"}
    assert client.post(SIGNUP, {**data, "next": HISTORY})["Location"] == HISTORY
    other = Client()
    data["username"] = "b"
    assert other.post(SIGNUP, {**data, "next": "https://evil.example/"})["Location"] == HOME


def test_signup_redirects_someone_already_signed_in(signed_in):
    assert signed_in.get(SIGNUP)["Location"] == HOME


def test_login_page_and_sign_in(client, user):
    page = client.get(reverse("login"))
    assert page.status_code == 200
    assert re.search(r'<label[^>]*for="id_username"', page_text(page))
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == HOME
    wrong = Client().post(reverse("login"), {"username": user.username, "password": "nope"})
    assert wrong.status_code == 200
    assert "Please enter a correct username and password" in page_text(wrong)


def test_sign_out_is_a_post(signed_in):
    html = page_text(signed_in.get(HOME))
    assert re.search(r'<form[^>]*method="post"[^>]*action="/accounts/logout/"', html)
    assert signed_in.get(reverse("logout")).status_code == 405
    response = signed_in.post(reverse("logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in signed_in.session


def test_password_change_pages(signed_in, user):
    assert signed_in.get(reverse("password_change")).status_code == 200
    response = signed_in.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "another-long-pass-77", "new_password2": "another-long-pass-77"},
        follow=True,
    )
    assert "Password changed" in page_text(response)
    user.refresh_from_db()
    assert user.check_password("another-long-pass-77")


def test_password_reset_flow(client, user):
    assert client.get(reverse("password_reset")).status_code == 200
    done = client.post(reverse("password_reset"), {"email": user.email}, follow=True)
    assert "Check your email" in page_text(done)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "Reset your sentisite password"
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", mail.outbox[0].body).group(1)
    form = client.get(link, follow=True)
    assert "Choose a new password" in page_text(form)
    complete = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "brand-new-pass-99", "new_password2": "brand-new-pass-99"},
        follow=True,
    )
    assert "Your password is set" in page_text(complete)
    user.refresh_from_db()
    assert user.check_password("brand-new-pass-99")


# --- API token ---


def test_api_token_page_shows_a_stable_token(signed_in, user):
    response = signed_in.get(API_TOKEN)
    token = Token.objects.get(user=user)
    assert token.key in page_text(response)
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]
    assert token.key in page_text(signed_in.get(API_TOKEN))
    assert Token.objects.filter(user=user).count() == 1


def test_api_token_can_be_regenerated(signed_in, user):
    old = signed_in.get(API_TOKEN).context["token"].key
    response = signed_in.post(API_TOKEN, follow=True)
    new = Token.objects.get(user=user).key
    assert new != old
    assert new in page_text(response)
    assert old not in page_text(response)


def test_api_token_needs_sign_in(client):
    assert client.get(API_TOKEN).status_code == 302
    assert client.post(API_TOKEN).status_code == 302
    assert not Token.objects.exists()


# --- Navigation ---


def test_navigation_for_visitors(client):
    html = page_text(client.get(HOME))
    assert f'href="{reverse("insights")}"' in html
    assert 'href="/api/v1/docs"' in html
    assert f'href="{SIGNUP}"' in html
    assert "Sign in" in html
    assert f'href="{HISTORY}"' not in html
    assert 'href="/admin/"' not in html
    assert 'class="skip-link" href="#main"' in html
    assert '<html lang="en">' in html


def test_navigation_for_members_and_staff(signed_in, admin_client):
    html = page_text(signed_in.get(HOME))
    assert f'href="{HISTORY}"' in html
    assert f'href="{API_TOKEN}"' in html
    assert 'href="/admin/"' not in html
    assert 'href="/admin/"' in page_text(admin_client.get(HOME))


def test_pages_have_no_inline_styles_or_scripts(signed_in, user, served_model):
    # The Content-Security-Policy forbids them: they would be blocked in the browser.
    review = ReviewFactory(owner=user)
    explained = ReviewFactory(owner=user, text=EXPLAINED_TEXT, explanation=EXPLANATION, verdict_disputed=True)
    responses = [
        signed_in.post(HOME, {"text": POSITIVE_TEXT}, follow=True),
        signed_in.get(explained.get_absolute_url()),  # highlights, legend, the disputed state
        signed_in.get(HOME),
        signed_in.get(HISTORY),
        signed_in.get(review.get_absolute_url()),
        signed_in.get(reverse("reviews:delete", args=[review.pk])),
        signed_in.get(API_TOKEN),
        signed_in.get(reverse("password_change")),
        Client().get(SIGNUP),
        Client().get(reverse("login")),
        Client().get(reverse("password_reset")),
        Client().post(HOME, {"text": POSITIVE_TEXT}),
        Client().post(HOME, {"text": EXPLAINED_TEXT}),
    ]
    assert '<svg class="chart"' in page_text(responses[3]) and "<mark" in page_text(responses[1])
    for response in responses:
        html = page_text(response)
        assert "style=" not in html
        assert "<style" not in html
        assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html) == []
        assert re.search(r"\son[a-z]+=", html) is None
        assert "default-src 'self'" in response["Content-Security-Policy"]


# --- CSRF on every POST ---


def _signed_in_csrf_client(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def _post_forms(user):
    review = ReviewFactory(owner=user)
    return [
        (True, HOME, {"text": POSITIVE_TEXT}),
        (True, reverse("reviews:delete", args=[review.pk]), {}),
        (True, reverse("reviews:dispute", args=[review.pk]), {"disputed": "true"}),
        (True, API_TOKEN, {}),
        (True, reverse("logout"), {}),
        (True, reverse("password_change"), {"old_password": PASSWORD}),
        (False, HOME, {"text": POSITIVE_TEXT}),
        (
            False,
            SIGNUP,
            {"username": "x", "password1": "a-long-unusual-pass-42", "password2": "a-long-unusual-pass-42"},
        ),
        (False, reverse("login"), {"username": user.username, "password": PASSWORD}),
        (False, reverse("password_reset"), {"email": user.email}),
    ]


def test_every_post_is_refused_without_a_csrf_token(user, missing_model):
    for needs_user, url, data in _post_forms(user):
        client = _signed_in_csrf_client(user) if needs_user else Client(enforce_csrf_checks=True)
        response = client.post(url, data)
        assert response.status_code == 403, url
        assert "This form has expired" in page_text(response)
    assert Review.objects.filter(owner=user).count() == 1
    assert not Review.objects.filter(verdict_disputed=True).exists()
    assert not Token.objects.exists()
    assert not get_user_model().objects.filter(username="x").exists()


def test_every_post_is_accepted_with_the_csrf_token(user, missing_model):
    # The positive control: the same posts pass the CSRF check once the token from the cookie is sent.
    for needs_user, url, data in _post_forms(user):
        client = _signed_in_csrf_client(user) if needs_user else Client(enforce_csrf_checks=True)
        client.get(HOME)
        token = client.cookies["csrftoken"].value
        response = client.post(url, {**data, "csrfmiddlewaretoken": token})
        assert response.status_code != 403, url


# --- Percentages on the pages ---


@pytest.mark.parametrize(
    ("probability", "digits", "shown"),
    [
        (0.8734, 1, "87.3%"),
        (0.5, 1, "50.0%"),
        (1.0, 1, ">99.9%"),
        (0.0, 1, "<0.1%"),
        (0.999, 1, "99.9%"),
        (0.001, 1, "0.1%"),
        (0.99996, 1, ">99.9%"),
        (0.00001, 1, "<0.1%"),
        (0.996, 0, ">99%"),
        (0.004, 0, "<1%"),
        (0.875, 0, "88%"),
        ("junk", 1, ""),
    ],
)
def test_percent_filter(probability, digits, shown):
    from reviews.templatetags.reviews_extras import percent

    assert percent(probability, digits) == shown


def test_near_certain_scores_are_not_shown_as_100_percent(signed_in, user):
    review = ReviewFactory(owner=user, sentiment=Sentiment.POSITIVE, score=0.99999)
    html = page_text(signed_in.get(review.get_absolute_url()))
    assert "&gt;99.9%" in html
    assert "100.0%" not in html
    assert "&gt;99%" in page_text(signed_in.get(HISTORY))


def test_the_model_menu_names_each_model_with_its_test_accuracy(client, two_models, monkeypatch):
    from reviews.api import catalog

    shipped = [
        {"name": "alpha", "default": False, "model_version": "a-1", "metrics": {"test_accuracy": 0.92096}},
        {"name": "beta", "default": True, "model_version": "b-1", "metrics": {"test_accuracy": 0.91668}},
    ]
    monkeypatch.setattr(catalog, "shipped_models", lambda: shipped)
    select = re.search(r'<select name="model"[^>]*>(.*?)</select>', page_text(client.get(HOME)), re.S).group(1)
    assert re.findall(r"<option [^>]*>([^<]+)</option>", select) == [
        "beta (default) · 91.7% right",
        "alpha · 92.1% right",
    ]
