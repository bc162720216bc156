"""The classifier's API views: validate, classify, serialize; nothing is stored."""

from dataclasses import asdict

from rest_framework import permissions
from rest_framework.exceptions import Throttled, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from classifier import budget, registry, shipped
from classifier.classify import TooManySentences, classify
from sentisite.api.serializers import validated
from sentisite.api.throttling import AnonRateThrottle, UserRateThrottle

from . import schema, serializers

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
        if request.content_type.startswith("application/x-www-form-urlencoded") and "texts" in request.data:
            # A form cannot tell a list of one from a string (texts=a): a batch is JSON only, as documented.
            raise ValidationError({"texts": ["Send a batch as JSON; a form takes one `text`."]})
        body = validated(serializers.PredictRequestSerializer, request.data)
        texts = [body["text"]] if "text" in body else body["texts"]
        if options["explain"] and len(texts) > MAX_EXPLAINED_BATCH:
            # Each explanation costs several model calls: keep one request from holding a thread.
            raise ValidationError({"texts": [f"With explain=true a batch holds at most {MAX_EXPLAINED_BATCH} texts."]})
        model = options.get("model")
        if options["explain"] or options["sentences"]:
            explainable(texts, model=model, batch="texts" in body)
        # One model call for the texts, one for all their sentences.
        try:
            results = classify(
                texts,
                model=model,
                explain=options["explain"],
                sentences=options["sentences"],
                client=budget.client_key(request),
            )
        except (budget.TooCostly, TooManySentences) as exc:
            raise ValidationError({"texts" if "texts" in body else "text": [str(exc)]}) from None
        except budget.OverBudget as exc:
            raise Throttled(wait=exc.retry_after) from None
        name = registry.default_model_name() if model is None else model
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
            registry.check_explainable(text, model=model)
        except registry.ExplanationTooLong as exc:
            errors[index] = [str(exc)]
    if errors:
        raise ValidationError({"texts": errors} if batch else {"text": errors[0]})


class ModelListView(PublicView):
    """The shipped models that ?model= accepts, which one is the default, and their test-set metrics."""

    @schema.MODEL_LIST
    def get(self, request):
        return Response(serializers.ShippedModelListSerializer({"results": shipped.shipped_models()}).data)
