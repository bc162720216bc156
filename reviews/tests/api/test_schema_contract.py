"""The OpenAPI contract says what the server does (issue 27, finding 10): a required predict body, `model`
as the catalogue's enum, a jobs example the server accepts, and a search short enough for gunicorn's request line."""

import urllib.parse

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from classifier import catalog
from reviews.api.serializers import SEARCH_MAX_CHARS

pytestmark = pytest.mark.django_db

GUNICORN_LIMIT_REQUEST_LINE = 4094  # gunicorn's default: a longer request line is a 414 before Django


@pytest.fixture
def openapi() -> dict:
    return APIClient().get(reverse("api:schema"), {"format": "json"}).json()


def test_every_request_body_is_required(openapi):
    assert openapi["paths"]["/api/v1/predict"]["post"]["requestBody"]["required"] is True
    assert all(
        operation["requestBody"]["required"]
        for methods in openapi["paths"].values()
        for operation in methods.values()
        if isinstance(operation, dict) and "requestBody" in operation
    )


def test_model_is_the_catalogues_enum(openapi):
    names = sorted(model.name for model in catalog.MODELS)
    for path, method in (("/api/v1/predict", "post"), ("/api/v1/reviews/", "post")):
        (model,) = [p for p in openapi["paths"][path][method]["parameters"] if p["name"] == "model"]
        assert sorted(model["schema"]["enum"]) == names


def test_the_longest_search_fits_gunicorns_request_line(openapi, api):
    (search,) = [p for p in openapi["paths"]["/api/v1/reviews/"]["get"]["parameters"] if p["name"] == "search"]
    assert search["schema"]["maxLength"] == SEARCH_MAX_CHARS
    worst = urllib.parse.quote("\U0001f600" * SEARCH_MAX_CHARS)  # 12 bytes a character once encoded
    line = f"GET /api/v1/reviews/?search={worst}&sentiment=positive&ordering=-created_at&page=99999 HTTP/1.1"
    assert len(line) <= GUNICORN_LIMIT_REQUEST_LINE
    assert api.get("/api/v1/reviews/", {"search": "x" * (SEARCH_MAX_CHARS + 1)}).status_code == 400


def test_the_jobs_examples_are_accepted(openapi, token_client, served_model, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    examples = openapi["paths"]["/api/v1/jobs"]["post"]["requestBody"]["content"]["multipart/form-data"]["examples"]
    for example, name in zip(examples.values(), ("reviews.csv", "reviews.jsonl"), strict=True):
        fields = dict(example["value"])
        fields["file"] = SimpleUploadedFile(name, fields["file"].encode())
        response = token_client.post("/api/v1/jobs", fields, format="multipart")
        assert response.status_code == 202, response.content
