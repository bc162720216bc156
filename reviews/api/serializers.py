"""The reviews API's serializers: they validate and shape requests and responses, and hold no business logic."""

import functools

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from classifier import shipped
from classifier.api.serializers import (
    MIXED_HELP,
    ExplanationField,
    ReviewTextField,
    SentenceSerializer,
    confidence_field,
    warnings_field,
)
from reviews.models import Review, Sentiment

SEARCH_MAX_CHARS = 300


class ReviewSerializer(serializers.ModelSerializer):
    """A stored review; only `text` is writable, the verdict and ownership come from the server."""

    url = serializers.HyperlinkedIdentityField(view_name="api:review-detail")
    text = ReviewTextField()
    model = serializers.SerializerMethodField()
    confidence = confidence_field(read_only=True)
    warnings = warnings_field(read_only=True)
    explanation = ExplanationField(
        read_only=True, help_text="Each word's weight when the verdict was made, in text order (see predict)."
    )
    sentences = SentenceSerializer(
        source="sentence_verdicts",
        many=True,
        read_only=True,
        help_text="Each sentence's verdict when it was made with ?sentences=true; empty otherwise.",
    )
    mixed = serializers.BooleanField(read_only=True, allow_null=True, help_text=MIXED_HELP + " null otherwise.")

    class Meta:
        model = Review
        fields = [
            "id",
            "url",
            "text",
            "sentiment",
            "score",
            "model_version",
            "model",
            "confidence",
            "warnings",
            "created_at",
            "verdict_disputed",
            "explanation",
            "sentences",
            "mixed",
        ]
        read_only_fields = ["sentiment", "score", "model_version", "created_at", "verdict_disputed"]
        extra_kwargs = {"verdict_disputed": {"help_text": 'You said "this verdict is wrong" (see dispute).'}}

    @extend_schema_field(
        serializers.CharField(
            allow_null=True, help_text="The shipped model that gave the verdict; null once no shipped model has it."
        )
    )
    def get_model(self, review) -> str | None:
        # A review stores its model_version only; the view that just made it knows the name asked for.
        if self.context.get("model"):
            return self.context["model"]
        return self.shipped_names.get(review.model_version)

    @functools.cached_property
    def shipped_names(self) -> dict[str, str]:
        # Once per response: a list's items share this (child) serializer.
        return shipped.names_by_version()


class ReviewListQuerySerializer(serializers.Serializer):
    """The list's query parameters, validated so that a bad value is a 400, never a 500."""

    ORDERINGS = {
        "created_at": ("created_at", "id"),
        "-created_at": ("-created_at", "-id"),
        "score": ("score", "id"),
        "-score": ("-score", "-id"),
    }

    sentiment = serializers.ChoiceField(
        choices=Sentiment.choices, required=False, allow_blank=True, help_text="Only reviews with this verdict."
    )
    # Bounded so that the request line stays under gunicorn's 4,094 bytes even percent-encoded (a character
    # may take 12 bytes): a longer one would be gunicorn's 414, not this API's 400.
    search = serializers.CharField(
        required=False, allow_blank=True, max_length=SEARCH_MAX_CHARS, help_text="Text the review contains."
    )
    ordering = serializers.ChoiceField(
        choices=list(ORDERINGS),
        required=False,
        allow_blank=True,  # ?ordering= is the default order, as the schema says
        default="-created_at",
        help_text="Sort by `created_at` or `score`; a leading `-` sorts descending.",
    )
