"""Example values and the `model` query parameter that predict, reviews and jobs share.

The verdicts and word weights are what the shipped default (an n-gram model, classifier/catalog.py)
answers for these texts, rounded; retake them when the default changes.
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter

MODEL_VERSION = "default-20261129-b3dba875"  # ml/artifacts/default/config.json
TEXT = "A brilliant film, I loved every minute."

MODEL = OpenApiParameter(
    "model",
    {"type": "string", "maxLength": 100},
    location=OpenApiParameter.QUERY,
    description=(
        "Which shipped model answers, by name (`GET /api/v1/models` lists them); the default model when absent. "
        "An unknown name is a 400 whose `choices` lists the valid ones."
    ),
    examples=[OpenApiExample("The RNN", value="rnn"), OpenApiExample("The CNN", value="cnn")],
)

SENTENCES = OpenApiParameter(
    "sentences",
    OpenApiTypes.BOOL,
    location=OpenApiParameter.QUERY,
    description=(
        "`true` adds `sentences`, each sentence's verdict (`text`, `start` and `end` offsets in Unicode code "
        "points, so that text[start:end] is the sentence, `sentiment`, `score`, `confidence`), and `mixed`: "
        "true when one sentence is confidently positive and another confidently negative (docs/models.md). All "
        "the sentences go through the model in one call. The slow models do this for texts of at most 1,000 "
        "characters by default, as for `explain`."
    ),
    examples=[OpenApiExample("Sentence by sentence", value=True)],
)
MIXED_TEXT = "The acting was superb. The plot was a mess and the ending dragged."
MIXED_SENTENCES = [
    {
        "text": "The acting was superb.",
        "start": 0,
        "end": 22,
        "sentiment": "positive",
        "score": 0.9894,
        "confidence": "high",
    },
    {
        "text": "The plot was a mess and the ending dragged.",
        "start": 23,
        "end": 66,
        "sentiment": "negative",
        "score": 0.0143,
        "confidence": "high",
    },
]

EXPLANATION = [
    {"word": "A", "weight": -0.0152},
    {"word": "brilliant", "weight": 2.6394},
    {"word": "film,", "weight": -0.0259},
    {"word": "I", "weight": -0.0113},
    {"word": "loved", "weight": 2.1414},
    {"word": "every", "weight": -0.005},
    {"word": "minute.", "weight": -0.2039},
]
POSITIVE_VERDICT = {
    "sentiment": "positive",
    "score": 0.993,
    "model_version": MODEL_VERSION,
    "model": "default",
    "confidence": "high",
    "warnings": [],
}
