"""OpenAPI documentation of the token endpoint (a username and password for an API token)."""

from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.authtoken.serializers import AuthTokenSerializer

from sentisite.api.schema import THROTTLED, TOO_LARGE, UNSUPPORTED_MEDIA_TYPE, field_error, invalid, retry_after


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(read_only=True, help_text='Send it as the header "Authorization: Token <token>".')


TOKEN_OBTAIN = extend_schema(
    summary="Get an API token",
    description=(
        'Exchange a username and password for a token; send it as "Authorization: Token <token>". '
        "The same token is returned until it is deleted. Strictly rate-limited per address and per username."
    ),
    request=AuthTokenSerializer,
    responses={
        200: OpenApiResponse(TokenSerializer, description="Your API token."),
        400: invalid(
            field_error("Wrong credentials", "non_field_errors", "Unable to log in with provided credentials."),
            field_error("Missing password", "password", "This field is required."),
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
