"""Training refuses what measures us (the public sentence sets, the CheckList suite) and learns from
SST-2 phrases and counterfactual pairs, choosing on their dev splits."""

import numpy as np
import pytest

from ml.data import DatasetError, ImdbDataset, Split
from ml.data.counterfactual import PairedReviews
from ml.evaluation.checklist import build_suite
from ml.inference.artifact import read_json
from ml.testing import NEGATIVE_WORDS, POSITIVE_WORDS, TINY_CONFIG, synthetic_split
from ml.training import choosing, guard
from ml.training import fit as train


@pytest.fixture
def dataset(tmp_path):
    return ImdbDataset(synthetic_split(300, seed=1), synthetic_split(40, seed=2), None, tmp_path, "abc")


@pytest.fixture
def sentence_sets(tmp_path, monkeypatch):
    """Tiny public sentence sets in place of shared/data/sentences (the fingerprints are rebuilt)."""
    root = tmp_path / "sentences"
    root.mkdir()
    for name in ("imdb_labelled.txt", "amazon_cells_labelled.txt", "yelp_labelled.txt"):
        (root / name).write_text(f"The best film I have seen this year from {name}.\t1\n", encoding="utf-8")
    monkeypatch.setenv("SENTENCES_DATA", str(root))
    guard.measurement_fingerprints.cache_clear()
    yield root
    guard.measurement_fingerprints.cache_clear()


def test_a_public_sentence_set_as_extra_data_is_refused(sentence_sets, dataset, tmp_path):
    csv_file = tmp_path / "sentences.csv"
    csv_file.write_text('text,label\n"the BEST film I have seen, this year, from imdb_labelled.txt",positive\n')
    with pytest.raises(DatasetError, match="sentences.csv holds 1 text.*never train"):
        train.run(TINY_CONFIG, artifacts_dir=tmp_path / "a", dataset=dataset, extra_data=csv_file)
    assert not (tmp_path / "a").exists()


def test_a_checklist_case_as_training_text_is_refused(sentence_sets):
    case = next(case for case in build_suite() if len(case.text.split()) >= guard.MIN_WORDS)
    with pytest.raises(DatasetError, match="a training set holds 1 text"):
        guard.refuse_measurement_texts(["an honest review of my own", case.text.upper()], "a training set")


def test_short_phrases_anyone_may_write_pass(sentence_sets):
    guard.refuse_measurement_texts(["not bad at all", "gets the job done", "The acting"], "SST-2")


def _short(words, label, count, seed):
    rng = np.random.default_rng(seed)
    texts = [" ".join(rng.choice(words, size=3)) for _ in range(count)]
    return Split(texts, np.full(count, label, dtype=np.int32), np.zeros(count, dtype=np.int32))


def _joined(a: Split, b: Split) -> Split:
    return Split(a.texts + b.texts, np.concatenate([a.labels, b.labels]), np.concatenate([a.ratings, b.ratings]))


@pytest.mark.slow  # fits an n-gram model
def test_nbsvm_learns_from_phrases_and_pairs_and_chooses_on_their_dev_sets(dataset, tmp_path, monkeypatch):
    phrases = _joined(_short(POSITIVE_WORDS, 1, 40, 0), _short(NEGATIVE_WORDS, 0, 40, 1))
    pairs = PairedReviews(
        Split(["a great film", "an awful film"], np.array([1, 0]), np.zeros(2, dtype=np.int32)), np.array(["1", "1"])
    )
    monkeypatch.setattr(train, "load_sst2", lambda split: phrases)
    monkeypatch.setattr(train, "load_counterfactual", lambda split: pairs)
    monkeypatch.setattr(choosing, "load_sst2", lambda split: phrases)
    monkeypatch.setattr(choosing, "load_counterfactual", lambda split: pairs)
    config = TINY_CONFIG.replace(
        arch="nbsvm", name="reader", ngram_C=(0.1, 1.0), sst_weight=1.0, counterfactual_weight=2.0, rating_head=True
    )
    directory = train.run(config, artifacts_dir=tmp_path / "a", dataset=dataset)
    metrics = read_json(directory / "metrics.json")
    assert metrics["sst2_dev_accuracy"] > 0.9 and metrics["counterfactual_dev_pairs"] == 1.0
    assert {"choice_figures_C=0.1", "choice_figures_C=1.0"} <= set(metrics["history"])
    assert isinstance(metrics["history"]["rating_head"]["kept"], bool)  # the choice sets decided
    assert read_json(directory / "config.json")["sst_weight"] == 1.0


def test_our_own_cuts_of_the_training_reviews_leave_out_test_sentences(sentence_sets):
    spans = Split(
        ["The best film I have seen this year from yelp_labelled.txt.", "A quiet, patient and moving film."],
        np.array([1, 1]),
        np.zeros(2, dtype=np.int32),
    )
    kept, dropped = guard.without_measurement_texts(spans)
    assert dropped == 1 and kept.texts == ["A quiet, patient and moving film."]


def test_a_choice_gives_up_at_most_half_a_point_of_review_accuracy():
    figures = {
        "reviews first": {"val_accuracy": 0.915, "sst2_dev_accuracy": 0.80, "counterfactual_dev_pairs": 0.60},
        "balanced": {"val_accuracy": 0.911, "sst2_dev_accuracy": 0.83, "counterfactual_dev_pairs": 0.70},
        "too costly": {"val_accuracy": 0.900, "sst2_dev_accuracy": 0.86, "counterfactual_dev_pairs": 0.80},
    }
    assert choosing.ChoiceSets.best(figures, figures) == "balanced"


def test_the_held_out_templated_texts_are_scored_but_choose_nothing():
    def split(labels):
        return Split([f"text {i}" for i in range(len(labels))], np.array(labels), np.zeros(len(labels), np.int32))

    pairs = PairedReviews(split([1, 0]), np.array(["1", "1"]))
    sets = choosing.ChoiceSets(split([1, 0]), split([1, 1]), pairs, split([0, 1, 1, 1]))
    assert sets.sizes == [2, 2, 2, 4] and sets.labels.tolist() == [1, 0, 1, 1, 1, 0, 0, 1, 1, 1]
    figures = sets.figures(np.array([0.9, 0.1, 0.9, 0.2, 0.9, 0.1, 0.9, 0.9, 0.1, 0.9]))
    assert figures["templated_dev_accuracy"] == 0.5 and figures["sst2_dev_accuracy"] == 0.5
    # Our own templated texts are reported, never chosen on: the score is that of the natural sets.
    assert choosing.ChoiceSets.score(figures) == pytest.approx((1.0 + 0.5 + 1.0) / 3)
