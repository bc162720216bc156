"""Templated training texts of our own for negation and contrast, built from SST-2's training phrases.

Why: the labels we learn from rarely show a negated *negative* word ("not dull"; "not bad" is even a
negative bigram in IMDB reviews) or a negative clause overruled by the one after "but", so the models
learn "a negative word means a negative text". These texts show both directions of both rules:

- words: SST-2 training phrases of one word that also follow "is", "was", "very", "too", "so", "more" or
  "most" in some training phrase (so, mostly adjectives: "dull", "moving"), with their SST-2 label;
- negation: each word in NEGATION_FRAMES ("not {w}", "is n't {w}", ...), its label flipped;
- contrast: two SST-2 training phrases of 3-12 words and opposite labels joined as "{a} , but {b}",
  labelled as the second.

A fifth of the words and of the phrases (by a hash of their text: VALIDATION_SHARE) are held out of
training as `part="validation"`: the negations of words a model never saw negated, the contrasts of
phrases it never saw joined, to choose on (ml.training.choosing). Frames and words are ours and SST-2's: nothing comes from the CheckList suite (ml/evaluation/checklist),
which is a test, and the training guard refuses any text of it. The texts are lower-cased and tokenised
as SST-2's are. Their effect is judged on the natural dev sets (SST-2 dev, counterfactual dev), which
choose the weight; see docs/models.md.
"""

from __future__ import annotations

import zlib

import numpy as np

from ml.data.imdb import Split

PREDICATIVE_CUES = ("is", "was", "very", "too", "so", "more", "most")
NEGATION_FRAMES = ("not {w}", "never {w}", "is n't {w}", "was not {w}", "not at all {w}", "it 's not {w}")
CONTRAST_WORDS = (3, 12)  # the clauses' length in words, inclusive
VALIDATION_SHARE = 0.2
PARTS = ("train", "validation")


def part_of(text: str) -> str:
    """ "train" or "validation", fixed by the text itself (so a word is held out from every run alike)."""
    return "validation" if zlib.crc32(text.encode("utf-8")) % 1000 < VALIDATION_SHARE * 1000 else "train"


def predicative_words(phrases: Split) -> dict[str, int]:
    """{word: label} of the one-word phrases that follow a PREDICATIVE_CUES word in some phrase."""
    labelled = {text: int(label) for text, label in zip(phrases.texts, phrases.labels, strict=True) if " " not in text}
    following = set()
    for text in phrases.texts:
        words = text.split()
        following.update(words[i + 1] for i in range(len(words) - 1) if words[i] in PREDICATIVE_CUES)
    return {word: label for word, label in sorted(labelled.items()) if word in following and word.isalpha()}


def negated(words: dict[str, int]) -> Split:
    """Every word in every negation frame, labelled the opposite of the word."""
    texts = [frame.format(w=word) for word in words for frame in NEGATION_FRAMES]
    labels = [1 - label for label in words.values() for _ in NEGATION_FRAMES]
    return Split(texts, np.array(labels, dtype=np.int32), np.zeros(len(texts), dtype=np.int32))


def contrasted(phrases: Split, count: int, seed: int, part: str | None = None) -> Split:
    """`count` "{a} , but {b}" texts of phrases of opposite labels (of that part, if named), labelled as b;
    half of each direction."""
    rng = np.random.default_rng(seed)
    lengths = np.array([len(text.split()) for text in phrases.texts])
    fit = (lengths >= CONTRAST_WORDS[0]) & (lengths <= CONTRAST_WORDS[1])
    if part is not None:
        fit &= np.array([part_of(text) == part for text in phrases.texts])
    pools = {label: np.flatnonzero(fit & (phrases.labels == label)) for label in (0, 1)}
    texts, labels = [], []
    for i in range(count):
        second = i % 2  # the label of the clause after "but", alternating
        a = phrases.texts[rng.choice(pools[1 - second])]
        b = phrases.texts[rng.choice(pools[second])]
        texts.append(f"{a} , but {b}")
        labels.append(second)
    return Split(texts, np.array(labels, dtype=np.int32), np.zeros(len(texts), dtype=np.int32))


def templated_texts(phrases: Split, seed: int, part: str = "train") -> Split:
    """The negated words of one part ("train" or "validation") and as many contrasted phrases of that part,
    from SST-2's training phrases."""
    if part not in PARTS:
        raise ValueError(f"part must be one of {PARTS}, not {part!r}")
    words = {word: label for word, label in predicative_words(phrases).items() if part_of(word) == part}
    negations = negated(words)
    contrasts = contrasted(phrases, len(negations), seed, part=part)
    return Split(
        negations.texts + contrasts.texts,
        np.concatenate([negations.labels, contrasts.labels]),
        np.zeros(len(negations) + len(contrasts), dtype=np.int32),
    )
