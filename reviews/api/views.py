"""The reviews API's views: validate, call a service or selector, serialize."""

from rest_framework import mixins, permissions, status, viewsets
from rest_framework.exceptions import NotFound, Throttled
from rest_framework.response import Response
from rest_framework.views import APIView

from classifier import budget, registry
from classifier.api.serializers import ModelQuerySerializer, SentencesQuerySerializer
from reviews import selectors, services
from reviews.models import Review
from reviews.pagination import ReviewPagination
from sentisite.api.serializers import validated
from sentisite.api.throttling import UserRateThrottle

from . import schema, serializers
from .permissions import IsOwner
from .throttling import ReviewCreateThrottle


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
    # Counts from the per-day counts (a search's up to a bound), pages by their ids first.
    pagination_class = ReviewPagination
    # Digits only, and few enough for a 64-bit key: "abc" or 10**30 is a 404, not a database error.
    lookup_value_regex = r"[0-9]{1,18}"

    def get_queryset(self):
        if self.action != "list":
            return selectors.review_list(user=self.request.user)
        query = serializers.ReviewListQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        filters = {"sentiment": params.get("sentiment") or None, "search": params.get("search") or None}
        self.list_count = selectors.review_list_count(user=self.request.user, **filters)
        reviews = selectors.review_list(user=self.request.user, **filters)
        return reviews.order_by(*query.ORDERINGS[params["ordering"] or "-created_at"])

    @schema.REVIEW_LIST
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @schema.REVIEW_CREATE
    def create(self, request, *args, **kwargs):
        # Read before the serializer is built: its context names the model in the answer.
        self.model_name = validated(ModelQuerySerializer, request.query_params).get("model")
        self.sentences = validated(SentencesQuerySerializer, request.query_params)["sentences"]
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
            context["model"] = registry.default_model_name() if asked is None else asked
        return context

    def perform_create(self, serializer):
        # Only `text` is read from the client; the verdict and the owner come from the service.
        try:
            serializer.instance = services.review_create(
                user=self.request.user,
                text=serializer.validated_data["text"],
                model=self.model_name,
                sentences=self.sentences,
            )
        except budget.OverBudget as exc:
            raise Throttled(wait=exc.retry_after) from None


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
