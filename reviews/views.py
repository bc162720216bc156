"""The review pages; thin: validate, call a service or selector, render."""

from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from classifier import budget, registry
from classifier.classify import classify
from classifier.verdicts import Confidence, describe
from sentisite import throttling
from sentisite.redirects import safe_next

from . import charts, presenters, selectors, services
from .forms import DisputeForm, HistoryFilterForm, ReviewForm, model_choices
from .models import Review, Sentiment
from .pagination import SEARCH_COUNT_LIMIT, ReviewPaginator

HISTORY_PAGE_SIZE = 20
RECENT_ON_HOME = 3
# How the page words each confidence band (classifier.verdicts.Confidence).
CONFIDENCE_WORDING = {
    Confidence.HIGH: "Confident",
    Confidence.MEDIUM: "Fairly sure",
    Confidence.LOW: "Not sure: this review could be read either way",
    Confidence.NONE: "Cannot tell",
}


@dataclass(frozen=True)
class Verdict:
    """What a page shows about one prediction, whether it was stored (a Review) or not."""

    sentiment: str
    score: float  # probability that the text is positive, 0..1
    model_version: str
    text: str
    confidence: str  # a Confidence band
    warnings: tuple[str, ...]  # VerdictWarning codes
    # Which words pushed the verdict; None when there is no explanation that fits the text.
    explanation: presenters.ExplainedText | None = field(default=None, compare=False)
    # Each sentence's verdict, for a text of two or more sentences whose breakdown was made.
    sentences: presenters.SentenceStrip | None = field(default=None, compare=False)

    @classmethod
    def of_review(cls, review: Review) -> "Verdict":
        return cls._of(
            review.sentiment,
            review,
            review.text,
            tuple(review.warnings),
            review.explanation,
            review.sentence_verdicts,
            review.mixed,
        )

    @classmethod
    def of_classification(cls, result) -> "Verdict":
        """The verdict of a text classified and not stored (a classifier.classify.Classification)."""
        prediction = result.prediction
        return cls._of(
            prediction.label,
            prediction,
            result.text,
            prediction.warnings,
            result.explanation,
            result.sentences,
            result.mixed,
        )

    @classmethod
    def _of(cls, sentiment, scored, text, warnings, explanation, sentences, mixed) -> "Verdict":
        """`scored`, a stored Review or a fresh Prediction, has the score, the model version and the confidence."""
        return cls(
            sentiment=sentiment,
            score=scored.score,
            model_version=scored.model_version,
            text=text,
            confidence=scored.confidence,
            warnings=warnings,
            explanation=presenters.explain_text(text, explanation),
            sentences=presenters.sentence_strip(sentences, mixed),
        )

    @property
    def mixed(self) -> bool:
        """One sentence confidently positive and another confidently negative (ml/inference/verdict.py)."""
        return bool(self.sentences and self.sentences.mixed)

    @property
    def is_positive(self) -> bool:
        return self.sentiment == Sentiment.POSITIVE

    @property
    def label(self) -> str:
        return Sentiment(self.sentiment).label

    @property
    def certainty(self) -> float:
        """The probability of the verdict given, 0.5..1."""
        return self.score if self.is_positive else 1 - self.score

    @property
    def confidence_wording(self) -> str:
        return CONFIDENCE_WORDING.get(self.confidence, CONFIDENCE_WORDING[Confidence.LOW])

    @property
    def cannot_tell(self) -> bool:
        """The model knows none of the words: no verdict, no bar, only a plain sentence."""
        return self.confidence == Confidence.NONE

    @property
    def unsure(self) -> bool:
        return self.confidence == Confidence.LOW

    @property
    def headline(self) -> str:
        if self.cannot_tell:
            return "The model cannot tell"
        if self.unsure:
            return f"Not sure — leaning {self.label.lower()}"
        return self.label

    @property
    def warning_sentences(self) -> list[str]:
        return describe(self.warnings)


def _own_review_or_404(user, review_id: int) -> Review:
    # Another user's review is a 404, never a 403: its existence is not ours to reveal.
    try:
        return selectors.review_get(user=user, review_id=review_id)
    except Review.DoesNotExist as exc:
        raise Http404("No such review.") from exc


# Prediction can take a moment: do not hold a database transaction (and SQLite's write lock) while
# it runs; review_create opens its own transaction around the write.
@transaction.non_atomic_requests
@require_http_methods(["GET", "POST"])
def home(request):
    models = model_choices()
    form = ReviewForm(request.POST, models=models) if request.method == "POST" else ReviewForm(models=models)
    context = {"form": form}
    if request.user.is_authenticated:
        context["recent"] = selectors.review_list(user=request.user)[:RECENT_ON_HOME]
    if request.method == "POST" and form.is_valid():
        text = form.cleaned_data["text"]
        model = form.cleaned_data.get("model") or None
        # Counted only when the model is about to run: a visitor's classification per address, a stored
        # review per user (the API's review creation shares that budget).
        if request.user.is_authenticated:
            wait = throttling.over_rate(request, "review_create", throttling.by_user(request))
        else:
            wait = throttling.over_rate(request, "classify", throttling.by_address(request))
        if wait:
            return throttling.too_many_requests(request, wait)
        try:
            if request.user.is_authenticated:
                review = services.review_create(user=request.user, text=text, model=model, sentences=True)
                messages.success(request, "Saved to your history.")
                _note_if_unexplained(request, text, model)
                return redirect(review)
            # Nothing is stored for a visitor, so the explanation and the sentence verdicts are made here
            # (the stored reviews carry theirs, made by review_create).
            result = classify(
                [text], model=model, explain=True, sentences=True, strict=False, client=budget.client_key(request)
            )[0]
            if result.unexplained:
                messages.info(request, presenters.unexplained_note(result.unexplained))
        except budget.OverBudget as exc:
            return throttling.too_many_requests(request, exc.retry_after)
        except registry.ModelUnavailable as exc:
            context["model_unavailable"] = True
            response = render(request, "reviews/home.html", context, status=503)
            response["Retry-After"] = str(exc.retry_after)
            return response
        except registry.UnknownModel as exc:  # removed from disk since the form was checked
            form.add_error("model", str(exc))
            return render(request, "reviews/home.html", context)
        context["verdict"] = Verdict.of_classification(result)
    return render(request, "reviews/home.html", context)


def _note_if_unexplained(request, text: str, model: str | None) -> None:
    """Say on the page why a stored review has no highlighted words nor sentence strip: the model does not
    explain a text this long."""
    try:
        registry.check_explainable(text, model=model)
    except registry.ExplanationTooLong as exc:
        messages.info(request, presenters.unexplained_note(exc))


@login_required
def detail(request, review_id: int):
    review = _own_review_or_404(request.user, review_id)
    return render(request, "reviews/detail.html", {"review": review, "verdict": Verdict.of_review(review)})


@login_required
@require_http_methods(["GET", "POST"])
def delete(request, review_id: int):
    review = _own_review_or_404(request.user, review_id)
    if request.method == "POST":
        try:
            services.review_delete(user=request.user, review_id=review.pk)
        except Review.DoesNotExist as exc:  # deleted meanwhile by another request
            raise Http404("No such review.") from exc
        messages.success(request, "The review was deleted.")
        return redirect("reviews:history")
    return render(request, "reviews/review_confirm_delete.html", {"review": review})


@login_required
@require_POST
def dispute(request, review_id: int):
    form = DisputeForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest("Send disputed=true or disputed=false.")
    disputed = form.cleaned_data["disputed"]
    try:
        services.review_set_disputed(user=request.user, review_id=review_id, disputed=disputed)
    except Review.DoesNotExist as exc:
        raise Http404("No such review.") from exc
    if disputed:
        messages.success(request, "Thanks: the verdict is marked as wrong. Reports like this help retrain the model.")
    else:
        messages.success(request, "Done: the verdict is no longer marked as wrong.")
    return redirect(safe_next(request) or reverse("reviews:detail", args=[review_id]))


@login_required
def history(request):
    # Each view reads the user's counts, chart and a page: cheap now (reviews.pagination, ReviewDay), and
    # bounded per user all the same, like every other page that reads more than one row.
    wait = throttling.over_rate(request, "history", throttling.by_user(request))
    if wait:
        return throttling.too_many_requests(request, wait)
    filters = HistoryFilterForm(request.GET)
    sentiment = search = None
    # An invalid filter (unknown verdict, NUL in the search) is shown as an error and ignored.
    if filters.is_valid():
        sentiment = filters.cleaned_data["sentiment"] or None
        search = filters.cleaned_data["q"] or None
    reviews = selectors.review_list(user=request.user, sentiment=sentiment, search=search)
    counts = selectors.review_counts(user=request.user)
    count = None if search else counts[sentiment or "total"]
    paginator = ReviewPaginator(reviews, HISTORY_PAGE_SIZE, count=count, count_limit=SEARCH_COUNT_LIMIT)
    page = paginator.get_page(request.GET.get("page"))
    context = {
        "filters": filters,
        "filtered": bool(sentiment or search),
        "page_obj": page,
        "counts": counts,
    }
    if context["counts"]["total"]:
        # Trends are about all the user's reviews, whatever the filters of the list below.
        context["chart"] = charts.timeline_chart(selectors.review_sentiment_timeline(user=request.user))
        context["top_words"] = selectors.review_top_words(user=request.user)
    return render(request, "reviews/history.html", context)
