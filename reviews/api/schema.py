"""OpenAPI documentation of the endpoints: request/response shapes and examples, errors included."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
)
from rest_framework.authtoken.serializers import AuthTokenSerializer

from . import serializers

MODEL_VERSION = "cnn-2026-05-01-3f9c2a1b"


def error(status: int, description: str, *examples: tuple[str, dict]) -> OpenApiResponse:
    """An error response with its examples; `examples` are (summary, body) pairs."""
    return OpenApiResponse(
        response=serializers.ErrorSerializer,
        description=description,
        examples=[
            OpenApiExample(summary, value=body, response_only=True, status_codes=[str(status)])
            for summary, body in examples
        ],
    )


def invalid(*cases: tuple[str, str, dict], bodies: tuple[tuple[str, dict], ...] = ()) -> OpenApiResponse:
    """A 400 response; `cases` are (summary, detail, errors) triples, `bodies` other (summary, body) pairs."""
    return error(
        400,
        "Invalid input: the body is not JSON or a form, or a field is missing, blank, too long or of the wrong type; "
        "or a query parameter is bad (an unknown `model` lists the valid names in `choices`).",
        (
            "Malformed JSON",
            {"detail": "JSON parse error - Expecting value: line 1 column 10 (char 9)", "code": "parse_error"},
        ),
        *[(summary, {"detail": detail, "code": "invalid", "errors": errors}) for summary, detail, errors in cases],
        *bodies,
    )


def retry_after(*statuses: int) -> OpenApiParameter:
    return OpenApiParameter(
        "Retry-After",
        OpenApiTypes.INT,
        location=OpenApiParameter.HEADER,
        response=list(statuses),
        description="Seconds to wait before trying again.",
    )


NOT_AUTHENTICATED = error(
    401,
    "No credentials, or a wrong token.",
    ("No credentials", {"detail": "Authentication credentials were not provided.", "code": "not_authenticated"}),
    ("Wrong token", {"detail": "Invalid token.", "code": "authentication_failed"}),
)
WRONG_TOKEN = error(
    401,
    "A wrong token; no credentials are needed here, but a token that is sent must be valid.",
    ("Wrong token", {"detail": "Invalid token.", "code": "authentication_failed"}),
)
PERMISSION_DENIED = error(
    403,
    "Session authentication without a valid CSRF token.",
    ("No CSRF token", {"detail": "CSRF Failed: CSRF token missing.", "code": "permission_denied"}),
)
NOT_FOUND = error(
    404,
    "No such review among yours (another user's review is not found either).",
    ("Not yours or gone", {"detail": "No Review matches the given query.", "code": "not_found"}),
)
TOO_LARGE = error(
    413,
    "The body is over 256 KiB.",
    ("Body too large", {"detail": "The request body is larger than 262144 bytes.", "code": "request_too_large"}),
)
UNSUPPORTED_MEDIA_TYPE = error(
    415,
    "The body is neither JSON nor an HTML form.",
    (
        "Plain text body",
        {"detail": 'Unsupported media type "text/plain" in request.', "code": "unsupported_media_type"},
    ),
)
THROTTLED = error(
    429,
    "Too many requests; the Retry-After header says how many seconds to wait.",
    ("Throttled", {"detail": "Request was throttled. Expected available in 42 seconds.", "code": "throttled"}),
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
RETRY_AFTER = retry_after(429, 503)

MODEL = OpenApiParameter(
    "model",
    {"type": "string", "maxLength": 100},
    location=OpenApiParameter.QUERY,
    description=(
        "Which shipped model answers, by name (`GET /api/v1/models` lists them); the default model when absent. "
        "An unknown name is a 400 whose `choices` lists the valid ones."
    ),
    examples=[OpenApiExample("The RNN", value="rnn"), OpenApiExample("The CNN", value="cnn")],
)
EXPLAIN = OpenApiParameter(
    "explain",
    OpenApiTypes.BOOL,
    location=OpenApiParameter.QUERY,
    description=(
        "`true` adds `explanation` to every verdict: each word of the text, in order, with how far it pushed the "
        "verdict (positive towards positive). The slow models (`accurate`, `rcnn`, `rnn`) explain texts of at most "
        "1,000 characters (the setting SENTIMENT_SLOW_EXPLAIN_MAX_CHARS): a longer text is a 400 naming the limit."
    ),
    examples=[OpenApiExample("With word weights", value=True), OpenApiExample("Without", value=False)],
)
UNKNOWN_MODEL = (
    "Unknown model",
    {
        "detail": "Unknown model 'bert'; choose one of: cnn, rcnn, rnn.",
        "code": "unknown_model",
        "choices": ["cnn", "rcnn", "rnn"],
    },
)
BAD_EXPLAIN = ("Bad explain flag", "explain: Must be a valid boolean.", {"explain": ["Must be a valid boolean."]})

EXPLANATION = [
    {"word": "A", "weight": 0.0123},
    {"word": "brilliant", "weight": 1.2345},
    {"word": "film,", "weight": 0.0456},
    {"word": "I", "weight": -0.0071},
    {"word": "loved", "weight": 0.8712},
    {"word": "every", "weight": 0.1034},
    {"word": "minute.", "weight": 0.0215},
]
NEGATIVE_EXPLANATION = [
    {"word": "Dreadful", "weight": -1.5012},
    {"word": "and", "weight": 0.0102},
    {"word": "boring.", "weight": -1.1178},
]
POSITIVE_VERDICT = {
    "sentiment": "positive",
    "score": 0.97,
    "model_version": MODEL_VERSION,
    "model": "cnn",
    "confidence": "high",
    "warnings": [],
}
NEGATIVE_VERDICT = {
    "sentiment": "negative",
    "score": 0.04,
    "model_version": MODEL_VERSION,
    "model": "cnn",
    "confidence": "high",
    "warnings": ["very_short"],
}
# The model knows none of the words: it still answers 200, and says it cannot tell.
UNKNOWN_WORDS_VERDICT = {
    "sentiment": "positive",
    "score": 0.6,
    "model_version": MODEL_VERSION,
    "model": "cnn",
    "confidence": "none",
    "warnings": ["no_known_words", "very_short"],
}
FOREIGN_VERDICT = {
    "sentiment": "positive",
    "score": 0.81,
    "model_version": MODEL_VERSION,
    "model": "cnn",
    "confidence": "medium",
    "warnings": ["not_english"],
}

TEXT_ERRORS = [
    ("Blank text", "text: This field may not be blank.", {"text": ["This field may not be blank."]}),
    (
        "Text too long",
        "text: Ensure this field has no more than 20000 characters.",
        {"text": ["Ensure this field has no more than 20000 characters."]},
    ),
    ("Not a string", "text: Must be a string.", {"text": ["Must be a string."]}),
    ("NUL character", "text: Null characters are not allowed.", {"text": ["Null characters are not allowed."]}),
]

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
        "also has `explanation`, the weight of each word in text order; it costs one more model evaluation per "
        "word. Open to anonymous clients (rate-limited); nothing is stored."
    ),
    request=PolymorphicProxySerializer(
        component_name="Predict",  # drf-spectacular appends "Request"
        serializers=[serializers.SingleTextSerializer, serializers.BatchTextSerializer],
        resource_type_field_name=None,
    ),
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
            (
                "Both or neither of text and texts",
                "Send exactly one of `text` (a string) and `texts` (a list of strings).",
                {"non_field_errors": ["Send exactly one of `text` (a string) and `texts` (a list of strings)."]},
            ),
            (
                "Batch too large",
                "texts: Ensure this field has no more than 64 elements.",
                {"texts": ["Ensure this field has no more than 64 elements."]},
            ),
            (
                "Bad item in a batch",
                "texts.1: This field may not be blank.",
                {"texts": {"1": ["This field may not be blank."]}},
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
    parameters=[MODEL, EXPLAIN, RETRY_AFTER],
    examples=[
        OpenApiExample("One review", value={"text": "A brilliant film, I loved every minute."}, request_only=True),
        OpenApiExample(
            "A batch",
            value={"texts": ["A brilliant film, I loved every minute.", "Dreadful and boring."]},
            request_only=True,
        ),
        OpenApiExample("Verdict for one review", value=POSITIVE_VERDICT, response_only=True),
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

REVIEW_EXAMPLE = {
    "id": 7,
    "url": "http://127.0.0.1:8000/api/v1/reviews/7/",
    "text": "A brilliant film, I loved every minute.",
    "sentiment": "positive",
    "score": 0.97,
    "model_version": MODEL_VERSION,
    "model": "cnn",
    "confidence": "high",
    "warnings": [],
    "created_at": "2026-05-01T12:00:00Z",
    "verdict_disputed": False,
    "explanation": EXPLANATION,
}

REVIEW_LIST = extend_schema(
    summary="List your reviews",
    description="Your own reviews only, newest first unless `ordering` says otherwise; paginated.",
    parameters=[serializers.ReviewListQuerySerializer],
    responses={
        200: OpenApiResponse(serializers.ReviewSerializer(many=True), description="A page of your reviews."),
        400: invalid(
            (
                "Unknown sentiment",
                'sentiment: "neutral" is not a valid choice.',
                {"sentiment": ['"neutral" is not a valid choice.']},
            ),
            (
                "Unknown ordering",
                'ordering: "text" is not a valid choice.',
                {"ordering": ['"text" is not a valid choice.']},
            ),
        ),
        401: NOT_AUTHENTICATED,
        404: error(404, "No such page.", ("Page out of range", {"detail": "Invalid page.", "code": "not_found"})),
        429: THROTTLED,
    },
    examples=[
        OpenApiExample(
            "A page of reviews",
            value=REVIEW_EXAMPLE,  # drf-spectacular wraps it in the pagination envelope
            response_only=True,
        )
    ],
    tags=["reviews"],
)

REVIEW_CREATE = extend_schema(
    summary="Classify a review and keep it",
    description=(
        "The text is classified, explained and stored as one of your reviews, by the default model or the one "
        "`?model=NAME` picks. Only `text` is read: the verdict, explanation, owner and timestamps come from the "
        "server, and any such field in the request is ignored."
    ),
    responses={
        201: OpenApiResponse(serializers.ReviewSerializer, description="The stored review with its verdict."),
        400: invalid(
            *TEXT_ERRORS,
            ("Missing text", "text: This field is required.", {"text": ["This field is required."]}),
            bodies=(UNKNOWN_MODEL,),
        ),
        401: NOT_AUTHENTICATED,
        403: PERMISSION_DENIED,
        413: TOO_LARGE,
        415: UNSUPPORTED_MEDIA_TYPE,
        429: THROTTLED,
        503: MODEL_UNAVAILABLE,
    },
    parameters=[MODEL, RETRY_AFTER],
    examples=[
        OpenApiExample("A review", value={"text": "A brilliant film, I loved every minute."}, request_only=True),
        OpenApiExample("The stored review", value=REVIEW_EXAMPLE, response_only=True, status_codes=["201"]),
    ],
    tags=["reviews"],
)

REVIEW_ID = OpenApiParameter(
    "id",
    {"type": "integer", "minimum": 1, "maximum": 10**18 - 1},
    location=OpenApiParameter.PATH,
    description="The review's id.",
    examples=[OpenApiExample("A review id", value=7)],
)

REVIEW_RETRIEVE = extend_schema(
    summary="One of your reviews",
    description="One of your own reviews; another user's review is a 404, as if it did not exist.",
    parameters=[REVIEW_ID],
    responses={
        200: OpenApiResponse(serializers.ReviewSerializer, description="The review."),
        401: NOT_AUTHENTICATED,
        404: NOT_FOUND,
        429: THROTTLED,
    },
    examples=[OpenApiExample("A review", value=REVIEW_EXAMPLE, response_only=True)],
    tags=["reviews"],
)

REVIEW_DESTROY = extend_schema(
    summary="Delete one of your reviews",
    description="Deletes one of your own reviews; another user's review is a 404 and stays.",
    parameters=[REVIEW_ID],
    responses={
        204: OpenApiResponse(description="Deleted."),
        401: NOT_AUTHENTICATED,
        403: PERMISSION_DENIED,
        404: NOT_FOUND,
        429: THROTTLED,
    },
    tags=["reviews"],
)

REVIEW_DISPUTE = extend_schema(
    summary="Say a verdict is wrong",
    description=(
        'Marks one of your reviews "this verdict is wrong" (`verdict_disputed: true`); staff export disputed '
        "reviews to retrain. Idempotent; no body. Another user's review is a 404."
    ),
    operation_id="reviews_dispute_create",
    parameters=[REVIEW_ID],
    request=None,
    responses={
        200: OpenApiResponse(serializers.ReviewSerializer, description="The review, now disputed."),
        401: NOT_AUTHENTICATED,
        403: PERMISSION_DENIED,
        404: NOT_FOUND,
        429: THROTTLED,
    },
    examples=[
        OpenApiExample("The disputed review", value={**REVIEW_EXAMPLE, "verdict_disputed": True}, response_only=True)
    ],
    tags=["reviews"],
)

REVIEW_UNDISPUTE = extend_schema(
    summary="Take back a dispute",
    description="Undoes a dispute (`verdict_disputed: false`). Idempotent; another user's review is a 404.",
    operation_id="reviews_dispute_destroy",
    parameters=[REVIEW_ID],
    request=None,
    responses={
        200: OpenApiResponse(serializers.ReviewSerializer, description="The review, no longer disputed."),
        401: NOT_AUTHENTICATED,
        403: PERMISSION_DENIED,
        404: NOT_FOUND,
        429: THROTTLED,
    },
    examples=[OpenApiExample("The review", value=REVIEW_EXAMPLE, response_only=True)],
    tags=["reviews"],
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
    examples=[
        OpenApiExample(
            "Shipped models",
            value={
                "results": [
                    {
                        "name": "cnn",
                        "model_version": MODEL_VERSION,
                        "default": True,
                        "metrics": {
                            "test_accuracy": 0.8827,
                            "test_f1_macro": 0.8827,
                            "test_roc_auc": 0.9513,
                            "latency_ms_p50_single": 2.1,
                        },
                    },
                    {
                        "name": "rnn",
                        "model_version": "rnn-2026-05-01-8d07e5c4",
                        "default": False,
                        "metrics": {"test_accuracy": 0.8712, "test_f1_macro": 0.8711, "test_roc_auc": 0.9436},
                    },
                ]
            },
            response_only=True,
        )
    ],
    tags=["models"],
)

TOKEN_OBTAIN = extend_schema(
    summary="Get an API token",
    description=(
        'Exchange a username and password for a token; send it as "Authorization: Token <token>". '
        "The same token is returned until it is deleted. Strictly rate-limited per address and per username."
    ),
    request=AuthTokenSerializer,
    responses={
        200: OpenApiResponse(serializers.TokenSerializer, description="Your API token."),
        400: invalid(
            (
                "Wrong credentials",
                "Unable to log in with provided credentials.",
                {"non_field_errors": ["Unable to log in with provided credentials."]},
            ),
            (
                "Missing password",
                "password: This field is required.",
                {"password": ["This field is required."]},
            ),
        ),
        413: TOO_LARGE,
        415: UNSUPPORTED_MEDIA_TYPE,
        429: THROTTLED,
    },
    parameters=[retry_after(429)],
    examples=[
        OpenApiExample(
            "Credentials",
            value={"username": "alice", "password": "correct-horse-battery-staple"},  # nosec B105
            request_only=True,
        ),
        OpenApiExample("A token", value={"token": "9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b"}, response_only=True),  # nosec B105
    ],
    tags=["auth"],
)
