"""The one normalisation, the vocabulary and padding/truncation."""

import numpy as np
import pytest

from ml.text.preprocessing import FitLength, build_vectorizer, normalize


def test_lowercase_html_entities_and_punctuation():
    assert normalize(["<b>GREAT</b> film!<br /><br />Acting &amp; plot: 10/10."]) == ["great film acting plot 10 10"]


def test_negations_survive_as_not():
    assert normalize(["I didn't like it, it isn't good."]) == ["i did not like it it is not good"]
    assert normalize(["Don’t watch"]) == ["do not watch"]


def test_stopwords_go_but_negations_stay():
    assert normalize(["This is not the best film and I never laughed, no"], remove_stopwords=True) == [
        "not best film never laughed no"
    ]


def test_stopwords_are_whole_tokens_even_in_runs_and_accented_words():
    assert normalize(["Out of the blue, désolé, ça va; Ödön was there"], remove_stopwords=True) == [
        "blue désolé ça va ödön"
    ]


def test_unicode_letters_are_kept():
    assert normalize(["Café AMÉLIE était génial"]) == ["café amélie était génial"]


def test_vectorizer_uses_padding_zero_and_unknown_one():
    vectorizer = build_vectorizer(["good good good film", "bad film"], max_tokens=10)
    vocabulary = vectorizer.get_vocabulary()
    assert vocabulary[:2] == ["", "[UNK]"]
    ids = vectorizer(np.array(["good zebra", "film"], dtype=object)).numpy()
    assert ids[0].tolist() == [vocabulary.index("good"), 1]
    assert ids[1].tolist() == [vocabulary.index("film"), 0]  # padded to the longest in the batch


def test_vocabulary_is_limited_by_frequency():
    vectorizer = build_vectorizer(["a a a b b c"], max_tokens=4)
    assert vectorizer.get_vocabulary() == ["", "[UNK]", "a", "b"]


def test_fit_length_pads_short_rows():
    out = FitLength(max_length=8, min_length=4)(np.array([[5, 6]])).numpy()
    assert out.tolist() == [[5, 6, 0, 0]]


def test_fit_length_keeps_head_and_tail_of_long_rows():
    ids = np.array([list(range(1, 13)), [1, 2, 3] + [0] * 9])  # 12 tokens, and 3 tokens padded
    out = FitLength(max_length=6, head=2)(ids).numpy()
    assert out[0].tolist() == [1, 2, 9, 10, 11, 12]
    assert out[1].tolist() == [1, 2, 3, 0, 0, 0]


def test_fit_length_rejects_impossible_lengths():
    with pytest.raises(ValueError):
        FitLength(max_length=2, min_length=3)
