"""Does a text look like English? py3langid (its model ships inside the package), loaded once per process."""

from __future__ import annotations

import string
import threading

# Only the start of a text is read: its language is settled well within 300 characters, and a
# 10,000-word review would otherwise cost ~3 ms (py3langid's time grows with the length).
READ_CHARS = 300
# Too few letters say nothing about a language ("10/10", "lol", "Wow!"); such texts are never flagged.
MIN_LETTERS = 10
# Flag only a clear case: the identifier's best guess is another language with at least MIN_GUESS of
# the probability, and English has under MAX_ENGLISH. Chosen on the first sentences of the IMDB training
# reviews (English), where they flag few (python -m bench.language prints how many).
MIN_GUESS = 0.3
MAX_ENGLISH = 0.02
# "zxx" is py3langid's "no linguistic content" (keyboard mashing): that is not a foreign language.
NOT_LANGUAGES = frozenset({"en", "zxx"})

# Function words that are common in English and are not words of the languages around it: a text whose
# start holds enough of them is English without asking the identifier (most reviews; it saves ~0.2 ms).
# ("is", "was" and "of" are Dutch words too: left out.)
ENGLISH_WORDS = frozenset("the and this that with it you are have not but they there very".split())

_identifier = None
_lock = threading.Lock()


def identifier():
    """The py3langid identifier with normalised probabilities, loaded (~2 s) on first use."""
    global _identifier
    if _identifier is None:
        with _lock:
            if _identifier is None:
                from py3langid.langid import MODEL_FILE, LanguageIdentifier

                _identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    return _identifier


def english_probability(text: str) -> tuple[str, float, float]:
    """(best guess, its probability, the probability of English) for the start of `text`."""
    sample = text[:READ_CHARS]
    guess, probability = identifier().classify(sample)
    if guess == "en":
        return guess, probability, probability
    english = dict(identifier().rank(sample)).get("en", 0.0)
    return guess, probability, english


def clearly_english(sample: str) -> bool:
    words = sample.lower().split()
    hits = sum(word.strip(string.punctuation) in ENGLISH_WORDS for word in words)
    return hits >= 3 and hits >= 0.05 * len(words)


def looks_foreign(text: str) -> bool:
    """True when the identifier is confident that `text` is in a language other than English."""
    sample = text[:READ_CHARS]
    if sum(character.isalpha() for character in sample) < MIN_LETTERS or clearly_english(sample):
        return False
    guess, probability, english = english_probability(text)
    return guess not in NOT_LANGUAGES and probability >= MIN_GUESS and english < MAX_ENGLISH
