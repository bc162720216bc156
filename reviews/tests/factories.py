"""factory_boy factories for users and reviews."""

import factory
from django.contrib.auth import get_user_model

from reviews.models import Review, Sentiment

PASSWORD = "correct-horse-battery-staple"  # every UserFactory user's; the tests sign in with it


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    # Hashed before the insert: a post-generation set_password() would not reach the database.
    password = factory.django.Password(PASSWORD)


class ReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Review

    owner = factory.SubFactory(UserFactory)
    text = factory.Sequence(lambda n: f"A movie review number {n}.")
    sentiment = Sentiment.POSITIVE
    score = 0.9
    model_version = "test-model-1"
    confidence = "high"
