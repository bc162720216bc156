"""Writes: a review is predicted then stored whole, or not at all; deletes are owner-only."""

import pytest

from classifier import registry
from classifier.registry import ModelUnavailable, UnknownModel
from reviews import services
from reviews.models import Review, Sentiment
from reviews.tests.factories import ReviewFactory

pytestmark = pytest.mark.django_db

POSITIVE_TEXT = "A brilliant, wonderful film, I loved it."
NEGATIVE_TEXT = "An awful, boring, dreadful waste."


def test_review_create_stores_the_prediction(served_model, user):
    review = services.review_create(user=user, text=POSITIVE_TEXT)
    review.refresh_from_db()
    assert review.owner == user
    assert review.text == POSITIVE_TEXT
    assert review.sentiment == Sentiment.POSITIVE
    assert 0.5 <= review.score <= 1
    assert review.model_version.startswith("tiny-")
    assert review.verdict_disputed is False


def test_review_create_negative(served_model, user):
    review = services.review_create(user=user, text=NEGATIVE_TEXT)
    assert review.sentiment == Sentiment.NEGATIVE
    assert review.score < 0.5


def test_review_create_keeps_emoji_and_rtl_exactly(served_model, user):
    text = "  Loved it 🎬🍿 — فيلم رائع — סרט נהדר\r\n"
    review = services.review_create(user=user, text=text)
    review.refresh_from_db()
    assert review.text == text


def test_review_create_without_a_model_stores_nothing(missing_model, user):
    with pytest.raises(ModelUnavailable):
        services.review_create(user=user, text=POSITIVE_TEXT)
    assert not Review.objects.exists()


def test_review_create_uses_the_named_model_for_verdict_and_explanation(served_model, user, monkeypatch):
    names = []
    real = registry.get_service
    monkeypatch.setattr(registry, "get_service", lambda name=None, **kwargs: names.append(name) or real(name, **kwargs))
    review = services.review_create(user=user, text=POSITIVE_TEXT, model=served_model.name)
    assert review.explanation and names and set(names) == {served_model.name}  # one service for both


def test_review_create_with_an_unknown_model_stores_nothing(served_model, user):
    with pytest.raises(UnknownModel):
        services.review_create(user=user, text=POSITIVE_TEXT, model="no-such-model")
    assert not Review.objects.exists()


def test_review_delete_removes_own_review(user):
    review = ReviewFactory(owner=user)
    services.review_delete(user=user, review_id=review.pk)
    assert not Review.objects.filter(pk=review.pk).exists()


def test_review_delete_cannot_touch_another_users_review(user, other_user):
    theirs = ReviewFactory(owner=other_user)
    with pytest.raises(Review.DoesNotExist):
        services.review_delete(user=user, review_id=theirs.pk)
    assert Review.objects.filter(pk=theirs.pk).exists()


def test_review_delete_of_a_missing_review_raises(user):
    with pytest.raises(Review.DoesNotExist):
        services.review_delete(user=user, review_id=10**9)


def test_review_create_stores_the_explanation(served_model, user):
    review = services.review_create(user=user, text="The acting was brilliant but the plot was dreadful.")
    weights = dict((word, weight) for word, weight in review.explanation)
    assert [word for word, _ in review.explanation][:3] == ["The", "acting", "was"]
    assert weights["brilliant"] > 0 > weights["dreadful."]


def test_dispute_and_undo(served_model, user, other_user):
    review = services.review_create(user=user, text="A brilliant film.")
    assert services.review_set_disputed(user=user, review_id=review.pk, disputed=True).verdict_disputed is True
    review.refresh_from_db()
    assert review.verdict_disputed is True
    services.review_set_disputed(user=user, review_id=review.pk, disputed=False)
    review.refresh_from_db()
    assert review.verdict_disputed is False
    with pytest.raises(Review.DoesNotExist):
        services.review_set_disputed(user=other_user, review_id=review.pk, disputed=True)
