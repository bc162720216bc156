"""Occlusion explanations: direction, order, bounded cost on long texts."""

import numpy as np

from ml.explain import MAX_VARIANTS, occlusion


def keyword_model(texts):
    """A transparent stand-in: log-odds +2 per "good", -3 per "bad"."""
    return np.array([2.0 * t.lower().split().count("good") - 3.0 * t.lower().split().count("bad") for t in texts])


def test_weights_follow_the_words_in_text_order():
    result = occlusion(keyword_model, "A good film, a bad  ending !")
    assert [word for word, _ in result] == ["A", "good", "film,", "a", "bad", "ending", "!"]
    weights = dict(result)
    assert np.isclose(weights["good"], 2.0) and np.isclose(weights["bad"], -3.0)
    assert weights["film,"] == 0 and weights["!"] == 0


def test_long_texts_are_occluded_in_runs_with_bounded_cost():
    calls = []

    def counting_model(texts):
        calls.append(len(texts))
        return keyword_model(texts)

    text = " ".join(["plain"] * 999 + ["good"])
    result = occlusion(counting_model, text)
    assert sum(calls) == 1 + 250  # the full text, then 250 runs of 4 words (1000 words > 256 variants)
    assert sum(calls) <= MAX_VARIANTS + 1
    assert len(result) == 1000 and result[-1][1] > 0 and result[0][1] == 0


def test_empty_text():
    assert occlusion(keyword_model, "   ") == []


def test_a_saturated_model_still_explains(tmp_path):
    """Probabilities are exactly 1.0 with or without "bad" here; the log-odds still tell the words apart."""
    import keras

    from ml.artifacts import Predictor

    vectorizer = keras.layers.TextVectorization(output_mode="multi_hot", vocabulary=["good", "bad"])
    texts = keras.Input(shape=(), dtype="string")
    head = keras.layers.Dense(1, activation="sigmoid", name="positive")
    model = keras.Model(texts, head(vectorizer(texts)))
    head.set_weights([np.array([[0.0], [40.0], [-10.0]], dtype="float32"), np.zeros(1, dtype="float32")])
    predictor = Predictor(model, {"name": "toy", "model_version": "toy-1"}, tmp_path)
    assert predictor.predict_proba(["good bad film", "good film"]).tolist() == [1.0, 1.0]
    weights = dict(predictor.explain("good bad film"))
    assert np.isclose(weights["good"], 40.0, atol=1e-3) and np.isclose(weights["bad"], -10.0, atol=1e-3)
    assert weights["film"] == 0
