"""The pages: classify, history, detail, delete, sign-up, accounts, API token; ownership, CSRF, escaping."""

import datetime
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
    assert INTERNATIONAL_TEXT in html
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
    ("sentiment", "score", "wording"),
    [("positive", 0.99, "Very confident"), ("negative", 0.03, "Very confident"), ("positive", 0.7, "Fairly sure"),
     ("negative", 0.45, "Unsure: this review could be read either way")],
)
def test_confidence_wording(signed_in, user, sentiment, score, wording):
    review = ReviewFactory(owner=user, sentiment=sentiment, score=score)
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


# --- Sign-up and the auth pages ---


def test_signup_creates_the_user_and_signs_them_in(client):
    response = client.post(
        SIGNUP, {"username": "newcomer", "email": "", "password1": "a-long-unusual-pass-42", "password2": "a-long-unusual-pass-42"}
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
        form.redirect_chain[-1][0], {"new_password1": "brand-new-pass-99", "new_password2": "brand-new-pass-99"}, follow=True
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
    responses = [
        signed_in.post(HOME, {"text": POSITIVE_TEXT}, follow=True),
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
    ]
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
        (True, API_TOKEN, {}),
        (True, reverse("logout"), {}),
        (True, reverse("password_change"), {"old_password": PASSWORD}),
        (False, HOME, {"text": POSITIVE_TEXT}),
        (False, SIGNUP, {"username": "x", "password1": "a-long-unusual-pass-42", "password2": "a-long-unusual-pass-42"}),
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
    [(0.8734, 1, "87.3%"), (0.5, 1, "50.0%"), (1.0, 1, ">99.9%"), (0.0, 1, "<0.1%"), (0.999, 1, "99.9%"), (0.001, 1, "0.1%"), (0.99996, 1, ">99.9%"),
     (0.00001, 1, "<0.1%"), (0.996, 0, ">99%"), (0.004, 0, "<1%"), (0.875, 0, "88%"), ("junk", 1, "")],
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
