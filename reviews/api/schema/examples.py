"""Example values and the `model` query parameter that predict, reviews and jobs share.

The verdicts and word weights are what the shipped default (an n-gram model, classifier/catalog.py)
answers for these texts, rounded; retake them when the default changes.
"""

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
