"""Loading a model never holds up a request for another one: the default is served while others load, and a
second load in the same process is refused at once (ModelLoading, a 503 with Retry-After), not waited for."""

import shutil
import threading
import time
from unittest import mock

import pytest

from classifier import registry
from classifier.classify import classify


@pytest.fixture
def three_models(tiny_artifact, tmp_path, settings, catalogue):
    catalogue("a", "b")
    root = tmp_path / "artifacts"
    for name in ("default", "a", "b"):
        shutil.copytree(tiny_artifact, root / name)
    settings.SENTIMENT_MODEL_DIR = root / "default"
    settings.SENTIMENT_MODEL_CACHE_SIZE = 0
    registry.reset()
    registry.predict(["warm up the default"])
    yield root
    registry.reset()


@pytest.fixture
def slow_load_of_a():
    """Loading "a" blocks until `release` is set; every load is counted by folder name."""
    started, release, loads = threading.Event(), threading.Event(), []
    real = registry.load_service

    def load(model_dir):
        loads.append(model_dir.name)
        if model_dir.name == "a":
            started.set()
            assert release.wait(30)
        return real(model_dir)

    with mock.patch.object(registry, "load_service", side_effect=load):
        yield started, release, loads


def test_while_one_model_loads_the_default_answers_and_others_are_refused_at_once(three_models, slow_load_of_a):
    started, release, _ = slow_load_of_a
    loading = threading.Thread(target=registry.predict, args=(["great"],), kwargs={"model": "a"})
    loading.start()
    try:
        assert started.wait(30)
        began = time.perf_counter()
        assert registry.predict(["great"])[0].label == "positive"  # the default: no lock on the way
        for name in ("a", "b"):
            with pytest.raises(registry.ModelLoading) as refused:
                registry.predict(["great"], model=name)
            assert refused.value.retry_after == registry.LOADING_RETRY_AFTER_SECONDS
        assert time.perf_counter() - began < 1.0  # nobody waited for "a"
    finally:
        release.set()
        loading.join()
    assert registry.predict(["great"], model="b")[0].label == "positive"  # the slot is free again


def test_a_job_worker_waits_for_the_slot(three_models, slow_load_of_a):
    started, release, loads = slow_load_of_a
    loading = threading.Thread(target=registry.predict, args=(["great"],), kwargs={"model": "a"})
    loading.start()
    assert started.wait(30)
    threading.Timer(0.3, release.set).start()
    assert registry.predict(["great"], model="b", wait=True)[0].label == "positive"
    loading.join()
    assert loads == ["a", "b"]


def test_one_request_loads_its_model_once(three_models, slow_load_of_a):
    _, release, loads = slow_load_of_a
    release.set()
    classify(["great film. awful plot.", "loved it"], model="b", explain=True, sentences=True)
    assert loads == ["b"]  # not again for the sentences and each explanation (cache size 0 drops it after)
