"""Word vectors from raw text start a network's embedding; cached by what they were made from."""

import numpy as np
import pytest

from ml.data import ImdbDataset
from ml.inference.artifact import read_json
from ml.testing import NEGATIVE_WORDS, POSITIVE_WORDS, TINY_CONFIG, synthetic_split
from ml.training import fit, word_vectors


def test_embedding_weights_fill_known_rows_at_the_random_rows_spread():
    initial = np.random.default_rng(0).normal(0, 0.05, size=(4, 3)).astype(np.float32)
    vectors = {"good": np.array([10.0, 0.0, -10.0]), "bad": np.array([-10.0, 0.0, 10.0])}
    weights, found = word_vectors.embedding_weights(vectors, ["", "[UNK]", "good", "film"], initial)
    assert found == 1
    np.testing.assert_array_equal(weights[[0, 1, 3]], initial[[0, 1, 3]])  # padding, [UNK], unseen words
    assert weights[2][0] > 0 > weights[2][2] and np.abs(weights[2]).max() < 1.0


@pytest.mark.slow  # trains word2vec and a network
def test_vectors_are_cached_and_a_network_starts_from_them(tmp_path, monkeypatch):
    texts = synthetic_split(200, seed=3).texts
    first = word_vectors.cached_word_vectors(texts, dimensions=8, seed=1, cache_dir=tmp_path)
    assert set(POSITIVE_WORDS + NEGATIVE_WORDS) <= set(first)
    monkeypatch.setattr(word_vectors, "train_word_vectors", lambda *a, **k: pytest.fail("not cached"))
    again = word_vectors.cached_word_vectors(texts, dimensions=8, seed=1, cache_dir=tmp_path)
    np.testing.assert_allclose(again["great"], first["great"])
    monkeypatch.undo()

    monkeypatch.setattr(fit, "cached_word_vectors", lambda texts, **kw: first)
    dataset = ImdbDataset(synthetic_split(300, seed=1), synthetic_split(40, seed=2), texts, tmp_path, "abc")
    config = TINY_CONFIG.replace(epochs=1, embedding_dim=8, word_vectors=True)
    directory = fit.run(config, artifacts_dir=tmp_path / "a", dataset=dataset)
    assert read_json(directory / "config.json")["word_vectors"] is True
