"""OpenAPI documentation of the reviews endpoints: list, create, read, delete, dispute and undo."""

from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema

from classifier.api.schema import (
    EXPLANATION,
    MODEL,
    MODEL_UNAVAILABLE,
    POSITIVE_VERDICT,
    SENTENCES,
    TEXT,
    TEXT_ERRORS,
    UNKNOWN_MODEL,
)
from sentisite.api.schema import (
    NOT_AUTHENTICATED,
    PERMISSION_DENIED,
    RETRY_AFTER,
    THROTTLED,
    TOO_LARGE,
    UNSUPPORTED_MEDIA_TYPE,
    error,
    field_error,
    invalid,
)

from .. import serializers

NOT_FOUND = error(
    404,
    "No such review among yours (another user's review is not found either).",
    ("Not yours or gone", {"detail": "No Review matches the given query.", "code": "not_found"}),
)

REVIEW_EXAMPLE = {
    "id": 7,
    "url": "http://127.0.0.1:8000/api/v1/reviews/7/",
    "text": TEXT,
    **POSITIVE_VERDICT,
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
            field_error("Unknown sentiment", "sentiment", '"neutral" is not a valid choice.'),
            field_error("Unknown ordering", "ordering", '"text" is not a valid choice.'),
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
    parameters=[MODEL, SENTENCES, RETRY_AFTER],
    examples=[
        OpenApiExample("A review", value={"text": TEXT}, request_only=True),
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


def _dispute(summary: str, description: str, operation_id: str, answer: str, example: tuple[str, dict]):
    """Saying a verdict is wrong (POST) and taking it back (DELETE): the same answers, each its own words."""
    return extend_schema(
        summary=summary,
        description=description,
        operation_id=operation_id,
        parameters=[REVIEW_ID],
        request=None,
        responses={
            200: OpenApiResponse(serializers.ReviewSerializer, description=answer),
            401: NOT_AUTHENTICATED,
            403: PERMISSION_DENIED,
            404: NOT_FOUND,
            429: THROTTLED,
        },
        examples=[OpenApiExample(example[0], value=example[1], response_only=True)],
        tags=["reviews"],
    )


REVIEW_DISPUTE = _dispute(
    "Say a verdict is wrong",
    'Marks one of your reviews "this verdict is wrong" (`verdict_disputed: true`); staff export disputed '
    "reviews to retrain. Idempotent; no body. Another user's review is a 404.",
    "reviews_dispute_create",
    "The review, now disputed.",
    ("The disputed review", {**REVIEW_EXAMPLE, "verdict_disputed": True}),
)
REVIEW_UNDISPUTE = _dispute(
    "Take back a dispute",
    "Undoes a dispute (`verdict_disputed: false`). Idempotent; another user's review is a 404.",
    "reviews_dispute_destroy",
    "The review, no longer disputed.",
    ("The review", REVIEW_EXAMPLE),
)
