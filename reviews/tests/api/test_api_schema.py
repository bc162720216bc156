"""The OpenAPI schema: valid, complete, with examples; Swagger UI; and schemathesis against the live API."""

import json

import hypothesis
import pytest
import schemathesis
from django.core.management.color import no_style
from django.db import connection, transaction
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from drf_spectacular.validation import validate_schema
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient
from schemathesis.checks import not_a_server_error
from schemathesis.config._checks import NEGATIVE_DATA_REJECTION_EXPECTED_STATUSES, NegativeDataRejectionConfig
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    positive_data_acceptance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
    unsupported_method,
)

from reviews.models import Review
from reviews.tests.factories import ReviewFactory
from sentisite.tests.chromium import CHROMIUM, CHROMIUM_ARGS
from sentisite.wsgi import application

pytestmark = pytest.mark.django_db

OPERATIONS = {
    "/api/v1/predict": {"post"},
    "/api/v1/models": {"get"},
    "/api/v1/reviews/": {"get", "post"},
    "/api/v1/reviews/{id}/": {"get", "delete"},
    "/api/v1/reviews/{id}/dispute": {"post", "delete"},
    "/api/v1/auth/token": {"post"},
    "/api/v1/jobs": {"get", "post"},
    "/api/v1/jobs/{id}": {"get", "delete"},
    "/api/v1/jobs/{id}/results": {"get"},
}


@pytest.fixture
def openapi() -> dict:
    response = APIClient().get(reverse("api:schema"), {"format": "json"})
    assert response.status_code == 200
    return response.json()


def test_schema_is_valid_openapi_3(openapi):
    assert openapi["openapi"].startswith("3.")
    validate_schema(openapi)  # drf-spectacular's check against the OpenAPI 3 JSON schema


def test_schema_passes_openapi_spec_validator_when_installed(openapi):
    validator = pytest.importorskip("openapi_spec_validator")
    validator.validate(openapi)


def test_schema_lists_every_endpoint_and_nothing_else(openapi):
    assert {path: set(methods) - {"parameters"} for path, methods in openapi["paths"].items()} == OPERATIONS


def test_every_operation_has_request_and_response_examples(openapi):
    for path, methods in OPERATIONS.items():
        for method in methods:
            operation = openapi["paths"][path][method]
            if "requestBody" in operation:
                # JSON, or the one media type an endpoint takes (a file upload is multipart/form-data)
                content = operation["requestBody"]["content"]
                assert content.get("application/json", next(iter(content.values()))).get("examples"), (path, method)
            for status, response in operation["responses"].items():
                if "content" in response:  # 204 has no body
                    content = response["content"]  # JSON, or e.g. the results CSV
                    examples = content.get("application/json", next(iter(content.values()))).get("examples")
                    assert examples, (path, method, status)
            statuses = set(operation["responses"])
            assert "429" in statuses and statuses & {"200", "201", "202", "204"}, (path, method)


def test_every_error_is_documented(openapi):
    documented = {
        (path, method): set(openapi["paths"][path][method]["responses"])
        for path, methods in OPERATIONS.items()
        for method in methods
    }
    assert {"400", "401", "403", "413", "415", "429", "503"} <= documented["/api/v1/predict", "post"]
    assert {"400", "401", "403", "413", "415", "429", "503"} <= documented["/api/v1/reviews/", "post"]
    assert {"404", "401"} <= documented["/api/v1/reviews/{id}/", "get"]
    assert {"404", "401", "403"} <= documented["/api/v1/reviews/{id}/", "delete"]
    assert {"404", "401", "403"} <= documented["/api/v1/reviews/{id}/dispute", "post"]
    assert {"404", "401", "403"} <= documented["/api/v1/reviews/{id}/dispute", "delete"]
    assert {"401", "429"} <= documented["/api/v1/models", "get"]
    assert {"400", "429"} <= documented["/api/v1/auth/token", "post"]
    for statuses in documented.values():
        assert statuses - {"200", "201", "202", "204"}, "errors documented"


def test_error_examples_match_the_error_schema(openapi):
    error_schema = openapi["components"]["schemas"]["Error"]
    for path, methods in OPERATIONS.items():
        for method in methods:
            for status, response in openapi["paths"][path][method]["responses"].items():
                if status.startswith(("4", "5")):
                    assert response["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}
                    for example in response["content"]["application/json"]["examples"].values():
                        assert set(example["value"]) <= set(error_schema["properties"])
                        assert {"detail", "code"} <= set(example["value"])


def test_new_query_parameters_are_documented_with_examples(openapi):
    def parameters(path, method):
        return {p["name"]: p for p in openapi["paths"][path][method]["parameters"] if p["in"] == "query"}

    for name, parameter in [
        *parameters("/api/v1/predict", "post").items(),
        *parameters("/api/v1/reviews/", "post").items(),
    ]:
        assert name in {"model", "explain", "sentences"}
        assert parameter.get("examples") and parameter.get("description"), name
    assert set(parameters("/api/v1/predict", "post")) == {"model", "explain", "sentences"}
    assert set(parameters("/api/v1/reviews/", "post")) == {"model", "sentences"}
    for name in ("explain", "sentences"):
        assert parameters("/api/v1/predict", "post")[name]["schema"]["type"] == "boolean"


def test_sentences_and_mixed_are_documented(openapi):
    schemas = openapi["components"]["schemas"]
    sentence = schemas["Sentence"]
    assert set(sentence["required"]) == {"text", "start", "end", "sentiment", "score", "confidence"}
    for name in ("Prediction", "Review"):
        properties = schemas[name]["properties"]
        assert properties["sentences"]["items"] == {"$ref": "#/components/schemas/Sentence"}
        assert properties["mixed"]["type"] == "boolean" and properties["mixed"]["description"]
    assert schemas["Review"]["properties"]["mixed"].get("nullable") is True


def test_unknown_model_is_a_documented_400_with_choices(openapi):
    assert "choices" in openapi["components"]["schemas"]["Error"]["properties"]
    for path in ("/api/v1/predict", "/api/v1/reviews/"):
        examples = openapi["paths"][path]["post"]["responses"]["400"]["content"]["application/json"]["examples"]
        assert any(example["value"]["code"] == "unknown_model" for example in examples.values()), path


def test_retry_after_is_documented_on_429_and_503(openapi):
    for status in ("429", "503"):
        assert "Retry-After" in openapi["paths"]["/api/v1/predict"]["post"]["responses"][status]["headers"]


def test_schema_and_docs_urls():
    assert reverse("api:schema") == "/api/v1/schema"
    assert reverse("api:docs") == "/api/v1/docs"


def test_swagger_ui_page_has_its_own_content_security_policy():
    response = APIClient().get(reverse("api:docs"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert "swagger-ui-bundle.js" in html and "/static/drf_spectacular_sidecar/" in html
    assert "cdn.jsdelivr.net" not in html  # served locally: the machines are offline
    policy = response["Content-Security-Policy"]
    assert "style-src 'self' 'unsafe-inline'" in policy
    assert "script-src 'self';" in policy  # the init script is a file (?script), not inline


def test_swagger_ui_init_script_points_at_the_schema():
    response = APIClient().get(reverse("api:docs"), {"script": ""})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert "/api/v1/schema" in response.content.decode()


# --- schemathesis: generated requests against the live API, in-process --------------------------------------------


def generated_schema() -> dict:
    """The schema as the /api/v1/schema view builds it, made at import time (no request, no database)."""
    return json.loads(OpenApiJsonRenderer().render(SchemaGenerator().get_schema(request=None, public=True)))


def test_the_tested_schema_is_the_served_one(openapi):
    assert generated_schema() == openapi


# schemathesis' from_fixture() breaks on pytest 9 (it sets node._nodeid), so the schema is built here and
# the requests go to the WSGI application in-process.
schema = schemathesis.openapi.from_dict(generated_schema())
# A request too large (413) is refused before it is read, as the schema documents: a refusal like the 4xx
# that schemathesis expects of data the schema forbids.
schema.config.checks.negative_data_rejection = NegativeDataRejectionConfig(
    expected_statuses=[*NEGATIVE_DATA_REJECTION_EXPECTED_STATUSES, "413"]
)


@pytest.fixture
def high_rates(settings):
    """Rates high enough that generated requests reach the views; a 429 would still be a documented answer."""
    rates = {"anon": "100000/minute", "user": "100000/minute", "login": "100000/minute"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}


@pytest.fixture
def auth_header(user):
    ReviewFactory(owner=user, pk=7)  # the id in the schema's example, so retrieve and delete also find one
    # An explicit id does not move PostgreSQL's sequence: move it, or the 7th new review would collide.
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), [Review]):
            cursor.execute(statement)
    return {"Authorization": f"Token {Token.objects.create(user=user).key}"}


@pytest.fixture
def keep_test_connection():
    """What Django's test client does: the WSGI handler closes "old" connections when a request starts and
    ends, which would close the one holding this test's transaction (PostgreSQL: "the connection is closed")."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.slow
@schema.parametrize()
@hypothesis.settings(
    max_examples=25, derandomize=True, database=None, deadline=None, suppress_health_check=list(hypothesis.HealthCheck)
)
def test_api_conforms_to_its_schema(
    case, auth_header, shipped_models, high_rates, keep_test_connection, settings, tmp_path
):
    # Every catalogued name served (copies of the tiny model), as in production: `model` is their enum.
    if not (tmp_path / "artifacts").exists():  # once per operation: hypothesis runs the body per example
        shipped_models("default", *SHIPPED_OTHERS, slow=("accurate", "cnn", "rcnn", "rnn"))
    settings.MEDIA_ROOT = tmp_path  # uploads that become jobs
    # Each generated request in its own savepoint, as each real request is on its own: a request that
    # hits a database error must fail by itself, not leave the test's transaction aborted for the next.
    with transaction.atomic():
        call_and_validate(case, auth_header)


SHIPPED_OTHERS = ("accurate", "nbsvm_tfidf", "nbsvm", "rcnn", "reader", "rnn", "cnn")
# Valid by the schema, refused by the server for what no schema can say: a password must be the right one, an
# uploaded file must be CSV or JSONL with the named column, a predict request must fit one request's CPU (3 s,
# and 8 texts with explain=true: limits across the body and the query). Every other operation accepts what the
# schema allows; every operation refuses what it forbids.
CONTENT_CHECKED = {("POST", "/api/v1/auth/token"), ("POST", "/api/v1/jobs"), ("POST", "/api/v1/predict")}


def call_and_validate(case, auth_header):
    strict = [negative_data_rejection, unsupported_method]
    if (case.method.upper(), case.path) not in CONTENT_CHECKED:
        strict.append(positive_data_acceptance)
    case.call_and_validate(
        app=application,
        headers=auth_header,
        checks=[
            not_a_server_error,
            status_code_conformance,
            content_type_conformance,
            response_headers_conformance,
            response_schema_conformance,
            # Strict (issue 27): what the schema forbids is refused, what it allows is accepted, and a
            # method it does not list is a 405.
            *strict,
        ],
    )


# --- Swagger UI in a real browser --------------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_swagger_ui_renders_in_chromium_without_csp_violations(live_server):
    playwright_api = pytest.importorskip("playwright.sync_api")
    if not CHROMIUM.exists():
        pytest.skip("chromium is not installed (make browser)")
    problems = []
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.on("console", lambda message: message.type == "error" and problems.append(message.text))
            page.on("pageerror", lambda error: problems.append(str(error)))
            page.goto(f"{live_server.url}/api/v1/docs")
            page.wait_for_selector(".swagger-ui .info .title", timeout=30_000)
            assert "sentisite API" in page.inner_text(".swagger-ui .info .title")
            page.wait_for_selector("#operations-predict-predict_create", timeout=10_000)
            assert page.locator(".opblock").count() == sum(len(methods) for methods in OPERATIONS.values())
            # Open the predict operation: its example request body must render.
            page.click("#operations-predict-predict_create .opblock-summary")
            page.wait_for_selector(
                "#operations-predict-predict_create .body-param__example, "
                "#operations-predict-predict_create .microlight",
                timeout=10_000,
            )
        finally:
            browser.close()
    assert problems == []
