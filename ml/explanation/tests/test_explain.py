"""Explanations: the exact split of the n-gram models, Integrated Gradients for networks, occlusion."""

import numpy as np
import pytest

from ml.config import TrainConfig
from ml.explanation.words import MAX_VARIANTS, occlusion
from ml.inference.artifact import ARTIFACTS_DIR
from ml.inference.predictor import Predictor, load_predictor
from ml.testing import synthetic_split


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


# --- The exact split of the n-gram models, and the measured methods of the networks ---

TRICKY_TEXTS = [
    "The acting was brilliant but the plot was dreadful.",
    "A warm, funny and beautifully acted film. I loved every minute.",
    "<br /><br />The end. I didn't like it, well-made though!! &amp; great great great GREAT film",
    "zzyzx qwerty unseen words only",
    "",
    "   ",
]


@pytest.fixture(scope="module", params=["binary", "tfidf"])
def tiny_ngram_predictor(request, tmp_path_factory):
    """A real n-gram model (both weightings, the star-rating head on tf-idf) trained on synthetic reviews."""
    from ml.models.nbsvm import train_nbsvm

    config = TrainConfig(
        arch="nbsvm",
        ngram_min_count=1,
        ngram_C=(1.0,),
        ngram_weighting=request.param,
        rating_head=request.param == "tfidf",
    )
    model = train_nbsvm(config, synthetic_split(300, seed=1), synthetic_split(100, seed=2)).model
    return Predictor(model, {"name": "tiny_ngram", "model_version": "tiny-1"}, tmp_path_factory.mktemp("ngram"))


def assert_additive(predictor, texts):
    logits = predictor.predict_logits(texts)
    for text, logit in zip(texts, logits, strict=True):
        attribution = predictor.attribute(text)
        assert [word for word, _ in attribution.pairs()] == text.split()
        assert attribution.weights.sum() + attribution.bias == pytest.approx(logit, abs=1e-5)


def test_the_exact_split_adds_up_to_the_tiny_models_log_odds(tiny_ngram_predictor):
    assert_additive(tiny_ngram_predictor, TRICKY_TEXTS + synthetic_split(20, seed=5).texts)


def test_the_exact_split_needs_no_model_call(tiny_ngram_predictor, monkeypatch):
    tiny_ngram_predictor.attribute("warm up")
    monkeypatch.setattr(tiny_ngram_predictor, "predict_logits", lambda texts: pytest.fail("the model was called"))
    weights = dict(tiny_ngram_predictor.explain("a great film , an awful ending"))
    assert weights["great"] > 0 > weights["awful"]


@pytest.mark.shipped_model
def test_the_exact_split_adds_up_to_the_shipped_defaults_log_odds():
    from ml.testing import POSITIVE_WORDS

    predictor = load_predictor(ARTIFACTS_DIR / "default")
    long_review = " ".join((TRICKY_TEXTS[0] + " " + TRICKY_TEXTS[1] + " " + " ".join(POSITIVE_WORDS)).split() * 8)
    assert_additive(predictor, [*TRICKY_TEXTS, long_review])


@pytest.mark.shipped_model
def test_the_default_weighs_the_words_a_reader_would():
    predictor = load_predictor(ARTIFACTS_DIR / "default")
    mixed = {
        word: abs(weight) for word, weight in predictor.explain("The acting was brilliant but the plot was dreadful.")
    }
    assert min(mixed["brilliant"], mixed["dreadful."]) > max(mixed["was"], mixed["the"], mixed["The"])
    loved = {word: abs(weight) for word, weight in predictor.explain(TRICKY_TEXTS[1])}
    assert loved["loved"] > max(loved["every"], loved["minute."])


def test_tokens_belong_to_the_word_they_came_from():
    from ml.explanation.attributions import word_tokens
    from ml.text.preprocessing import build_vectorizer

    vectorizer = build_vectorizer(None, max_tokens=10, vocabulary=["the"])
    text = "<br /><br />The end. I didn't like it, well-made"
    tokens, owners = word_tokens(vectorizer, text, text.split())
    assert tokens == ["the", "end", "i", "did", "not", "like", "it", "well", "made"]
    assert [text.split()[i] for i in owners] == [
        "/>The",
        "end.",
        "I",
        "didn't",
        "didn't",
        "like",
        "it,",
        "well-made",
        "well-made",
    ]


def test_integrated_gradients_on_a_tiny_network(tiny_artifact):
    predictor = load_predictor(tiny_artifact)
    weights = dict(predictor.explain("the plot was great and the acting was awful"))
    assert weights["great"] > 0 > weights["awful"]
    assert set(weights) == set("the plot was great and the acting was awful".split())
    attribution = predictor.attribute("movie")
    assert attribution.weights.sum() + attribution.bias == pytest.approx(
        predictor.predict_logits(["movie"])[0], abs=1e-4
    )


@pytest.mark.parametrize("share", ["equal", "unigram"])
def test_either_way_of_sharing_an_ngram_adds_up(tiny_ngram_predictor, share):
    from ml.explanation.explain import explainer_for

    explain = explainer_for(tiny_ngram_predictor.model, tiny_ngram_predictor.manifest, share=share)
    texts = TRICKY_TEXTS + synthetic_split(10, seed=6).texts
    for text, logit in zip(texts, tiny_ngram_predictor.predict_logits(texts), strict=True):
        attribution = explain(text)
        assert attribution.weights.sum() + attribution.bias == pytest.approx(logit, abs=1e-5)
