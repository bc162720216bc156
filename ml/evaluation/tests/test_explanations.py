"""python -m ml.evaluation.explanations on a tiny model: the figures, the merged JSON and the report's section."""

import json
import shutil

import numpy as np

from ml.data import imdb as data
from ml.evaluation import explanations as explain_eval
from ml.inference.predictor import load_predictor
from ml.reporting import explanations as explain_report
from ml.testing import synthetic_split, write_tiny_archive


def test_the_lexicon_and_the_stop_words_are_the_documented_ones():
    lexicon = explain_eval.vader_lexicon()
    assert lexicon["good"] > 1 and lexicon["awful"] < -1 and len(lexicon) > 7000
    assert {"the", "a", "and", "was", "is", "i"} <= explain_eval.stop_words()
    assert "not" not in explain_eval.stop_words()
    assert explain_eval.word_key("Dreadful.") == "dreadful" and explain_eval.word_key("(I") == "i"


def test_measure_on_a_tiny_network(tiny_artifact):
    predictor = load_predictor(tiny_artifact)
    texts = synthetic_split(12, seed=7).texts
    result = explain_eval.measure(predictor.attribute, predictor.predict_logits, texts)
    assert result["reviews"] == 12
    assert set(result["aopc"]) == set(result["aopc_random"]) == {"1", "5", "10", "20"}
    # The tiny model decides by its sentiment words; deleting the strongest words must hurt more than random ones.
    assert result["aopc_mean"] > result["aopc_random_mean"]
    assert 0 <= result["stop_word_share"] <= 1 and result["top_words"] == 36
    assert result["lexicon_words"] > 0 and 0 <= result["lexicon_agreement"] <= 1


def test_the_command_merges_its_figures_and_the_report_shows_before_and_after(tiny_artifact, tmp_path, monkeypatch):
    archive = write_tiny_archive(tmp_path / "tiny.tar.gz", per_split=20)
    real_load_imdb = data.load_imdb
    monkeypatch.setattr(explain_eval, "load_imdb", lambda path, **kw: real_load_imdb(path, expected_per_split=20, **kw))
    artifacts = tmp_path / "artifacts"
    shutil.copytree(tiny_artifact, artifacts / "tiny")
    output = tmp_path / "explain.json"
    common = ["--models", "tiny", "--artifacts", str(artifacts), "--data", str(archive), "--output", str(output)]
    assert explain_eval.main([*common, "--reviews", "6", "--method", "occlusion"]) == 0
    assert explain_eval.main([*common, "--reviews", "8", "--reviews-for", "tiny=5"]) == 0
    results = json.loads(output.read_text())
    assert results["test"]["occlusion"]["tiny"]["reviews"] == 6
    assert results["test"]["auto"]["tiny"]["reviews"] == 5
    assert results["test"]["auto"]["tiny"]["method"] == "integrated gradients"
    rows = explain_report.table_rows(results, "test", ("occlusion", "auto"), models=("tiny",))
    assert [row["method"] for row in rows] == ["occlusion", "served: integrated gradients"]
    table = "\n".join(explain_report.markdown_table(rows))
    assert table.count("| `tiny` |") == 2


def test_an_empty_sample_and_a_text_without_words():
    def explain(text):
        from ml.explanation.words import Attribution, split_words

        words, _ = split_words(text)
        return Attribution(words, np.zeros(len(words)), 0.5)

    result = explain_eval.measure(explain, lambda texts: np.full(len(texts), 0.5), ["!!!", "good"])
    assert result["reviews"] == 2 and result["stop_word_share"] is None and result["lexicon_agreement"] is None
