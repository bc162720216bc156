"""Each architecture builds, trains a step and round-trips save -> load with identical outputs."""

import numpy as np
import pytest

from ml.inference.artifact import read_manifest, save_artifact
from ml.inference.predictor import load_predictor
from ml.models import NEURAL_MODELS
from ml.testing import TINY_CONFIG, synthetic_split
from ml.text.preprocessing import build_vectorizer

pytestmark = pytest.mark.slow  # every test trains a network

TEXTS = ["A great, brilliant film.", "Awful and boring.", "the plot", "loved it " * 40, ""]


@pytest.fixture(scope="module")
def train_split():
    return synthetic_split(200, seed=3)


@pytest.mark.parametrize("arch", sorted(NEURAL_MODELS))
def test_builds_trains_and_round_trips(arch, train_split, tmp_path):
    import keras

    config = TINY_CONFIG.replace(arch=arch, name=arch)
    vectorizer = build_vectorizer(train_split.texts, max_tokens=config.max_tokens)
    model = NEURAL_MODELS[arch](config, vectorizer)
    model.compile(optimizer="adam", loss="binary_crossentropy")
    before = model.get_layer("positive").get_weights()[0].copy()
    model.fit(
        np.asarray(train_split.texts, dtype=object),
        train_split.labels.astype("float32"),
        batch_size=32,
        epochs=1,
        verbose=0,
    )
    assert not np.allclose(before, model.get_layer("positive").get_weights()[0]), "a training step changes the weights"

    expected = keras.ops.convert_to_numpy(model(np.asarray(TEXTS, dtype=object), training=False)).reshape(-1)
    assert np.all((expected >= 0) & (expected <= 1))
    directory = save_artifact(tmp_path / arch, model, config.to_dict())
    assert read_manifest(directory)["vocabulary_size"] == vectorizer.vocabulary_size()
    loaded = load_predictor(directory).predict_proba(TEXTS)
    np.testing.assert_allclose(loaded, expected, rtol=0, atol=1e-6)


@pytest.mark.parametrize("arch", sorted(NEURAL_MODELS))
def test_padding_in_a_batch_does_not_change_a_result(arch, train_split):
    config = TINY_CONFIG.replace(arch=arch)
    model = NEURAL_MODELS[arch](config, build_vectorizer(train_split.texts, max_tokens=config.max_tokens))
    batch = model(np.asarray(TEXTS, dtype=object), training=False).numpy().reshape(-1)
    single = [model(np.asarray([text], dtype=object), training=False).numpy().item() for text in TEXTS]
    np.testing.assert_allclose(batch, single, atol=1e-5)


def test_rcnn_has_no_convolution_and_pools_over_time():
    import keras

    config = TINY_CONFIG.replace(arch="rcnn")
    model = NEURAL_MODELS["rcnn"](config, build_vectorizer(["a b c"], max_tokens=10))
    kinds = {type(layer).__name__ for layer in model.layers}
    assert not any("Conv" in kind for kind in kinds)
    assert {"Bidirectional", "ShiftedContext", "MaskedGlobalMaxPool"} <= kinds
    assert model.get_layer("latent_semantic").activation is keras.activations.tanh


def test_scope_marks_mark_what_a_negation_governs_and_what_follows_but():
    import tensorflow as tf

    from ml.models.layers import ScopeMarks

    vectorizer = build_vectorizer(["it was not bad at all but the end was dull never"], max_tokens=50)
    index = {word: i for i, word in enumerate(vectorizer.get_vocabulary())}
    marks = ScopeMarks([index["not"], index["never"]], [index["but"]], scope=3)
    ids = vectorizer(tf.constant(["It wasn't bad at all, but the end was dull.", "never", ""]))
    negated, after_but = np.moveaxis(marks(ids).numpy(), -1, 0)
    # it was not bad at all but the end was dull: "didn't"-style n't is folded into "not" first
    np.testing.assert_array_equal(negated[0][:11], [0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0])
    np.testing.assert_array_equal(after_but[0][:11], [0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1])
    assert negated[1:].sum() == 0 and after_but[1:].sum() == 0  # a lone negation governs nothing; padding never


def test_the_sentence_network_explains_each_word_in_log_odds(train_split, tmp_path):
    from ml.explanation.explain import explainer_for

    config = TINY_CONFIG.replace(arch="reader", name="reader")
    model = NEURAL_MODELS["reader"](config, build_vectorizer(train_split.texts, max_tokens=config.max_tokens))
    predictor = load_predictor(save_artifact(tmp_path / "reader", model, config.to_dict()))
    attribution = explainer_for(predictor.model, predictor.manifest, predictor.predict_logits)("not great but fine")
    assert attribution.words == ["not", "great", "but", "fine"]
    # Integrated Gradients are complete: the weights and the baseline's log-odds add up to the text's.
    total = attribution.weights.sum() + attribution.bias
    assert total == pytest.approx(float(predictor.predict_logits(["not great but fine"])[0]), abs=0.05)
