"""Shared fixtures: users from factories, and a tiny real model artifact served to the site."""

import os
import shutil
from pathlib import Path

import pytest

from classifier import catalog, registry
from ml.testing import build_tiny_artifact, imdb_archive
from reviews.tests.factories import PASSWORD, UserFactory

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


def pytest_collection_modifyitems(config, items):

    for item in items:
        # Serving several copies of the tiny model takes seconds: every test that does is `slow`.
        if "shipped_models" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.slow)
    if os.environ.get("DB_TESTS_ONLY") == "1":
        kept = database_tests_only(items)
        config.hook.pytest_deselected(items=[item for item in items if item not in kept])
        items[:] = kept
    if imdb_archive() is None:
        skip = pytest.mark.skip(reason="the IMDB archive is not here (set IMDB_DATA)")
        for item in items:
            if "full_data" in item.keywords:
                item.add_marker(skip)


@pytest.fixture(scope="session")
def tiny_artifact(tmp_path_factory) -> Path:
    """A real CNN trained for seconds on synthetic reviews, saved as an artifact folder."""

    return build_tiny_artifact(tmp_path_factory.mktemp("artifacts") / "tiny")


@pytest.fixture
def served_model(tiny_artifact, settings):
    """Point the site at the tiny artifact (and forget any model loaded for another test)."""
    settings.SENTIMENT_MODEL_DIR = tiny_artifact
    registry.reset()
    yield tiny_artifact
    registry.reset()


@pytest.fixture
def catalogue(monkeypatch):
    """add(*names, slow=()): name more models in the catalogue of shipped models for one test (each
    folder named as the model; `slow` ones get SENTIMENT_SLOW_EXPLAIN_MAX_CHARS on their explanations)."""

    def add(*names: str, slow: tuple[str, ...] = ()):
        others = tuple(model for model in catalog.MODELS if model.name not in names)
        added = tuple(catalog.ShippedModel(name, name, name, slow_explanations=name in slow) for name in names)
        monkeypatch.setattr(catalog, "MODELS", others + added)

    return add


@pytest.fixture
def shipped_models(tiny_artifact, tmp_path, settings, catalogue):
    """serve(default, *others, slow=(), stray=()): copies of the tiny model side by side in one artifacts folder,
    `default` served (SENTIMENT_MODEL_DIR), `others` in the catalogue (`slow` ones with limited explanations),
    `stray` complete artifacts left out of it; returns the folder. Every test using this is marked `slow`."""

    def serve(default: str = "default", *others: str, slow: tuple[str, ...] = (), stray: tuple[str, ...] = ()) -> Path:
        catalogue(*others, slow=slow)
        root = tmp_path / "artifacts"
        for name in (default, *others, *stray):
            shutil.copytree(tiny_artifact, root / name)
        settings.SENTIMENT_MODEL_DIR = root / default
        registry.reset()
        return root

    yield serve
    registry.reset()


@pytest.fixture
def missing_model(tmp_path, settings):
    settings.SENTIMENT_MODEL_DIR = tmp_path / "no-such-artifact"
    registry.reset()
    yield settings.SENTIMENT_MODEL_DIR
    registry.reset()


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def other_user(db):
    return UserFactory()


@pytest.fixture
def password(user):
    """`user`'s password, set here so that the tests that sign in do not depend on how the factory sets it."""
    user.set_password(PASSWORD)
    user.save(update_fields=["password"])
    return PASSWORD


@pytest.fixture
def signed_in(client, user):
    """Django's test client, signed in as `user` (a session, as a browser has)."""
    client.force_login(user)
    return client


@pytest.fixture
def api(user):
    """Django's test client sending `user`'s API token; a body goes as given with its content_type."""
    from django.test import Client
    from rest_framework.authtoken.models import Token

    token, _ = Token.objects.get_or_create(user=user)
    return Client(HTTP_AUTHORIZATION=f"Token {token.key}")


@pytest.fixture
def token_client(user):
    """DRF's APIClient sending `user`'s API token (bodies encoded with format="json" or "multipart")."""
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


@pytest.fixture
def clear_throttle_counts(db):
    """Throttling counts live in the cache (a database table here): no test inherits another's."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def fast_hashing(settings):
    """MD5 password hashing: PBKDF2 at a million rounds makes every login cost a second; the rules tested do not."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


DB_FIXTURES = {"db", "transactional_db", "django_db_reset_sequences", "django_db_serialized_rollback", "live_server"}


def database_tests_only(items):
    """With DB_TESTS_ONLY=1 (the PostgreSQL pass), keep only the tests that touch the database."""
    return [
        item
        for item in items
        if item.get_closest_marker("django_db") or DB_FIXTURES & set(getattr(item, "fixturenames", ()))
    ]
