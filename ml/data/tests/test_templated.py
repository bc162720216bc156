"""Our templated negations and contrasts: words chosen from SST-2-style phrases, labels flipped or taken
from the clause after "but", and nothing of the CheckList suite among them."""

import numpy as np

from ml.data import Split
from ml.data.templated import NEGATION_FRAMES, contrasted, negated, part_of, predicative_words, templated_texts
from ml.evaluation.checklist import build_suite

PHRASES = Split(
    [
        "dull",
        "moving",
        "hero",  # never follows a cue: not a predicative word
        "the plot is dull",
        "a very moving story",
        "the hero returns",
        "a warm and funny film",
        "an ugly , cynical mess of a film",
        "smart , sharp and wonderfully acted",
        "loud , long and utterly pointless",
    ],
    np.array([0, 1, 1, 0, 1, 1, 1, 0, 1, 0]),
    np.zeros(10, dtype=np.int32),
)


def test_words_are_the_labelled_single_words_that_follow_a_cue():
    assert predicative_words(PHRASES) == {"dull": 0, "moving": 1}


def test_a_negated_word_takes_the_opposite_label():
    texts = negated({"dull": 0, "moving": 1})
    assert len(texts) == 2 * len(NEGATION_FRAMES)
    assert dict(zip(texts.texts, texts.labels.tolist(), strict=True))["not dull"] == 1
    assert dict(zip(texts.texts, texts.labels.tolist(), strict=True))["is n't moving"] == 0


def test_a_contrast_is_labelled_as_the_clause_after_but():
    texts = contrasted(PHRASES, 20, seed=0)
    label_of = dict(zip(PHRASES.texts, PHRASES.labels.tolist(), strict=True))
    for text, label in zip(texts.texts, texts.labels, strict=True):
        first, second = text.split(" , but ")
        assert label_of[second] == label != label_of[first]
    assert texts.labels.mean() == 0.5


def test_no_templated_text_is_a_checklist_case():
    suite = {case.text.lower() for case in build_suite()}
    texts = (
        templated_texts(PHRASES, seed=0, part="train").texts + templated_texts(PHRASES, seed=0, part="validation").texts
    )
    assert not suite & set(texts)


def test_validation_holds_out_whole_words_and_phrases():
    words = ["w" + "".join("abcdefghij"[int(digit)] for digit in f"{i:03d}") for i in range(1000)]  # letters only
    held_out = [word for word in words if part_of(word) == "validation"]
    assert 150 < len(held_out) < 250 and part_of(held_out[0]) == "validation"  # the same answer every time
    phrases = Split(
        words + [f"a {w} b" for w in words],
        np.array([i % 2 for i in range(2000)]),
        np.zeros(2000, dtype=np.int32),
    )
    cues = Split([f"is {w}" for w in words], np.zeros(1000, dtype=np.int32), np.zeros(1000, dtype=np.int32))
    both = Split(phrases.texts + cues.texts, np.r_[phrases.labels, cues.labels], np.zeros(3000, dtype=np.int32))
    train, validation = (templated_texts(both, seed=0, part=part) for part in ("train", "validation"))
    train_words = {text.split()[-1] for text in train.texts if " , but " not in text}
    validation_words = {text.split()[-1] for text in validation.texts if " , but " not in text}
    assert validation_words == set(held_out) and not train_words & validation_words
    assert all(
        part_of(clause) == "validation"
        for text in validation.texts
        if " , but " in text
        for clause in text.split(" , but ")
    )
