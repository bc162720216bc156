"""OpenAPI documentation of the predict and models endpoints, and the parameters, examples and errors that reviews share."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
)

from classifier import catalog, rules
from sentisite.api.schema import (
    PERMISSION_DENIED,
    RETRY_AFTER,
    THROTTLED,
    TOO_LARGE,
    UNSUPPORTED_MEDIA_TYPE,
    WRONG_TOKEN,
    error,
    field_error,
    invalid,
    retry_after,
)

from . import serializers
from .examples import (
    EXPLANATION,
    FOREIGN_VERDICT,
    MIXED_SENTENCES,
    MIXED_TEXT,
    MIXED_VERDICT,
    MODEL_VERSION,
    NEGATIVE_EXPLANATION,
    NEGATIVE_VERDICT,
    POSITIVE_VERDICT,
    TEXT,
    UNKNOWN_WORDS_VERDICT,
)

# What predict, reviews and jobs share: the `model` and `sentences` parameters, the model and text errors
# (the example values are in examples.py).

MODEL = OpenApiParameter(
    "model",
    {"type": "string", "enum": [model.name for model in catalog.MODELS]},  # the catalogue: an allow-list
    location=OpenApiParameter.QUERY,
    description=(
        "Which shipped model answers, by name (`GET /api/v1/models` lists them); the default model when absent. "
        "An unknown name is a 400 whose `choices` lists the valid ones."
    ),
    examples=[OpenApiExample("The RNN", value="rnn"), OpenApiExample("The CNN", value="cnn")],
)

SENTENCES = OpenApiParameter(
    "sentences",
    OpenApiTypes.BOOL,
    location=OpenApiParameter.QUERY,
    description=(
        "`true` adds `sentences`, each sentence's verdict (`text`, `start` and `end` offsets in Unicode code "
        "points, so that text[start:end] is the sentence, `sentiment`, `score`, `confidence`), and `mixed`: "
        "true when one sentence is confidently positive and another confidently negative (docs/models.md). All "
        "the sentences go through the model in one call. The slow models do this for texts of at most 1,000 "
        "characters by default, as for `explain`."
    ),
    examples=[OpenApiExample("Sentence by sentence", value=True)],
)
MODEL_UNAVAILABLE = error(
    503,
    "The model artifact is missing or broken; the Retry-After header says when to try again.",
    (
        "Model unavailable",
        {
            "detail": "The sentiment model is unavailable right now (model unavailable); please retry later.",
            "code": "model_unavailable",
        },
    ),
)

# The shipped models as `GET /api/v1/models` lists them (classifier/catalog.py), sorted by name.
MODEL_NAMES = ["accurate", "cnn", "default", "nbsvm", "nbsvm_tfidf", "rcnn", "reader", "rnn"]
UNKNOWN_MODEL = (
    "Unknown model",
    {
        "detail": f"Unknown model 'bert'; choose one of: {', '.join(MODEL_NAMES)}.",
        "code": "unknown_model",
        "choices": MODEL_NAMES,
    },
)
# The review form's messages (classifier/rules.py), so the examples cannot drift from the answers.
_TOO_LONG = rules.TOO_LONG_MESSAGE % {"limit_value": 20_000, "show_value": 20_001}
TEXT_ERRORS = [
    ("Empty text", f"text: {rules.EMPTY_MESSAGE}", {"text": [rules.EMPTY_MESSAGE]}),
    ("Whitespace-only text", f"text: {rules.BLANK_MESSAGE}", {"text": [rules.BLANK_MESSAGE]}),
    ("Text too long", f"text: {_TOO_LONG}", {"text": [_TOO_LONG]}),
    ("Not a string", "text: Must be a string.", {"text": ["Must be a string."]}),
    ("NUL character", f"text: {rules.NUL_MESSAGE}", {"text": [rules.NUL_MESSAGE]}),
]

EXPLAIN = OpenApiParameter(
    "explain",
    OpenApiTypes.BOOL,
    location=OpenApiParameter.QUERY,
    description=(
        "`true` adds `explanation` to every verdict: each word of the text, in order, with how far it pushed the "
        "verdict (positive towards positive). The slow models (`accurate`, `rcnn`, `rnn`) explain texts of at most "
        "1,000 characters by default (the setting SENTIMENT_SLOW_EXPLAIN_MAX_CHARS): a longer text is a 400 naming the "
        "limit. An explained batch holds at most 8 texts."
    ),
    examples=[OpenApiExample("With word weights", value=True), OpenApiExample("Without", value=False)],
)
BAD_EXPLAIN = ("Bad explain flag", "explain: Must be a valid boolean.", {"explain": ["Must be a valid boolean."]})

PREDICT = extend_schema(
    summary="Classify one review or a batch",
    description=(
        'Send `{"text": ...}` for one review or `{"texts": [...]}` for 1 to 64 (exactly one of the two); '
        "a batch is classified in one model call and the results keep the order of the texts. "
        "`score` is the probability that the review is positive; `model` and `model_version` name the model "
        "that answered (`?model=NAME` picks one of the shipped models). `confidence` (`high`, `medium`, `low`, "
        "`none`) says how far to trust the verdict, and `warnings` (stable codes: `no_known_words`, `not_english`, "
        "`very_short`, `truncated`) why it may be weak; a text the model cannot read at all still gets a 200, "
        "with `confidence: none`. `sentiment` is always `positive` or `negative` (score >= 0.5). With `?explain=true` every verdict "
        "also has `explanation`, the weight of each word in text order: exact for the n-gram models (`default`, "
        "`nbsvm`, `nbsvm_tfidf`: no model call), Integrated Gradients for the networks (one more batched model "
        "call per text). Open to anonymous clients (rate-limited); nothing is stored."
    ),
    # A batch is JSON only: a form cannot tell a list of one (texts=a) from a string.
    request={
        "application/json": PolymorphicProxySerializer(
            component_name="Predict",  # drf-spectacular appends "Request"
            serializers=[serializers.SingleTextSerializer, serializers.BatchTextSerializer],
            resource_type_field_name=None,
        ),
        "application/x-www-form-urlencoded": serializers.SingleTextSerializer,
    },
    responses={
        200: OpenApiResponse(
            PolymorphicProxySerializer(
                component_name="PredictResponse",
                serializers=[serializers.PredictionSerializer, serializers.PredictionBatchSerializer],
                resource_type_field_name=None,
            ),
            description="The verdict (for `text`) or the verdicts in order (for `texts`).",
        ),
        400: invalid(
            *TEXT_ERRORS,
            BAD_EXPLAIN,
            field_error(
                "Both or neither of text and texts",
                "non_field_errors",
                "Send exactly one of `text` (a string) and `texts` (a list of strings).",
            ),
            field_error("Batch too large", "texts", "Ensure this field has no more than 64 elements."),
            (
                "Bad item in a batch",
                f"texts.1: {rules.BLANK_MESSAGE}",
                {"texts": {"1": [rules.BLANK_MESSAGE]}},
            ),
            bodies=(UNKNOWN_MODEL,),
        ),
        401: WRONG_TOKEN,
        403: PERMISSION_DENIED,
        413: TOO_LARGE,
        415: UNSUPPORTED_MEDIA_TYPE,
        429: THROTTLED,
        503: MODEL_UNAVAILABLE,
    },
    parameters=[MODEL, EXPLAIN, SENTENCES, RETRY_AFTER],
    examples=[
        OpenApiExample("One review", value={"text": TEXT}, request_only=True),
        OpenApiExample(
            "A batch",
            value={"texts": [TEXT, "Dreadful and boring."]},
            request_only=True,
        ),
        OpenApiExample("Verdict for one review", value=POSITIVE_VERDICT, response_only=True),
        OpenApiExample("Mixed review, with ?sentences=true", value={"text": MIXED_TEXT}, request_only=True),
        OpenApiExample(
            "Mixed verdict, sentence by sentence",
            value={**MIXED_VERDICT, "sentences": MIXED_SENTENCES, "mixed": True},
            response_only=True,
        ),
        OpenApiExample(
            "Verdicts for a batch", value={"results": [POSITIVE_VERDICT, NEGATIVE_VERDICT]}, response_only=True
        ),
        OpenApiExample("A text of unknown words (asdfgh qwerty)", value=UNKNOWN_WORDS_VERDICT, response_only=True),
        OpenApiExample("A text in French", value=FOREIGN_VERDICT, response_only=True),
        OpenApiExample(
            "Verdict with ?explain=true",
            value={**POSITIVE_VERDICT, "explanation": EXPLANATION},
            response_only=True,
        ),
        OpenApiExample(
            "Verdicts for a batch with ?explain=true",
            value={
                "results": [
                    {**POSITIVE_VERDICT, "explanation": EXPLANATION},
                    {**NEGATIVE_VERDICT, "explanation": NEGATIVE_EXPLANATION},
                ]
            },
            response_only=True,
        ),
    ],
    tags=["predict"],
)

MODEL_LIST = extend_schema(
    summary="List the shipped models",
    description=(
        "Every model that `?model=NAME` accepts: its version, whether it answers by default, and its metrics on "
        "the 25,000 official IMDB test reviews (a metric the artifact has not recorded is left out). "
        "Open to anonymous clients, rate-limited like predict."
    ),
    operation_id="models_list",
    responses={
        200: OpenApiResponse(serializers.ShippedModelListSerializer, description="The shipped models, by name."),
        401: WRONG_TOKEN,
        429: THROTTLED,
    },
    parameters=[retry_after(429)],
    # The first two of the list, as ml/artifacts/*/metrics.json recorded them.
    examples=[
        OpenApiExample(
            "Shipped models",
            value={
                "results": [
                    {
                        "name": "accurate",
                        "model_version": "accurate-20261207-3479db5f",
                        "default": False,
                        "metrics": {
                            "test_accuracy": 0.9168,
                            "test_f1_macro": 0.9168,
                            "test_roc_auc": 0.973,
                            "latency_ms_p50_single": 20.717,
                        },
                    },
                    {
                        "name": "default",
                        "model_version": MODEL_VERSION,
                        "default": True,
                        "metrics": {
                            "test_accuracy": 0.91496,
                            "test_f1_macro": 0.915,
                            "test_roc_auc": 0.9717,
                            "latency_ms_p50_single": 0.735,
                        },
                    },
                ]
            },
            response_only=True,
        )
    ],
    tags=["models"],
)


# What classifier.rules accepts as a review: not only whitespace, and no NUL (Python's \s, as the rules' strip()).
TEXT_PATTERN = r"^[^\x00]*[^\s\x00][^\x00]*$"


def bodies_required(result, generator, request, public):
    """drf-spectacular's post-processing hook: every request body here is required (a POST without one is a 400),
    and a review's text carries the rules' pattern (not blank, no NUL) beside its maxLength."""
    for methods in result.get("paths", {}).values():
        for operation in methods.values():
            if isinstance(operation, dict) and "requestBody" in operation:
                operation["requestBody"]["required"] = True
    for component in result.get("components", {}).get("schemas", {}).values():
        properties = component.get("properties", {})
        for name in ("text", "texts"):
            field = properties.get(name, {})
            field = field.get("items", {}) if name == "texts" else field
            if field.get("type") == "string" and field.get("maxLength") == rules.max_chars():
                field["pattern"] = TEXT_PATTERN
    return result
