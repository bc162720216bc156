"""One classify service for the page, the API and review creation: verdicts, their explanations, and
the verdict of each sentence.

    classify(texts, model=None, explain=False, sentences=False, strict=True) -> list[Classification]

The whole texts go through the model in one call, and all their sentences in one more (whatever their
number). Explanations and sentence breakdowns cost more than verdicts, so both stop at the model's
explanation limit (registry.explanation_limit): `strict` raises ExplanationTooLong before any work (the
API answers 400); otherwise that text gets neither, and `Classification.unexplained` says why (the pages
and review creation keep the verdict).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from ml.inference.verdict import DEFAULT_THRESHOLD, is_mixed
from ml.text.sentences import sentence_spans

from . import budget, registry, verdicts


@dataclass(frozen=True)
class SentenceVerdict:
    text: str  # == the original text[start:end]
    start: int  # offsets in Unicode code points (Python string indices)
    end: int
    sentiment: str
    score: float
    confidence: str


@dataclass(frozen=True)
class Classification:
    text: str
    prediction: registry.Prediction
    explanation: list[tuple[str, float]] | None = None
    sentences: list[SentenceVerdict] | None = None
    mixed: bool | None = None
    unexplained: registry.ExplanationTooLong | None = None  # why explanation/sentences are missing


class TooManySentences(ValueError):
    """More sentence verdicts than one request gets (SENTIMENT_MAX_SENTENCES)."""

    def __init__(self, count: int, limit: int):
        self.count, self.limit = count, limit
        super().__init__(
            f"These texts have {count:,} sentences; one request scores at most {limit:,}. "
            "Ask without sentences=true, or send fewer texts."
        )


def classify(
    texts: list[str],
    *,
    model: str | None = None,
    explain: bool = False,
    sentences: bool = False,
    strict: bool = True,
    client: str | None = None,
) -> list[Classification]:
    """Verdicts of `texts` (one model call), with explanations and sentences where asked and allowed; the
    estimated CPU is drawn from `client`'s budget (classifier.budget) before any model work.

    Raises ModelUnavailable, UnknownModel, budget.TooCostly, budget.OverBudget, or (strict)
    ExplanationTooLong and TooManySentences; not strict, a text beyond those limits gets only its verdict."""
    texts = list(texts)
    too_long = {}
    if explain or sentences:
        for index, text in enumerate(texts):
            try:
                registry.check_explainable(text, model=model)
            except registry.ExplanationTooLong as exc:
                if strict:
                    raise
                too_long[index] = exc
    deep = [text for index, text in enumerate(texts) if index not in too_long]
    spans = [sentence_spans(text) for text in deep] if sentences else []
    count = sum(len(text_spans) for text_spans in spans if len(text_spans) > 1)
    if count > settings.SENTIMENT_MAX_SENTENCES:
        if strict:
            raise TooManySentences(count, settings.SENTIMENT_MAX_SENTENCES)
        sentences = False
    cost = budget.estimate(texts, model=model) + budget.estimate(
        deep, model=model, explain=explain, sentences=sentences
    )
    budget.check_request(cost)
    if client is not None:
        budget.charge(client, cost)
    # One service for the whole request: asked for again, a model that is not kept would be loaded again.
    service = registry.get_service(model)
    predictions = service.predict(texts)
    breakdowns = {}
    if sentences:
        wanted = [index for index in range(len(texts)) if index not in too_long]  # the `deep` texts, in order
        found = _sentences(service, deep, spans, [predictions[i] for i in wanted])
        breakdowns = dict(zip(wanted, found, strict=True))
    threshold = float(service.predictor.manifest.get("mixed_threshold", DEFAULT_THRESHOLD))
    results = []
    for index, (text, prediction) in enumerate(zip(texts, predictions, strict=True)):
        breakdown = breakdowns.get(index)
        results.append(
            Classification(
                text=text,
                prediction=prediction,
                explanation=service.explain(text) if explain and index not in too_long else None,
                sentences=breakdown,
                mixed=None if breakdown is None else is_mixed([s.score for s in breakdown], threshold),
                unexplained=too_long.get(index),
            )
        )
    return results


def _sentences(
    service, texts: list[str], spans: list[list[tuple[int, int]]], predictions
) -> list[list[SentenceVerdict]]:
    """Each text's sentence verdicts from its `spans` (cut once, when the request's sentences were counted);
    every sentence of every text in one model call. A one-sentence text is its own verdict."""
    to_score = [
        text[s:e] for text, text_spans in zip(texts, spans, strict=True) if len(text_spans) > 1 for s, e in text_spans
    ]
    # The sentence verdicts skip the language check: the whole text had it, and at thousands of
    # sentences it would cost more than the model.
    predictor = service.predictor
    scores = predictor.predict_proba(to_score) if to_score else []
    flags = verdicts.reader_for(predictor)(to_score) if to_score else None
    bands = verdicts.bands_of(predictor.manifest)
    scored = iter(
        (
            float(score),
            verdicts.Confidence.NONE if flags is not None and flags[0][i] else verdicts.confidence_band(score, bands),
        )
        for i, score in enumerate(scores)
    )
    out = []
    for text, text_spans, whole in zip(texts, spans, predictions, strict=True):
        out.append(
            [
                _sentence(text, start, end, *(next(scored) if len(text_spans) > 1 else (whole.score, whole.confidence)))
                for start, end in text_spans
            ]
        )
    return out


def _sentence(text: str, start: int, end: int, score: float, confidence: str) -> SentenceVerdict:
    return SentenceVerdict(
        text=text[start:end],
        start=start,
        end=end,
        sentiment=registry.POSITIVE if score >= 0.5 else registry.NEGATIVE,
        score=score,
        confidence=str(confidence),
    )
