"""API serializers: they validate and shape requests and responses, and hold no business logic."""

from django.conf import settings
from rest_framework import serializers

from reviews.models import Review, Sentiment

MAX_BATCH = 64


class ReviewTextField(serializers.CharField):
    """A review's text: a non-blank string of at most REVIEW_MAX_CHARS, no NUL, no lone surrogates."""

    default_error_messages = {"invalid": "Must be a string."}

    def __init__(self, **kwargs):
        # Read when each serializer is built (DRF deep-copies declared fields), so the setting is live.
        kwargs.setdefault("max_length", settings.REVIEW_MAX_CHARS)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        # DRF's CharField turns 42 into "42"; a number is not a review.
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class PredictRequestSerializer(serializers.Serializer):
    """Exactly one of `text` (one review) and `texts` (a batch)."""

    text = ReviewTextField(required=False, help_text="One review to classify.")
    texts = serializers.ListField(
        child=ReviewTextField(),
        required=False,
        min_length=1,
        max_length=MAX_BATCH,
        help_text=f"1 to {MAX_BATCH} reviews, classified together; results come back in the same order.",
    )

    def validate(self, attrs):
        if ("text" in attrs) == ("texts" in attrs):
            raise serializers.ValidationError("Send exactly one of `text` (a string) and `texts` (a list of strings).")
        return attrs


class SingleTextSerializer(serializers.Serializer):
    """Schema only: the one-review form of the predict request."""

    text = ReviewTextField(help_text="The review to classify.")


class BatchTextSerializer(serializers.Serializer):
    """Schema only: the batch form of the predict request."""

    texts = serializers.ListField(child=ReviewTextField(), min_length=1, max_length=MAX_BATCH)


class PredictionSerializer(serializers.Serializer):
    """One verdict, from a classifier.services.Prediction."""

    sentiment = serializers.ChoiceField(choices=Sentiment.choices, source="label")
    score = serializers.FloatField(min_value=0.0, max_value=1.0, help_text="Probability that the review is positive.")
    model_version = serializers.CharField()


class PredictionBatchSerializer(serializers.Serializer):
    results = PredictionSerializer(many=True, help_text="One verdict per text, in the order sent.")


class ReviewSerializer(serializers.ModelSerializer):
    """A stored review; only `text` is writable, the verdict and ownership come from the server."""

    url = serializers.HyperlinkedIdentityField(view_name="api:review-detail")
    text = ReviewTextField()

    class Meta:
        model = Review
        fields = ["id", "url", "text", "sentiment", "score", "model_version", "created_at", "verdict_disputed"]
        read_only_fields = ["sentiment", "score", "model_version", "created_at", "verdict_disputed"]


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
    search = serializers.CharField(
        required=False, allow_blank=True, max_length=settings.REVIEW_MAX_CHARS, help_text="Text the review contains."
    )
    ordering = serializers.ChoiceField(
        choices=list(ORDERINGS),
        required=False,
        default="-created_at",
        help_text="Sort by `created_at` or `score`; a leading `-` sorts descending.",
    )


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(read_only=True, help_text='Send it as the header "Authorization: Token <token>".')


class ErrorSerializer(serializers.Serializer):
    """The body of every error response."""

    detail = serializers.CharField(help_text="What went wrong, in one sentence.")
    code = serializers.CharField(help_text="A stable machine-readable code, e.g. invalid, not_found, throttled.")
    errors = serializers.DictField(
        required=False, help_text="On 400 for invalid input only: the messages per field (list items by index)."
    )
