"""The classifier's API serializers, and the field types the reviews API shares (texts, verdicts, explanations)."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from classifier import rules
from classifier.verdicts import DEFAULT_BANDS, VERY_SHORT_WORDS, Confidence, Sentiment, VerdictWarning

MAX_BATCH = 64


class ReviewTextField(serializers.CharField):
    """A review's text, kept exactly as sent, under the review form's rules and messages (classifier/rules.py)."""

    default_error_messages = {"invalid": "Must be a string.", "blank": rules.EMPTY_MESSAGE}

    def __init__(self, **kwargs):
        # Read when each serializer is built (DRF deep-copies declared fields), so the setting is live;
        # max_length is also what the schema documents as maxLength.
        kwargs.setdefault("max_length", rules.max_chars())
        # No trimming: a text is stored exactly as sent; a whitespace-only one is refused by the rules.
        kwargs.setdefault("trim_whitespace", False)
        super().__init__(**kwargs)
        self.validators = rules.text_validators(self.max_length)  # the same checks as CharField's, our wording

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


class SentencesQuerySerializer(serializers.Serializer):
    """`?sentences=true`: each sentence's verdict too (predict and review creation)."""

    sentences = serializers.BooleanField(required=False, default=False)


class SentenceSerializer(serializers.Serializer):
    """One sentence's verdict; `text` is the original text[start:end] (offsets in Unicode code points)."""

    text = serializers.CharField(help_text="The sentence, exactly as it is in the text.")
    start = serializers.IntegerField(min_value=0, help_text="Offset of its first character (a code point index).")
    end = serializers.IntegerField(min_value=0, help_text="Offset just past its last character.")
    sentiment = serializers.ChoiceField(choices=Sentiment.choices)
    score = serializers.FloatField(min_value=0.0, max_value=1.0, help_text="Probability that the sentence is positive.")
    confidence = serializers.ChoiceField(choices=Confidence.choices)


MIXED_HELP = (
    "With ?sentences=true: true when one sentence is positive and another negative, each with a calibrated "
    "probability of at least the model's mixed_threshold (fit on validation reviews: docs/models.md)."
)


class ModelQuerySerializer(serializers.Serializer):
    """`?model=NAME`: which shipped model answers (the default when absent)."""

    # Any string: the classifier checks the name against the shipped models, and its refusal lists them.
    model = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=100,
        help_text="A shipped model's name (see /api/v1/models); the default model when absent.",
    )


class PredictQuerySerializer(ModelQuerySerializer, SentencesQuerySerializer):
    """The predict query: `?model=NAME`, `?explain=true` and `?sentences=true`."""

    explain = serializers.BooleanField(
        required=False,
        default=False,
        help_text=(
            "Add each word's weight to every verdict. On the slow models (accurate, rcnn, rnn) only for texts of "
            "at most SENTIMENT_SLOW_EXPLAIN_MAX_CHARS characters (1,000 by default); a longer one is a 400."
        ),
    )


class WordWeightSerializer(serializers.Serializer):
    """Schema only: one word of an explanation."""

    word = serializers.CharField(help_text="A whitespace-separated word of the text, punctuation included.")
    weight = serializers.FloatField(
        help_text="How far the word pushed the verdict: positive towards positive, negative towards negative."
    )


@extend_schema_field(WordWeightSerializer(many=True))
class ExplanationField(serializers.Field):
    """(word, weight) pairs, as classifier.registry.explain() returns and Review stores them, shown as
    [{"word": ..., "weight": ...}] in text order."""

    def to_representation(self, pairs):
        return [{"word": word, "weight": round(weight, 4)} for word, weight in pairs]


CONFIDENCE_HELP = (
    "How far the verdict can be trusted: a band of the verdict's calibrated probability max(score, 1 - score): "
    f"`high` (>= {DEFAULT_BANDS['high']} unless the model records its own bands), `medium` (>= {DEFAULT_BANDS['medium']}), "
    '`low` (show it as "not sure, leaning ..."), or `none` when no word of the text is in the model\'s vocabulary '
    "(the model cannot tell; `sentiment` and `score` are then a guess)."
)
WARNINGS_HELP = (
    "Stable codes, in this order when present: `no_known_words` (no word of the text is in the model's vocabulary), "
    "`not_english` (a language identifier is confident the text is not English), `very_short` (fewer than "
    f"{VERY_SHORT_WORDS} words), `truncated` (a network read only the head and tail of a long text). Clients should "
    "ignore codes they do not know: new ones may be added."
)


def confidence_field(**kwargs) -> serializers.ChoiceField:
    return serializers.ChoiceField(choices=Confidence.choices, help_text=CONFIDENCE_HELP, **kwargs)


def warnings_field(**kwargs) -> serializers.ListField:
    return serializers.ListField(
        child=serializers.ChoiceField(choices=VerdictWarning.choices), help_text=WARNINGS_HELP, **kwargs
    )


class PredictionSerializer(serializers.Serializer):
    """One verdict: a classifier.registry.Prediction as a dict, with the model's name and maybe an explanation."""

    sentiment = serializers.ChoiceField(choices=Sentiment.choices, source="label")
    score = serializers.FloatField(min_value=0.0, max_value=1.0, help_text="Probability that the review is positive.")
    model_version = serializers.CharField(help_text="The exact artifact that answered (name, date, file digest).")
    model = serializers.CharField(help_text="The shipped model that answered, as ?model= names it.")
    confidence = confidence_field()
    warnings = warnings_field()
    # Not required: present only with ?explain=true.
    explanation = ExplanationField(
        required=False, help_text="With ?explain=true only: each word's weight, in text order."
    )
    sentences = SentenceSerializer(many=True, required=False, help_text="With ?sentences=true only, in text order.")
    mixed = serializers.BooleanField(required=False, help_text=MIXED_HELP)


class PredictionBatchSerializer(serializers.Serializer):
    results = PredictionSerializer(many=True, help_text="One verdict per text, in the order sent.")


class ModelMetricsSerializer(serializers.Serializer):
    """The published part of an artifact's metrics.json; a metric it does not have is left out."""

    test_accuracy = serializers.FloatField(required=False, help_text="Accuracy on the 25,000 official test reviews.")
    test_f1_macro = serializers.FloatField(required=False, help_text="Macro-averaged F1 on the same test set.")
    test_roc_auc = serializers.FloatField(required=False, help_text="ROC AUC on the same test set.")
    latency_ms_p50_single = serializers.FloatField(
        required=False, help_text="Median milliseconds to classify one review, measured after training."
    )


class ShippedModelSerializer(serializers.Serializer):
    """One shipped model, from catalog.shipped_models()."""  # its words are in the schema: kept as they were

    name = serializers.CharField(help_text="Pass it as ?model=NAME to predict or to create a review.")
    model_version = serializers.CharField(
        allow_null=True, help_text="The artifact's version; null when it cannot be read (it answers 503)."
    )
    default = serializers.BooleanField(help_text="Whether it answers when no ?model= is given.")
    metrics = ModelMetricsSerializer()


class ShippedModelListSerializer(serializers.Serializer):
    results = ShippedModelSerializer(many=True, help_text="Every model that ?model= accepts, by name.")
