"""The CheckList cases: templates filled from ml.evaluation.checklist.lexicon, sampled with a fixed seed."""

from __future__ import annotations

import hashlib
import itertools
import random
from dataclasses import dataclass

from ml.evaluation.checklist.lexicon import (
    DIMINISHERS,
    EXTREME_INTENSIFIERS,
    INTENSIFIERS,
    NAMES,
    NEGATABLE_NEGATIVES,
    NEGATIVE_ADJECTIVES,
    NEGATIVE_EXTREME,
    NEGATIVE_GRADABLE,
    NEGATIVE_VERBS,
    NUMBERS,
    OBJECTS,
    PARTS,
    POSITIVE_ADJECTIVES,
    POSITIVE_EXTREME,
    POSITIVE_GRADABLE,
    POSITIVE_VERBS,
    PROTECTED,
    SUBJECTS,
    TITLES,
    WHOLES,
)

SUITE_VERSION = 1
SEED = 2020  # the year of Ribeiro et al.; any fixed value would do
CAPABILITIES = ("negation", "contrast", "intensity", "invariance")
TEST_TYPES = {"negation": "MFT", "contrast": "MFT", "intensity": "DIR", "invariance": "INV"}


@dataclass(frozen=True)
class Case:
    """One test. An MFT has an `expected` label; a DIR or INV case compares `text` with its `original`,
    and a DIR case's `polarity` is the label whose certainty the modifier should raise or not raise."""

    capability: str
    kind: str
    text: str
    expected: int | None = None
    original: str | None = None
    polarity: int | None = None


def _sentence(text: str) -> str:
    return text[0].upper() + text[1:]


def _with_article(adjective: str) -> str:
    return ("an " if adjective[0] in "aeiou" else "a ") + adjective


def _sample(kind: str, candidates, size: int) -> list:
    """`size` of the candidates (all when fewer), the same ones on every run and machine."""
    unique = list(dict.fromkeys(candidates))
    # A seeded generator on purpose: the suite must pick the same test sentences on every run; nothing
    # secret or security-related is drawn (bandit B311 is about keys and tokens).
    return random.Random(f"{SEED}:{kind}").sample(unique, min(size, len(unique)))  # nosec B311


def negation_cases() -> list[Case]:
    """MFT: a negated sentiment word takes the other label ("not great" negative, "never boring" positive)."""
    adjective_templates = ("{s} was not {a}.", "{s} wasn't {a}.", "{s} is not {a}.", "{s} isn't {a}.")
    praise_templates = adjective_templates + ("{s} was never {a}.", "{s} was not {a} at all.")
    negated_positive = [
        _sentence(t.format(s=s, a=a))
        for t, s, a in itertools.product(adjective_templates, SUBJECTS, POSITIVE_ADJECTIVES)
    ]
    negated_positive += [
        _sentence(t.format(w=w, a=_with_article(a)))
        for t, w, a in itertools.product(
            ("it is not {a} {w}.", "this is not {a} {w}.", "not {a} {w}."), ("film", "movie"), POSITIVE_ADJECTIVES
        )
    ]
    negated_negative = [
        _sentence(t.format(s=s, a=a)) for t, s, a in itertools.product(praise_templates, SUBJECTS, NEGATABLE_NEGATIVES)
    ]
    negated_verb = [
        t.format(v=v, o=o)
        for t, v, o in itertools.product(
            ("I didn't {v} {o}.", "I did not {v} {o}.", "We didn't {v} {o}."), POSITIVE_VERBS.values(), OBJECTS
        )
    ] + [t.format(o=o) for t in ("I wouldn't recommend {o}.", "I would not recommend {o}.") for o in OBJECTS]
    not_worth = [
        f"{_sentence(o)} was {n} worth {x}."
        for o, n, x in itertools.product(
            ("it", "the film", "the movie"), ("not", "hardly", "never"), ("it", "watching", "the ticket", "the money")
        )
    ]
    unregretted = [
        t.format(o=o) for t in ("I didn't regret watching {o}.", "I never regretted watching {o}.") for o in OBJECTS
    ]
    groups = [
        ("negated positive adjective", 0, negated_positive, 60),
        ("negated positive verb", 0, negated_verb, 25),
        ("not worth it", 0, not_worth, 20),
        ("negated negative adjective", 1, negated_negative, 65),
        ("negated negative verb", 1, unregretted, 10),
    ]
    return [
        Case("negation", kind, text, expected=label)
        for kind, label, candidates, size in groups
        for text in _sample(kind, candidates, size)
    ]


def _clauses(label: int, subjects) -> list[str]:
    adjectives = POSITIVE_ADJECTIVES if label else NEGATIVE_ADJECTIVES
    verbs = POSITIVE_VERBS if label else NEGATIVE_VERBS
    return [f"{s} was {a}" for s, a in itertools.product(subjects, adjectives)] + [
        f"I {v} {s}" for v, s in itertools.product(verbs, subjects)
    ]


def contrast_cases() -> list[Case]:
    """MFT: in "X, but Y" the second clause, a verdict on the whole film, decides against a part's praise or fault."""
    cases = []
    for first, second in ((1, 0), (0, 1)):
        kind = f"{'positive' if first else 'negative'}, but {'positive' if second else 'negative'}"
        verdicts = _clauses(second, WHOLES) + [
            f"{s} was {a} overall"
            for s, a in itertools.product(WHOLES, POSITIVE_ADJECTIVES if second else NEGATIVE_ADJECTIVES)
        ]
        candidates = [
            _sentence(f"{part}, but {verdict}.")
            for part, verdict in itertools.product(_clauses(first, PARTS), verdicts)
        ]
        cases += [Case("contrast", kind, text, expected=second) for text in _sample(kind, candidates, 60)]
    return cases


def intensity_cases() -> list[Case]:
    """DIR: "very good" is no less surely positive than "good"; "somewhat good" is no more."""
    cases = []
    for label in (1, 0):
        gradable, extreme = (POSITIVE_GRADABLE, POSITIVE_EXTREME) if label else (NEGATIVE_GRADABLE, NEGATIVE_EXTREME)
        verbs = POSITIVE_VERBS if label else NEGATIVE_VERBS
        for kind, adverbs, extreme_adverbs, size in (
            ("intensifier", INTENSIFIERS, EXTREME_INTENSIFIERS, 40),
            ("diminisher", DIMINISHERS, (), 35),
        ):
            pairs = [
                (f"{_sentence(s)} was {a}.", f"{_sentence(s)} was {m} {a}.")
                for s, (a, m) in itertools.product(
                    SUBJECTS,
                    [*itertools.product(gradable, adverbs), *itertools.product(extreme, extreme_adverbs)],
                )
            ]
            verb_adverbs = ("really", "truly") if kind == "intensifier" else ("somewhat", "kind of")
            pairs += [(f"I {v} {o}.", f"I {m} {v} {o}.") for v, m, o in itertools.product(verbs, verb_adverbs, OBJECTS)]
            name = f"{kind}, {'positive' if label else 'negative'}"
            cases += [
                Case("intensity", kind, text, original=original, polarity=label)
                for original, text in _sample(name, pairs, size)
            ]
    return cases


def _typo(sentence: str, rng: random.Random) -> str | None:
    """Swap two adjacent, different letters inside one neutral word of four letters or more."""
    words = sentence.split(" ")
    positions = [i for i, w in enumerate(words) if len(w.strip(".,")) >= 4 and w.strip(".,").lower() not in PROTECTED]
    if not positions:
        return None
    index = rng.choice(positions)
    word = words[index]
    letters = [
        j for j in range(len(word) - 1) if word[j].isalpha() and word[j + 1].isalpha() and word[j] != word[j + 1]
    ]
    j = rng.choice(letters)
    words[index] = word[:j] + word[j + 1] + word[j] + word[j + 2 :]
    return " ".join(words)


def invariance_cases() -> list[Case]:
    """INV: a different name, title or number, a typo in a neutral word or another letter case keeps the label."""
    # Seeded on purpose, as in _sample: the same cases on every run.
    rng = random.Random(f"{SEED}:invariance")  # nosec B311
    adjectives = POSITIVE_ADJECTIVES + NEGATIVE_ADJECTIVES
    swaps = {
        "names": (
            NAMES,
            (
                "{x}'s performance was {a}.",
                "{x} was {a} in the lead role.",
                "I watched it with {x} and it was {a}.",
                "The film, directed by {x}, was {a}.",
            ),
        ),
        "titles": (
            TITLES,
            ("{x} was {a}.", "I saw {x} last night and it was {a}.", "The sequel to {x} was {a}."),
        ),
        "numbers": (
            NUMBERS,
            (
                "The film runs {x} minutes and it is {a}.",
                "I saw it with {x} friends and it was {a}.",
                "Released in {x}, the movie was {a}.",
            ),
        ),
    }
    cases = []
    for kind, (fillers, templates) in swaps.items():
        pairs = []
        for template, adjective in itertools.product(templates, adjectives):
            first, second = rng.sample(list(_fitting(kind, template, fillers)), 2)
            pairs.append((template.format(x=first, a=adjective), template.format(x=second, a=adjective)))
        cases += [Case("invariance", kind, text, original=original) for original, text in _sample(kind, pairs, 30)]
    plain = [
        _sentence(t.format(s=s, a=a))
        for t, s, a in itertools.product(
            ("{s} was {a}.", "I thought {s} was {a}.", "{s} was {a} from start to finish."), SUBJECTS, adjectives
        )
    ]
    typos = [(sentence, _typo(sentence, rng)) for sentence in plain]
    cases += [Case("invariance", "typos", t, original=o) for o, t in _sample("typos", typos, 30) if t]
    cased = [(s, change(s)) for s in plain for change in (str.lower, str.upper, str.title)]
    cases += [Case("invariance", "case", t, original=o) for o, t in _sample("case", cased, 30) if t != o]
    return cases


def _fitting(kind: str, template: str, fillers) -> tuple:
    """Numbers that read naturally in the template: minutes, a few friends, a year."""
    if kind != "numbers":
        return fillers
    if "minutes" in template:
        return tuple(n for n in fillers if 80 <= n <= 200)
    if "friends" in template:
        return tuple(n for n in fillers if n < 10)
    return tuple(n for n in fillers if n > 1900)


def build_suite() -> list[Case]:
    """Every case, in a fixed order: the same list on every run."""
    return negation_cases() + contrast_cases() + intensity_cases() + invariance_cases()


def fingerprint(cases: list[Case]) -> str:
    """A short digest of the cases, so recorded figures can be matched to the suite that made them."""
    digest = hashlib.sha256()
    for case in cases:
        digest.update(
            repr((case.capability, case.kind, case.text, case.expected, case.original, case.polarity)).encode()
        )
    return digest.hexdigest()[:12]
