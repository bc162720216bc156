"""The catalogue of shipped models (an allow-list), the bounded set of loaded models, explanation limits."""

import gc
import weakref

import pytest

from classifier import catalog, registry
from classifier.resources import lookup_table_handles
from ml.inference.artifact import ARTIFACTS_DIR, list_artifacts


def test_the_committed_catalogue_names_exactly_the_shipped_artifacts():
    names = [model.name for model in catalog.MODELS]
    assert len(set(names)) == len(names)
    for model in catalog.MODELS:
        assert model.folder and "/" not in model.folder and "\\" not in model.folder and model.folder not in {".", ".."}
        assert model.label
    assert sorted(model.folder for model in catalog.MODELS) == sorted(
        path.name for path in list_artifacts(ARTIFACTS_DIR)
    )
    assert {model.name for model in catalog.MODELS if model.slow_explanations} == {"accurate", "cnn", "rcnn", "rnn"}


@pytest.fixture
def four_models(shipped_models, settings):
    """ "default" and three catalogued siblings "a", "b", "c", all the tiny model."""
    settings.SENTIMENT_MODEL_CACHE_SIZE = 1
    return shipped_models("default", "a", "b", "c", slow=("c",))


def test_the_default_stays_loaded_and_one_other_model_at_most(four_models):
    for name in (None, "a", "b"):
        registry.predict(["great"], model=name)
    assert registry.loaded_models() == ["default", "b"]  # "a" dropped for "b"
    registry.predict(["great"])  # the default is now the most recently used
    registry.predict(["great"], model="c")
    assert registry.loaded_models() == ["default", "c"]
    registry.predict(["great"], model="a")
    assert registry.loaded_models() == ["default", "a"]


def test_cache_size_zero_keeps_only_the_default(four_models, settings):
    settings.SENTIMENT_MODEL_CACHE_SIZE = 0
    registry.predict(["great"])
    registry.predict(["great"], model="a")
    registry.predict(["great"], model="b")
    assert registry.loaded_models() == ["default"]  # each other model dropped as soon as it has answered
    settings.SENTIMENT_MODEL_CACHE_SIZE = 2
    registry.predict(["great"], model="a")
    registry.predict(["great"], model="b")
    assert registry.loaded_models() == ["default", "a", "b"]


def test_a_dropped_model_frees_its_vocabulary_but_not_while_a_request_uses_it(four_models):
    import tensorflow as tf

    in_use = registry.get_service("a")  # a request that is still running holds it
    handles = lookup_table_handles(in_use.predictor.model)
    assert handles
    registry.predict(["great"], model="b")
    assert registry.loaded_models() == ["b"]
    assert in_use.predict(["great"])[0].label == "positive"  # still whole for the request that has it
    model = weakref.ref(in_use.predictor.model)
    del in_use
    gc.collect()
    assert model() is None
    tf.raw_ops.LookupTableSizeV2(table_handle=handles[0])  # queued, not destroyed inside the collection
    registry.release_dropped_tables()
    for handle in handles:
        with pytest.raises(tf.errors.NotFoundError):
            tf.raw_ops.LookupTableSizeV2(table_handle=handle)
    assert registry.predict(["great"], model="a")[0].label == "positive"  # loads again


def test_slow_models_explain_short_texts_only(four_models, settings):
    settings.SENTIMENT_SLOW_EXPLAIN_MAX_CHARS = 30
    assert registry.explanation_limit("c") == 30
    assert registry.explanation_limit("a") is None and registry.explanation_limit() is None
    with pytest.raises(registry.ExplanationTooLong, match="The c model explains reviews of at most 30 characters"):
        registry.explain("x" * 31, model="c")
    assert "c" not in registry.loaded_models()  # refused before the model was loaded
    assert [word for word, _ in registry.explain("x" * 30, model="c")] == ["x" * 30]
    assert len(registry.explain("great film " * 100, model="a")) == 200
