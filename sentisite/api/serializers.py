"""What every endpoint shares: the error body's shape, and validating a request's part with a serializer."""

from rest_framework import serializers


def validated(serializer_class, data) -> dict:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class ErrorSerializer(serializers.Serializer):
    """The body of every error response."""

    detail = serializers.CharField(help_text="What went wrong, in one sentence.")
    code = serializers.CharField(help_text="A stable machine-readable code, e.g. invalid, not_found, throttled.")
    errors = serializers.DictField(
        required=False, help_text="On 400 for invalid input only: the messages per field (list items by index)."
    )
    choices = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        help_text="On 400 unknown_model only: the model names to choose from.",
    )
