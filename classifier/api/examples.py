"""Example values of the predict and models documentation: what the shipped default answers for these
texts (rounded), and its version. Retake them when the default changes (docs/api.md shows the same).
"""

MODEL_VERSION = "default-20261207-0f0750d5"  # ml/artifacts/default/config.json
TEXT = "A brilliant film, I loved every minute."

MIXED_TEXT = "The acting was superb. The plot was a mess and the ending dragged."
MIXED_SENTENCES = [
    {
        "text": "The acting was superb.",
        "start": 0,
        "end": 22,
        "sentiment": "positive",
        "score": 0.9518,
        "confidence": "high",
    },
    {
        "text": "The plot was a mess and the ending dragged.",
        "start": 23,
        "end": 66,
        "sentiment": "negative",
        "score": 0.0168,
        "confidence": "high",
    },
]

EXPLANATION = [
    {"word": "A", "weight": 0.0042},
    {"word": "brilliant", "weight": 2.4696},
    {"word": "film,", "weight": 0.0357},
    {"word": "I", "weight": 0.0064},
    {"word": "loved", "weight": 2.6036},
    {"word": "every", "weight": 0.0081},
    {"word": "minute.", "weight": 0.1037},
]
POSITIVE_VERDICT = {
    "sentiment": "positive",
    "score": 0.9859,
    "model_version": MODEL_VERSION,
    "model": "default",
    "confidence": "high",
    "warnings": [],
}

NEGATIVE_EXPLANATION = [
    {"word": "Dreadful", "weight": -6.456},
    {"word": "and", "weight": -0.0069},
    {"word": "boring.", "weight": -8.7182},
]
NEGATIVE_VERDICT = {
    "sentiment": "negative",
    "score": 3.1e-06,
    "model_version": MODEL_VERSION,
    "model": "default",
    "confidence": "high",
    "warnings": ["very_short"],
}
# The model knows none of the words: it still answers 200, and says it cannot tell.
UNKNOWN_WORDS_VERDICT = {
    "sentiment": "negative",
    "score": 0.452,
    "model_version": MODEL_VERSION,
    "model": "default",
    "confidence": "none",
    "warnings": ["no_known_words", "very_short"],
}
FOREIGN_VERDICT = {
    "sentiment": "positive",
    "score": 0.6393,
    "model_version": MODEL_VERSION,
    "model": "default",
    "confidence": "low",
    "warnings": ["not_english"],
}

MIXED_VERDICT = {
    "sentiment": "negative",
    "score": 0.1732,
    "model_version": MODEL_VERSION,
    "model": "default",
    "confidence": "medium",
    "warnings": [],
}
