"""API views: validate, call a service or selector, serialize."""

from django.db import transaction
from django.utils.decorators import method_decorator
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework import authentication, mixins, permissions, status, viewsets
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from classifier import services as classifier_services
from reviews import selectors, services
from reviews.models import Review

from . import schema, serializers
from .parsers import API_PARSERS
from .permissions import IsOwner
from .renderers import API_RENDERERS
from .throttling import AnonRateThrottle, LoginRateThrottle, LoginUsernameRateThrottle, UserRateThrottle

# Token first: its WWW-Authenticate challenge makes "no credentials" a 401 (session first would give 403).
AUTHENTICATION = [authentication.TokenAuthentication, authentication.SessionAuthentication]

# No request-wide transaction for the API. Rate-limit counts live in the cache, a database table unless
# REDIS_URL is set, and rolling back an error response would roll them back too: failed password guesses
# would never add up to a 429. What must be all-or-nothing (review_create) is atomic in the service, and
# no transaction holds SQLite's write lock while the model runs.
non_atomic = method_decorator(transaction.non_atomic_requests, name="dispatch")


@non_atomic
class PredictView(APIView):
    """Classify one review or a batch, for anyone; nothing is stored."""

    authentication_classes = AUTHENTICATION
    permission_classes = [permissions.AllowAny]
    throttle_classes = [AnonRateThrottle, UserRateThrottle]
    parser_classes = API_PARSERS
    renderer_classes = API_RENDERERS

    @schema.PREDICT
    def post(self, request):
        query = serializers.PredictRequestSerializer(data=request.data)
        query.is_valid(raise_exception=True)
        if "text" in query.validated_data:
            [prediction] = classifier_services.predict([query.validated_data["text"]])
            return Response(serializers.PredictionSerializer(prediction).data)
        predictions = classifier_services.predict(query.validated_data["texts"])  # one batch, one model call
        return Response({"results": serializers.PredictionSerializer(predictions, many=True).data})


@non_atomic
class ReviewViewSet(
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """The caller's own reviews: list, create (classify and store), retrieve, delete; no update."""

    serializer_class = serializers.ReviewSerializer
    authentication_classes = AUTHENTICATION
    permission_classes = [permissions.IsAuthenticated, IsOwner]
    throttle_classes = [UserRateThrottle]
    parser_classes = API_PARSERS
    renderer_classes = API_RENDERERS
    # Digits only, and few enough for a 64-bit key: "abc" or 10**30 is a 404, not a database error.
    lookup_value_regex = r"[0-9]{1,18}"

    def get_queryset(self):
        if self.action != "list":
            return selectors.review_list(user=self.request.user)
        query = serializers.ReviewListQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        reviews = selectors.review_list(
            user=self.request.user, sentiment=params.get("sentiment") or None, search=params.get("search") or None
        )
        return reviews.order_by(*query.ORDERINGS[params["ordering"]])

    @schema.REVIEW_LIST
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @schema.REVIEW_CREATE
    def create(self, request, *args, **kwargs):
        return super().create(request, *args, **kwargs)

    @schema.REVIEW_RETRIEVE
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @schema.REVIEW_DESTROY
    def destroy(self, request, *args, **kwargs):
        try:
            services.review_delete(user=request.user, review_id=int(kwargs[self.lookup_field]))
        except Review.DoesNotExist:
            raise NotFound("No Review matches the given query.") from None
        return Response(status=status.HTTP_204_NO_CONTENT)

    def perform_create(self, serializer):
        # Only `text` is read from the client; the verdict and the owner come from the service.
        serializer.instance = services.review_create(user=self.request.user, text=serializer.validated_data["text"])


@non_atomic
class TokenObtainView(ObtainAuthToken):
    """Username and password in, API token out; strictly throttled against password guessing."""

    # No session here: a token request carries its credentials, so CSRF does not apply.
    authentication_classes = []
    throttle_classes = [LoginRateThrottle, LoginUsernameRateThrottle]
    parser_classes = API_PARSERS

    @schema.TOKEN_OBTAIN
    def post(self, request, *args, **kwargs):
        return super().post(request, *args, **kwargs)


class SwaggerView(SpectacularSwaggerSplitView):
    """Swagger UI; its init script is a separate file, so only styles need 'unsafe-inline'."""

    # The page has an inline <style> block (Chromium refuses it under the site's policy); the scripts are
    # all files from this origin (the sidecar bundle and ?script), so script-src stays 'self'.
    content_security_policy = (
        "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; "
        "font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; "
        "base-uri 'self'; object-src 'none'"
    )

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response.headers["Content-Security-Policy"] = self.content_security_policy
        return response
