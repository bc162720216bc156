"""Short texts cut from whole reviews (training spans, validation sentences) and the mixed rule."""

import numpy as np

from ml.data import imdb as data
from ml.data.spans import review_sentences, training_spans, validation_sentences
from ml.inference.verdict import is_mixed
from ml.testing import write_tiny_archive
from ml.training.thresholds import choose_threshold


def test_spans_of_a_tiny_archive_keep_their_review_label(tmp_path):
    dataset = data.load_imdb(write_tiny_archive(tmp_path / "t.tar.gz", per_split=40), expected_per_split=40)
    train, validation = data.grouped_validation_split(dataset.train, validation_fraction=0.2, seed=1)
    spans, origin = review_sentences(train)
    # Each review is "<words>.<br /><br />The end.": one sentence of its own words (3+ words when it has
    # them) and "The end." (2 words: too short to keep).
    assert "The end." not in spans.texts and not any("<br" in text for text in spans.texts)
    assert all(3 <= len(text.split()) <= 60 for text in spans.texts)
    assert (spans.labels == train.labels[origin]).all() and not spans.ratings.any()
    for text, index in zip(spans.texts, origin, strict=True):
        assert text in train.texts[index]
    assert training_spans(train).texts == spans.texts
    # Validation sentences come from 1-2 and 9-10 star validation reviews only.
    kept = validation_sentences(validation)
    strong = {i for i, rating in enumerate(validation.ratings) if rating in {1, 2, 9, 10}}
    assert kept.texts and all(any(t in validation.texts[i] for i in strong) for t in kept.texts)
    assert len(kept) < len(review_sentences(validation)[0]) or strong == set(range(len(validation)))


def test_mixed_needs_two_sentences_that_disagree_strongly():
    assert is_mixed([0.95, 0.04], 0.9)
    assert not is_mixed([0.95, 0.2], 0.9)  # the negative one is not sure enough
    assert not is_mixed([0.99], 0.6)  # one sentence is never mixed
    assert not is_mixed([0.97, 0.92, 0.91], 0.9)


def test_the_threshold_separates_middling_from_extreme_reviews():
    rng = np.random.default_rng(0)
    # Middling reviews: sentences of both leanings around 0.8/0.2; extreme ones: one-sided, some weak
    # dissent (0.35) that a low threshold would wrongly call mixed.
    middling = [np.array([0.85, 0.15, rng.uniform(0.4, 0.6)]) for _ in range(50)]
    extreme = [np.array([0.97, 0.99, 0.35]) for _ in range(50)]
    chosen = choose_threshold(middling + extreme, np.array([4] * 50 + [10] * 50))
    assert 0.66 <= chosen["threshold"] <= 0.84
    assert chosen["mixed_share_middling"] == 1.0 and chosen["mixed_share_extreme"] == 0.0
