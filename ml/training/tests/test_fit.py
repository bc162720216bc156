"""The training command end to end on tiny data: neural, n-gram, ensemble, extra data, config overrides."""

import dataclasses
import json

import numpy as np
import pytest

from ml.config import COMMON_FIELDS, FIELDS_OF, TrainConfig
from ml.data import ImdbDataset, grouped_validation_split
from ml.inference.artifact import ArtifactError, read_json, serving_bytes
from ml.testing import TINY_CONFIG, synthetic_split, write_tiny_archive
from ml.training import fit as train


@pytest.fixture
def dataset(tmp_path):
    return ImdbDataset(
        train=synthetic_split(300, seed=1),
        test=synthetic_split(40, seed=2),
        unsup=synthetic_split(60, seed=4).texts,
        source=tmp_path,
        sha256="abc",
    )


@pytest.mark.slow  # trains a model: make test runs it, make check does not
def test_neural_artifact_describes_itself(dataset, tmp_path):
    directory = train.run(TINY_CONFIG.replace(epochs=2), artifacts_dir=tmp_path / "a", dataset=dataset)
    config, metrics = read_json(directory / "config.json"), read_json(directory / "metrics.json")
    assert config["arch"] == "cnn" and config["max_length"] == TINY_CONFIG.max_length
    assert config["model_version"].startswith("tiny-") and len(config["model_sha256"]) == 64
    assert metrics["val_accuracy"] > 0.8
    # Validation is whole films (grouped_validation_split), recorded with the artifact.
    held_out, _ = grouped_validation_split(dataset.train, validation_fraction=0.1, seed=TINY_CONFIG.seed)
    assert metrics["dataset_sha256"] == "abc" and metrics["train_reviews"] == len(held_out) != 270
    assert config["validation_split"] == "film"


@pytest.mark.slow  # trains a model: make test runs it, make check does not
def test_a_random_validation_split_is_still_possible_and_recorded(dataset, tmp_path):
    config = TrainConfig(arch="nbsvm", ngram_C=(1.0,), validation_split="random")
    directory = train.run(config, artifacts_dir=tmp_path / "a", dataset=dataset)
    assert read_json(directory / "config.json")["validation_split"] == "random"
    assert read_json(directory / "metrics.json")["train_reviews"] == 270
    with pytest.raises(ValueError, match="validation_split"):
        train.run(config.replace(validation_split="films"), artifacts_dir=tmp_path / "b", dataset=dataset)


@pytest.mark.slow  # trains a model: make test runs it, make check does not
def test_nbsvm_and_ensemble(dataset, tmp_path):
    artifacts = tmp_path / "a"
    nbsvm = TrainConfig(arch="nbsvm", ngram_max=2, ngram_min_count=1, ngram_C=(0.5,))
    assert read_json(train.run(nbsvm, artifacts_dir=artifacts, dataset=dataset) / "metrics.json")["val_accuracy"] > 0.8
    train.run(TINY_CONFIG.replace(name="cnn", epochs=2), artifacts_dir=artifacts, dataset=dataset)
    ensemble = TrainConfig(arch="ensemble", name="default", members=("nbsvm", "cnn"))
    directory = train.run(ensemble, artifacts_dir=artifacts, dataset=dataset)
    history = read_json(directory / "metrics.json")["history"]
    assert set(history["member_weights"]) == {"nbsvm", "cnn"}
    assert set(history["subset_cv_accuracy"]) == {"nbsvm", "cnn", "nbsvm+cnn"}
    assert all(0.5 < accuracy <= 1 for accuracy in history["subset_cv_accuracy"].values())
    from ml.inference.predictor import load_predictor

    predictor = load_predictor(directory)
    texts = ["brilliant wonderful film", "dreadful boring waste"]
    scores = predictor.predict_proba(texts)
    assert scores[0] > 0.5 > scores[1]
    # The ensemble's log-odds path (explanations) is the served probability before its sigmoid.
    np.testing.assert_allclose(1 / (1 + np.exp(-predictor.predict_logits(texts))), scores, rtol=1e-4, atol=1e-6)
    # The artifact holds only the stacking head and names its members; a changed member refuses to load.
    manifest = read_json(directory / "config.json")
    assert [member["name"] for member in manifest["member_artifacts"]] == ["nbsvm", "cnn"]
    assert "kernel_sizes" not in manifest and "ngram_weighting" not in manifest  # settings it has no use for
    assert (directory / "model.keras").stat().st_size < 50_000
    sizes = [(artifacts / name / "model.keras").stat().st_size for name in ("default", "nbsvm", "cnn")]
    assert serving_bytes(directory) == sum(sizes)
    train.run(TINY_CONFIG.replace(name="cnn", epochs=1, seed=7), artifacts_dir=artifacts, dataset=dataset)
    with pytest.raises(ArtifactError, match="was fit with cnn-.*refit the ensemble"):
        load_predictor(directory)


@pytest.mark.slow  # trains a model: make test runs it, make check does not
def test_tfidf_nbsvm_with_rating_head_serves_its_training_arithmetic(dataset, tmp_path):
    """The sublinear tf-idf layer in the saved model computes what training fit on, and the rating
    regression is folded into the same single linear layer."""
    import scipy.sparse
    from sklearn.feature_extraction.text import TfidfTransformer

    from ml.inference.predictor import load_predictor

    config = TrainConfig(
        arch="nbsvm",
        name="tfidf",
        ngram_max=2,
        ngram_min_count=1,
        ngram_C=(1.0,),
        ngram_weighting="tfidf",
        rating_head=True,
    )
    directory = train.run(config, artifacts_dir=tmp_path / "a", dataset=dataset)
    metrics = read_json(directory / "metrics.json")
    assert metrics["val_accuracy"] > 0.8
    assert metrics["history"]["rating_head"]["val_accuracy_rating_alone"] > 0.8
    predictor = load_predictor(directory)
    texts = ["Brilliant brilliant wonderful film!", "dreadful, boring <br /> waste", "zzz unseen words only"]
    vectorizer = predictor.model.get_layer("vectorizer")
    counts = vectorizer(np.asarray(texts, dtype=object))
    counts = scipy.sparse.csr_matrix(
        (counts.values.numpy(), counts.indices.numpy().T), shape=counts.dense_shape.numpy()
    )
    idf = predictor.model.get_layer("tfidf").get_weights()[0]
    assert idf[0] == 0.0 and (idf[1:] >= 1.0).all()
    kernel, bias = predictor.model.get_layer("positive").get_weights()
    reference = TfidfTransformer(sublinear_tf=True).fit(counts)  # scikit-learn's arithmetic, with the layer's idf
    reference.idf_ = idf
    expected = 1 / (1 + np.exp(-(reference.transform(counts) @ kernel.ravel() + bias[0])))
    np.testing.assert_allclose(predictor.predict_proba(texts), expected, rtol=1e-5, atol=1e-6)
    scores = predictor.predict_proba(texts)
    assert scores[0] > 0.5 > scores[1]
    # A text with nothing in the vocabulary has no length to normalise: it gets the bias, not NaN.
    assert np.isfinite(scores[2])
    with pytest.raises(ValueError, match="binary or tfidf"):
        train.run(config.replace(ngram_weighting="bm25"), artifacts_dir=tmp_path / "b", dataset=dataset)


@pytest.mark.slow  # trains a model: make test runs it, make check does not
def test_teacher_labels_the_unlabelled_reviews(dataset, tmp_path):
    artifacts = tmp_path / "a"
    train.run(TINY_CONFIG.replace(name="teacher", epochs=2), artifacts_dir=artifacts, dataset=dataset)
    directory = train.run(
        TINY_CONFIG.replace(name="student", epochs=1, teacher="teacher"), artifacts_dir=artifacts, dataset=dataset
    )
    metrics = read_json(directory / "metrics.json")
    assert metrics["train_reviews"] == 268  # the labelled split (whole films); the 60 unlabelled are extra examples


@pytest.mark.slow  # trains a model: make test runs it, make check does not
def test_nbsvm_learns_from_teacher_labelled_reviews(dataset, tmp_path):
    artifacts = tmp_path / "a"
    train.run(TINY_CONFIG.replace(name="teacher", epochs=2), artifacts_dir=artifacts, dataset=dataset)
    config = TrainConfig(
        arch="nbsvm", name="nbsvm_student", ngram_max=2, ngram_min_count=1, ngram_C=(0.5,), teacher="teacher"
    )
    metrics = read_json(train.run(config, artifacts_dir=artifacts, dataset=dataset) / "metrics.json")
    assert metrics["val_accuracy"] > 0.8


@pytest.mark.slow  # trains a model: make test runs it, make check does not
def test_extra_data_csv_is_added_to_training_only(dataset, tmp_path):
    csv_file = tmp_path / "feedback.csv"
    csv_file.write_text('id,text,label\n1,"Dull, dreadful, a waste",negative\n2,"Superb!",positive\n3,"",positive\n')
    extra = train.read_extra_data(csv_file)
    assert extra.texts == ["Dull, dreadful, a waste", "Superb!"] and extra.labels.tolist() == [0, 1]
    directory = train.run(
        TINY_CONFIG.replace(epochs=1), artifacts_dir=tmp_path / "a", dataset=dataset, extra_data=csv_file
    )
    metrics = read_json(directory / "metrics.json")
    assert metrics["extra_data_rows"] == 2 and metrics["validation_reviews"] == 32  # whole films


def test_extra_data_with_a_bad_label_is_a_clear_error(tmp_path):
    csv_file = tmp_path / "bad.csv"
    csv_file.write_text("text,label\nfine,maybe\n")
    with pytest.raises(ValueError, match="bad.csv:2: label must be positive or negative"):
        train.read_extra_data(csv_file)


def test_overrides_from_the_command_line():
    config = TrainConfig().with_overrides(["dropout=0.3", "kernel_sizes=[2,4]", "remove_stopwords=true", "epochs=3"])
    assert (
        config.dropout == 0.3
        and config.kernel_sizes == (2, 4)
        and config.remove_stopwords is True
        and config.epochs == 3
    )
    with pytest.raises(ValueError, match="Unknown setting"):
        TrainConfig().with_overrides(["nonsense=1"])


def test_config_json_records_only_the_settings_of_its_architecture():
    rnn = TrainConfig(arch="rnn").to_dict()
    assert rnn["units"] == 64 and "kernel_sizes" not in rnn and "ngram_weighting" not in rnn
    nbsvm = TrainConfig(arch="nbsvm").to_dict()
    assert nbsvm["ngram_weighting"] == "binary" and "kernel_sizes" not in nbsvm and "embedding_dim" not in nbsvm
    assert set(TrainConfig(arch="ensemble").to_dict()) == {*COMMON_FIELDS, "members", "length_scales"}
    # Every setting applies to some architecture, and what is recorded loads back to the same config.
    every = {field.name for field in dataclasses.fields(TrainConfig)}
    assert every == set(COMMON_FIELDS).union(*FIELDS_OF.values())
    cnn = TrainConfig(arch="cnn", kernel_sizes=(2, 4), span_weight=0.3)
    assert TrainConfig.from_dict(json.loads(json.dumps(cnn.to_dict()))) == cnn


def test_older_full_config_json_files_still_load():
    """A config.json from before FIELDS_OF recorded every field (and the manifest's own keys): the extra
    ones are ignored, and the shipped artifacts' (per architecture) load to what they record."""
    import dataclasses

    from ml.inference.artifact import ARTIFACTS_DIR

    full = {**TrainConfig(arch="ensemble").to_dict(), **dataclasses.asdict(TrainConfig(arch="ensemble"))}
    older = TrainConfig.from_dict({**full, "model_sha256": "abc", "members": ["nbsvm", "cnn"], "max_length": 300})
    assert older.arch == "ensemble" and older.members == ("nbsvm", "cnn") and older.max_length == 300
    paths = sorted(ARTIFACTS_DIR.glob("*/config.json"))
    assert paths
    fields = {field.name for field in dataclasses.fields(TrainConfig)}
    for path in paths:
        manifest = read_json(path)
        config = TrainConfig.from_dict(manifest)
        for key in fields & set(manifest):
            recorded = manifest[key]
            assert getattr(config, key) == (tuple(recorded) if isinstance(recorded, list) else recorded), (path, key)


def test_command_line_reports_a_missing_archive(tmp_path, capsys):
    assert train.main(["--arch", "cnn", "--data", str(tmp_path / "missing.tar.gz")]) == 1
    assert "IMDB dataset not found at" in capsys.readouterr().err


@pytest.mark.slow  # trains a model: make test runs it, make check does not
def test_command_line_trains_from_an_archive(tmp_path, monkeypatch, capsys):
    from ml.data import imdb as data

    archive = write_tiny_archive(tmp_path / "tiny.tar.gz", per_split=60)
    monkeypatch.setattr(data, "EXPECTED_PER_SPLIT", 60)
    monkeypatch.setattr(train, "load_imdb", lambda path, **kw: data.load_imdb(path, expected_per_split=60, **kw))
    overrides = [
        f"--set={k}={json.dumps(v)}"
        for k, v in {"max_tokens": 64, "embedding_dim": 8, "filters": 4, "epochs": 1, "max_length": 32}.items()
    ]
    assert train.main(["--arch", "cnn", "--data", str(archive), "--out", str(tmp_path / "out"), *overrides]) == 0
    assert json.loads(capsys.readouterr().out.strip().splitlines()[-1])["artifact"].endswith("cnn")
    assert np.isclose(read_json(tmp_path / "out" / "cnn" / "config.json")["max_length"], 32)
