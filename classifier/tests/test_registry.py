"""The classifier service: predictions, thread safety, and a missing or broken artifact."""

import threading

import pytest

from classifier import registry
from classifier.checks import check_model_artifact


def test_predict_returns_one_prediction_per_text(served_model):
    texts = ["A great and brilliant film.", "An awful, boring waste of a movie."]
    predictions = registry.predict(texts)
    assert [p.label for p in predictions] == ["positive", "negative"]
    assert all(0.0 <= p.score <= 1.0 for p in predictions)
    assert predictions[0].score > 0.5 > predictions[1].score
    assert {p.model_version for p in predictions} == {registry.get_service().model_version}
    assert predictions[0].model_version.startswith("tiny-")


def test_empty_batch_is_empty(served_model):
    assert registry.predict([]) == []


def test_service_is_loaded_once(served_model):
    assert registry.get_service() is registry.get_service()


def test_batch_equals_single_predictions(served_model):
    texts = ["great", "The plot was dull and the acting awful, a waste.", "loved it " * 50]
    batch = [p.score for p in registry.predict(texts)]
    single = [registry.predict([text])[0].score for text in texts]
    assert batch == pytest.approx(single, abs=1e-6)


def test_eight_threads_give_the_serial_results(served_model):
    texts = [f"the film was {'great' if i % 3 else 'awful'} and the plot {i}" for i in range(50)]
    serial = [registry.predict([text])[0] for text in texts]
    results: dict[int, list] = {}
    errors = []

    def worker(number):
        try:
            results[number] = [registry.predict([text])[0] for text in texts]
        except Exception as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert all(results[n] == serial for n in range(8))


def test_missing_artifact_raises_model_unavailable(missing_model):
    with pytest.raises(registry.ModelUnavailable, match="does not exist"):
        registry.predict(["anything"])


def test_truncated_model_file_raises_model_unavailable(tiny_artifact, tmp_path, settings):
    import shutil

    broken = tmp_path / "broken"
    shutil.copytree(tiny_artifact, broken)
    model_file = broken / "model.keras"
    model_file.write_bytes(model_file.read_bytes()[:1000])
    settings.SENTIMENT_MODEL_DIR = broken
    registry.reset()
    with pytest.raises(registry.ModelUnavailable, match="does not match its manifest"):
        registry.predict(["anything"])
    registry.reset()


def test_system_check_warns_about_a_missing_artifact(missing_model):
    messages = check_model_artifact()
    assert [m.id for m in messages] == ["classifier.W001"]


def test_system_check_is_quiet_for_a_good_artifact(served_model):
    assert check_model_artifact() == []


def test_explain_weighs_sentiment_words_by_direction(served_model):
    weights = dict(registry.explain("The acting was brilliant but the plot was dreadful."))
    assert weights["brilliant"] > 0
    assert weights["dreadful."] < 0
    assert abs(weights["the"]) < min(weights["brilliant"], -weights["dreadful."])


def test_model_names_are_the_catalogued_artifacts(tiny_artifact, settings, tmp_path, catalogue):
    import shutil

    catalogue("other")
    root = tmp_path / "artifacts"
    for name in ("default", "other", "stray"):
        shutil.copytree(tiny_artifact, root / name)
    (root / "not-an-artifact").mkdir()
    settings.SENTIMENT_MODEL_DIR = root / "default"
    registry.reset()
    try:
        # "stray" is a complete artifact, but not in the catalogue: it is never offered nor loaded.
        assert registry.available_models() == ["default", "other"]
        assert registry.predict(["great"], model="other")[0].label == "positive"
        for name in ("stray", "../default", "not-an-artifact"):
            with pytest.raises(registry.UnknownModel, match="choose one of: default, other"):
                registry.predict(["great"], model=name)
        # A catalogued model whose folder is not there is not offered either.
        shutil.rmtree(root / "other")
        assert registry.available_models() == ["default"]
    finally:
        registry.reset()
