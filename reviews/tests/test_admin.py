"""The Review admin: list and change pages, read-only predictions, escaping, the CSV export (all or disputed only)."""

import csv
import io

import pytest
from django.contrib.admin.sites import site
from django.urls import reverse

from reviews.admin import ModelVersionFilter, ReviewAdmin, WarningFilter, corrected_label, csv_safe
from reviews.models import Review, Sentiment
from reviews.tests.factories import ReviewFactory, UserFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:reviews_review_changelist")
SCRIPT = "<script>alert('pwned')</script>"
ESCAPED_SCRIPT = "&lt;script&gt;alert(&#x27;pwned&#x27;)&lt;/script&gt;"


def export(admin_client, reviews) -> list[dict[str, str]]:
    response = admin_client.post(
        CHANGELIST, {"action": "export_csv", "_selected_action": [review.pk for review in reviews]}
    )
    return csv_rows(response)


def csv_rows(response) -> list[dict[str, str]]:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="reviews-')
    body = b"".join(response.streaming_content).decode("utf-8")
    return list(csv.DictReader(io.StringIO(body, newline="")))


def test_review_is_registered_with_the_listed_options():
    model_admin = site._registry[Review]
    assert isinstance(model_admin, ReviewAdmin)
    assert model_admin.list_display == (
        "owner",
        "excerpt",
        "sentiment",
        "score",
        "confidence",
        "warning_list",
        "model_version",
        "created_at",
        "mixed",
        "verdict_disputed",
    )
    assert model_admin.list_filter == (
        "sentiment",
        "confidence",
        WarningFilter,
        ModelVersionFilter,
        "mixed",
        "verdict_disputed",
        "created_at",
    )
    assert model_admin.search_fields == ("text", "owner__username")
    # No date hierarchy (a DISTINCT over the table per view), no full count beside a filtered one.
    assert model_admin.date_hierarchy is None
    assert model_admin.show_full_result_count is False
    assert model_admin.list_select_related == ("owner",)


def test_changelist_lists_every_users_reviews(admin_client):
    ReviewFactory(text="First user's review")
    ReviewFactory(text="Second user's review")
    response = admin_client.get(CHANGELIST)
    assert response.status_code == 200
    assert response.context["cl"].result_count == 2


def test_changelist_search_and_filters(admin_client):
    alice = UserFactory(username="alice")
    ReviewFactory(owner=alice, text="Superb")
    ReviewFactory(text="Dull", sentiment=Sentiment.NEGATIVE, score=0.1, verdict_disputed=True)
    assert admin_client.get(CHANGELIST, {"q": "alice"}).context["cl"].result_count == 1
    assert admin_client.get(CHANGELIST, {"q": "dull"}).context["cl"].result_count == 1
    assert admin_client.get(CHANGELIST, {"sentiment__exact": "negative"}).context["cl"].result_count == 1
    assert admin_client.get(CHANGELIST, {"verdict_disputed__exact": "1"}).context["cl"].result_count == 1


def test_changelist_shows_and_filters_mixed_reviews(admin_client):
    ReviewFactory(text="Great cast. Awful plot.", mixed=True)
    ReviewFactory(text="Great cast. Great plot.", mixed=False)
    ReviewFactory(text="Not split into sentences", mixed=None)
    response = admin_client.get(CHANGELIST)
    assert "column-mixed" in response.content.decode()
    assert "?mixed__exact=1" in response.content.decode()  # the filter's "Yes" link
    filtered = admin_client.get(CHANGELIST, {"mixed__exact": "1"})
    assert [review.text for review in filtered.context["cl"].result_list] == ["Great cast. Awful plot."]
    assert admin_client.get(CHANGELIST, {"mixed__isnull": "True"}).context["cl"].result_count == 1


def test_changelist_does_one_query_for_owners(admin_client, django_assert_max_num_queries):
    ReviewFactory.create_batch(10)
    with django_assert_max_num_queries(12):
        assert admin_client.get(CHANGELIST).status_code == 200


def test_changelist_escapes_the_text(admin_client):
    ReviewFactory(text=SCRIPT)
    html = admin_client.get(CHANGELIST).content.decode()
    assert SCRIPT not in html
    assert ESCAPED_SCRIPT in html


def test_change_form_escapes_the_text(admin_client):
    review = ReviewFactory(text=SCRIPT)
    html = admin_client.get(reverse("admin:reviews_review_change", args=[review.pk])).content.decode()
    assert SCRIPT not in html
    assert ESCAPED_SCRIPT in html


def test_prediction_fields_are_read_only_and_only_the_dispute_flag_changes(admin_client):
    review = ReviewFactory(text="Original text", sentiment=Sentiment.POSITIVE, score=0.9, model_version="v1")
    url = reverse("admin:reviews_review_change", args=[review.pk])
    form = admin_client.get(url).context["adminform"].form
    assert set(form.fields) == {"verdict_disputed"}
    assert "mixed" in site._registry[Review].get_readonly_fields(None, review)
    response = admin_client.post(
        url,
        {"verdict_disputed": "on", "text": "Edited", "sentiment": "negative", "score": "0.1", "model_version": "x"},
    )
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.verdict_disputed is True
    assert (review.text, review.sentiment, review.score, review.model_version) == (
        "Original text",
        "positive",
        0.9,
        "v1",
    )


def test_reviews_are_not_added_in_the_admin(admin_client):
    assert admin_client.get(reverse("admin:reviews_review_add")).status_code == 403


def test_non_staff_users_cannot_open_the_admin(client, user):
    client.force_login(user)
    assert client.get(CHANGELIST).status_code == 302


def test_csv_export_columns_and_values(admin_client):
    owner = UserFactory(username="carol")
    agreed = ReviewFactory(owner=owner, text="Loved it 🎬, فيلم رائع\nsecond line", score=0.875, model_version="cnn-1")
    disputed = ReviewFactory(
        owner=owner, text="Meh", sentiment=Sentiment.NEGATIVE, score=0.25, model_version="cnn-1", verdict_disputed=True
    )
    ReviewFactory(text="Not selected")
    rows = export(admin_client, [disputed, agreed])
    assert list(rows[0]) == [
        "id",
        "owner",
        "created_at",
        "sentiment",
        "score",
        "model_version",
        "verdict_disputed",
        "text",
        "label",
    ]
    assert [row["id"] for row in rows] == [str(agreed.pk), str(disputed.pk)]
    first, second = rows
    assert first["owner"] == "carol"
    assert first["created_at"] == agreed.created_at.isoformat()
    assert (first["sentiment"], first["score"], first["model_version"]) == ("positive", "0.875", "cnn-1")
    assert first["text"] == "Loved it 🎬, فيلم رائع\nsecond line"
    assert (first["verdict_disputed"], first["label"]) == ("False", "positive")
    assert (second["verdict_disputed"], second["sentiment"], second["label"]) == ("True", "negative", "positive")


@pytest.mark.parametrize("payload", ['=HYPERLINK("http://evil")', "+1+2", "-2+3", "@SUM(A1)", "\t=1", "\r=1"])
def test_csv_export_defuses_formulas(admin_client, payload):
    review = ReviewFactory(text=payload, owner=UserFactory(username="=cmd"))
    (row,) = export(admin_client, [review])
    assert row["text"] == "'" + payload
    assert row["owner"] == "'=cmd"


def test_csv_safe_leaves_ordinary_cells_alone():
    assert csv_safe("A good film - really") == "A good film - really"
    assert csv_safe(0.25) == 0.25
    assert csv_safe("") == ""


@pytest.mark.parametrize(
    ("sentiment", "disputed", "label"),
    [
        ("positive", False, "positive"),
        ("positive", True, "negative"),
        ("negative", False, "negative"),
        ("negative", True, "positive"),
    ],
)
def test_corrected_label(sentiment, disputed, label):
    assert corrected_label(Review(sentiment=sentiment, verdict_disputed=disputed)) == label


def test_only_disputed_verdicts_export_through_the_filter_and_select_all(admin_client):
    # What staff do to get retraining data: filter "verdict disputed: yes", select all, export.
    first = ReviewFactory(text="Called positive, was negative", sentiment=Sentiment.POSITIVE, verdict_disputed=True)
    second = ReviewFactory(
        text="Called negative, was positive", sentiment=Sentiment.NEGATIVE, score=0.2, verdict_disputed=True
    )
    ReviewFactory.create_batch(3, verdict_disputed=False)
    changelist = admin_client.get(CHANGELIST)
    assert "?verdict_disputed__exact=1" in changelist.content.decode()  # the filter's "Yes" link
    filtered = admin_client.get(CHANGELIST, {"verdict_disputed__exact": "1"})
    assert filtered.context["cl"].result_count == 2
    html = filtered.content.decode()
    assert '<option value="export_csv">' in html
    assert 'name="select_across"' in html
    response = admin_client.post(
        f"{CHANGELIST}?verdict_disputed__exact=1",
        {"action": "export_csv", "select_across": "1", "index": "0", "_selected_action": [first.pk]},
    )
    rows = csv_rows(response)
    assert [(row["id"], row["verdict_disputed"], row["sentiment"], row["label"]) for row in rows] == [
        (str(first.pk), "True", "positive", "negative"),
        (str(second.pk), "True", "negative", "positive"),
    ]


def test_select_all_without_the_filter_exports_every_review(admin_client):
    # The control for the test above: the same post without the filter exports all five.
    disputed = ReviewFactory.create_batch(2, verdict_disputed=True)
    ReviewFactory.create_batch(3, verdict_disputed=False)
    response = admin_client.post(
        CHANGELIST, {"action": "export_csv", "select_across": "1", "index": "0", "_selected_action": [disputed[0].pk]}
    )
    assert len(csv_rows(response)) == 5


def test_change_form_lists_the_words_that_pushed_the_verdict(admin_client):
    review = ReviewFactory(
        text="Brilliant <b>cast</b>, dull plot",
        explanation=[["Brilliant", 2.0], ["<b>cast</b>,", 0.5], ["dull", -1.0], ["plot", 0.0]],
    )
    html = admin_client.get(reverse("admin:reviews_review_change", args=[review.pk])).content.decode()
    assert "Words that pushed the verdict" in html
    assert "▲ positive: Brilliant (+2.00), b&gt;cast&lt;/b (+0.50); ▼ negative: dull (\u22121.00)" in html
    plain = ReviewFactory(explanation=[])
    html = admin_client.get(reverse("admin:reviews_review_change", args=[plain.pk])).content.decode()
    assert "Words that pushed the verdict" in html
