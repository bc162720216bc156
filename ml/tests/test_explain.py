"""Occlusion explanations: direction, order, bounded cost on long texts."""

import numpy as np

from ml.explain import MAX_VARIANTS, occlusion


def keyword_model(texts):
    """A transparent stand-in: log-odds +2 per "good", -3 per "bad"."""
    logits = np.array([2.0 * t.lower().split().count("good") - 3.0 * t.lower().split().count("bad") for t in texts])
    return 1 / (1 + np.exp(-logits))


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
