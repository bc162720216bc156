"""Example values of the predict and models documentation: what the shipped default answers for these
texts (rounded), and its version. Retake them when the default changes (docs/api.md shows the same).
"""

MODEL_VERSION = "default-20261130-80a39bf6"  # ml/artifacts/default/config.json
TEXT = "A brilliant film, I loved every minute."

MIXED_TEXT = "The acting was superb. The plot was a mess and the ending dragged."
MIXED_SENTENCES = [
    {
        "text": "The acting was superb.",
        "start": 0,
        "end": 22,
        "sentiment": "positive",
        "score": 0.9278,
        "confidence": "high",
    },
    {
        "text": "The plot was a mess and the ending dragged.",
        "start": 23,
        "end": 66,
        "sentiment": "negative",
        "score": 0.0339,
        "confidence": "high",
    },
]

EXPLANATION = [
    {"word": "A", "weight": -0.0286},
    {"word": "brilliant", "weight": 2.4722},
    {"word": "film,", "weight": -0.0557},
    {"word": "I", "weight": -0.0152},
    {"word": "loved", "weight": 2.6573},
    {"word": "every", "weight": 0.0026},
    {"word": "minute.", "weight": -0.0221},
]
POSITIVE_VERDICT = {
    "sentiment": "positive",
    "score": 0.9834,
    "model_version": MODEL_VERSION,
    "model": "default",
    "confidence": "high",
    "warnings": [],
}

NEGATIVE_EXPLANATION = [
    {"word": "Dreadful", "weight": -6.2998},
    {"word": "and", "weight": 0.0046},
    {"word": "boring.", "weight": -6.8501},
]
NEGATIVE_VERDICT = {
    "sentiment": "negative",
    "score": 2.8e-05,
    "model_version": MODEL_VERSION,
    "model": "default",
    "confidence": "high",
    "warnings": ["very_short"],
}
# The model knows none of the words: it still answers 200, and says it cannot tell.
UNKNOWN_WORDS_VERDICT = {
    "sentiment": "negative",
    "score": 0.4923,
    "model_version": MODEL_VERSION,
    "model": "default",
    "confidence": "none",
    "warnings": ["no_known_words", "very_short"],
}
FOREIGN_VERDICT = {
    "sentiment": "positive",
    "score": 0.7161,
    "model_version": MODEL_VERSION,
    "model": "default",
    "confidence": "medium",
    "warnings": ["not_english"],
}

MIXED_VERDICT = {
    "sentiment": "negative",
    "score": 0.2212,
    "model_version": MODEL_VERSION,
    "model": "default",
    "confidence": "medium",
    "warnings": [],
}
