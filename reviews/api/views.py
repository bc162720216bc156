"""API views: validate, call a service or selector, serialize."""

from dataclasses import asdict

from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from classifier import services as classifier_services
from classifier.classify import classify
from reviews import selectors, services
from reviews.models import Review

from . import catalog, schema, serializers
from .permissions import IsOwner
from .throttling import AnonRateThrottle, ReviewCreateThrottle, UserRateThrottle


def validated(serializer_class, data) -> dict:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


MAX_EXPLAINED_BATCH = 8


class PublicView(APIView):
    """An endpoint open to anyone (signed in or not), throttled per address or per user."""

    permission_classes = [permissions.AllowAny]
    throttle_classes = [AnonRateThrottle, UserRateThrottle]


class PredictView(PublicView):
    """Classify one review or a batch, for anyone, with the model asked for and maybe explained; nothing is stored."""

    @schema.PREDICT
    def post(self, request):
        options = validated(serializers.PredictQuerySerializer, request.query_params)
        body = validated(serializers.PredictRequestSerializer, request.data)
        texts = [body["text"]] if "text" in body else body["texts"]
        if options["explain"] and len(texts) > MAX_EXPLAINED_BATCH:
            # Each explanation costs several model calls: keep one request from holding a thread.
            raise ValidationError({"texts": [f"With explain=true a batch holds at most {MAX_EXPLAINED_BATCH} texts."]})
        model = options.get("model")
        if options["explain"] or options["sentences"]:
            explainable(texts, model=model, batch="texts" in body)
        # One model call for the texts, one for all their sentences.
        results = classify(texts, model=model, explain=options["explain"], sentences=options["sentences"])
        name = classifier_services.default_model_name() if model is None else model
        verdicts = [verdict_of(result, name) for result in results]
        data = serializers.PredictionSerializer(verdicts, many=True).data
        return Response(data[0] if "text" in body else {"results": data})


def verdict_of(result, name: str) -> dict:
    verdict = {**asdict(result.prediction), "model": name}
    if result.explanation is not None:
        verdict["explanation"] = result.explanation
    if result.sentences is not None:
        verdict["sentences"] = [asdict(sentence) for sentence in result.sentences]
        verdict["mixed"] = result.mixed
    return verdict


def explainable(texts: list[str], *, model: str | None, batch: bool) -> None:
    """A 400 naming each text longer than `model` explains (the slow models' limit), before any work."""
    errors = {}
    for index, text in enumerate(texts):
        try:
            classifier_services.check_explainable(text, model=model)
        except classifier_services.ExplanationTooLong as exc:
            errors[index] = [str(exc)]
    if errors:
        raise ValidationError({"texts": errors} if batch else {"text": errors[0]})


class ModelListView(PublicView):
    """The shipped models that ?model= accepts, which one is the default, and their test-set metrics."""

    @schema.MODEL_LIST
    def get(self, request):
        return Response(serializers.ShippedModelListSerializer({"results": catalog.shipped_models()}).data)


class ReviewViewSet(
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """The caller's own reviews: list, create (classify and store), retrieve, delete; no update."""

    serializer_class = serializers.ReviewSerializer
    permission_classes = [permissions.IsAuthenticated, IsOwner]
    throttle_classes = [UserRateThrottle, ReviewCreateThrottle]
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
        # Read before the serializer is built: its context names the model in the answer.
        self.model_name = validated(serializers.ModelQuerySerializer, request.query_params).get("model")
        self.sentences = validated(serializers.SentencesQuerySerializer, request.query_params)["sentences"]
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

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if self.action == "create":
            # The name asked for, exactly: copies of one artifact share a model_version.
            asked = getattr(self, "model_name", None)  # unset when the query itself was refused
            context["model"] = classifier_services.default_model_name() if asked is None else asked
        return context

    def perform_create(self, serializer):
        # Only `text` is read from the client; the verdict and the owner come from the service.
        serializer.instance = services.review_create(
            user=self.request.user,
            text=serializer.validated_data["text"],
            model=self.model_name,
            sentences=self.sentences,
        )


class ReviewDisputeView(APIView):
    """Feedback on one of your verdicts: POST says "this verdict is wrong", DELETE takes it back."""

    @schema.REVIEW_DISPUTE
    def post(self, request, id):
        return self.set_disputed(request, id, disputed=True)

    @schema.REVIEW_UNDISPUTE
    def delete(self, request, id):
        return self.set_disputed(request, id, disputed=False)

    def set_disputed(self, request, review_id, *, disputed):
        try:
            review = services.review_set_disputed(user=request.user, review_id=int(review_id), disputed=disputed)
        except Review.DoesNotExist:
            raise NotFound("No Review matches the given query.") from None
        return Response(serializers.ReviewSerializer(review, context={"request": request}).data)


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
