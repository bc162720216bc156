"""What the verdict card draws: explanation weights as highlight classes, sentence verdicts as a strip."""

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass

from ml.text.words import strip_edge_punctuation, word_key

# Strength levels per direction, as fractions of the text's largest |weight|: below the first a
# word is left plain (almost every word carries a little weight; colouring them all is noise).
LEVEL_FLOORS = (0.15, 0.4, 0.7)
# A word that moves the log-odds by less than this is left plain whatever the rest of
# the text does: in a text where nothing matters, normalising would dress noise up as a strong signal.
MIN_WEIGHT = 0.05
TOP_WORDS_IN_TEXT = 5
MINUS = "\u2212"  # a real minus sign: "−1.20" reads (and is read aloud) as a negative number
_WORD = re.compile(r"\S+")  # the words of ml.explanation.explain.split_words, so stored words line up with the text


def weight_level(weight: float, largest: float) -> int:
    """-3..3: the direction (sign) and strength (1..3) of a word's weight, relative to the largest |weight|
    of its text; 0 leaves the word plain."""
    if largest <= 0 or abs(weight) < MIN_WEIGHT:
        return 0
    ratio = abs(weight) / largest
    strength = sum(ratio >= floor for floor in LEVEL_FLOORS)
    return int(math.copysign(strength, weight)) if strength else 0


def signed(weight: float) -> str:
    """+2.31 / −1.20 (with a real minus sign)."""
    return f"+{weight:.2f}" if weight >= 0 else f"{MINUS}{abs(weight):.2f}"


@dataclass(frozen=True)
class Segment:
    """A run of the review's text: a word with its weight, or the whitespace between two words."""

    text: str
    level: int = 0  # -3..3, see weight_level; 0 for plain words and whitespace
    weight: float = 0.0

    @property
    def css_class(self) -> str:
        if not self.level:
            return ""
        return f"hl hl--{'pos' if self.level > 0 else 'neg'}-{abs(self.level)}"

    @property
    def description(self) -> str:
        direction = "positive" if self.level > 0 else "negative"
        return f"Pushed towards {direction} ({signed(self.weight)})"


@dataclass(frozen=True)
class KeyWord:
    word: str
    weight: float

    @property
    def signed_weight(self) -> str:
        return signed(self.weight)


@dataclass(frozen=True)
class ExplainedText:
    """A review's text cut into segments that join back to it exactly, and its strongest words."""

    segments: list[Segment]
    positive: list[KeyWord]  # strongest first
    negative: list[KeyWord]  # strongest first

    @property
    def has_highlights(self) -> bool:
        return bool(self.positive or self.negative)


def explain_text(text: str, explanation: Sequence[Sequence]) -> ExplainedText | None:
    """Pair each whitespace-separated word of `text` with its weight from `explanation` ([[word, weight], ...]).

    None when the explanation does not fit the text (none stored, or made for other words): the page
    then shows the text plain rather than colouring the wrong words.
    """
    matches = list(_WORD.finditer(text))
    if not explanation or len(explanation) != len(matches):
        return None
    if any(match.group() != word for match, (word, _) in zip(matches, explanation, strict=True)):
        return None
    largest = max(abs(weight) for _, weight in explanation)
    segments, position = [], 0
    for match, (word, weight) in zip(matches, explanation, strict=True):
        if match.start() > position:
            segments.append(Segment(text[position : match.start()]))
        segments.append(Segment(word, weight_level(weight, largest), weight))
        position = match.end()
    if position < len(text):
        segments.append(Segment(text[position:]))
    marked = [segment for segment in segments if segment.level]
    return ExplainedText(
        segments=segments,
        positive=_strongest(sorted((s for s in marked if s.level > 0), key=lambda s: -s.weight)),
        negative=_strongest(sorted((s for s in marked if s.level < 0), key=lambda s: s.weight)),
    )


def _strongest(segments: Iterable[Segment]) -> list[KeyWord]:
    """The first TOP_WORDS_IN_TEXT distinct words (a word repeated in the text is listed once)."""
    seen, words = set(), []
    for segment in segments:
        key = word_key(segment.text)
        if key and key not in seen:
            seen.add(key)
            words.append(KeyWord(word=strip_edge_punctuation(segment.text), weight=segment.weight))
        if len(words) == TOP_WORDS_IN_TEXT:
            break
    return words


# --- Sentence by sentence: the strip under the verdict ---

# The strip is an SVG (the CSP forbids inline styles, so widths are attributes): segments share this
# width in proportion to their sentences' lengths, with a gap between two.
STRIP_WIDTH, STRIP_HEIGHT = 1000, 24
STRIP_GAP = 6
# A sentence of a few characters still gets a segment one can see and point at.
MIN_SEGMENT_SHARE = 0.02
# Longer breakdowns start folded: the text is already shown in full below them.
OPEN_LIST_UP_TO = 12
# How dark a segment is: its confidence band (classifier.verdicts.Confidence); none is grey.
SHADE = {"high": 3, "medium": 2, "low": 1}


@dataclass(frozen=True)
class SentencePart:
    """One sentence of a review: its verdict, and its segment of the strip."""

    number: int  # 1-based, in the order of the text
    text: str
    sentiment: str
    score: float  # probability that the sentence is positive
    confidence: str
    x: float
    width: float

    @property
    def cannot_tell(self) -> bool:
        return self.confidence not in SHADE

    @property
    def certainty(self) -> float:
        """The probability of the sentence's own verdict, 0.5..1."""
        return self.score if self.sentiment == "positive" else 1 - self.score

    @property
    def label(self) -> str:
        """What the sentence's chip says before its percentage: "positive", "leaning negative", "cannot tell"."""
        if self.cannot_tell:
            return "cannot tell"
        return f"leaning {self.sentiment}" if self.confidence == "low" else self.sentiment

    @property
    def marker(self) -> str:
        if self.cannot_tell:
            return "?"
        return "▲" if self.sentiment == "positive" else "▼"

    @property
    def css_class(self) -> str:
        if self.cannot_tell:
            return "sentence--none"
        return f"sentence--{'pos' if self.sentiment == 'positive' else 'neg'}-{SHADE[self.confidence]}"


@dataclass(frozen=True)
class SentenceStrip:
    parts: list[SentencePart]
    mixed: bool

    @property
    def summary(self) -> str:
        """ "3 sentences: 2 positive, 1 negative" (the sentences the model cannot tell are counted apart)."""
        counts = {"positive": 0, "negative": 0, "cannot tell": 0}
        for part in self.parts:
            counts["cannot tell" if part.cannot_tell else part.sentiment] += 1
        found = ", ".join(f"{count} {name}" for name, count in counts.items() if count)
        return f"{len(self.parts)} sentences: {found}"

    @property
    def open_list(self) -> bool:
        return len(self.parts) <= OPEN_LIST_UP_TO

    @property
    def width(self) -> int:
        return STRIP_WIDTH

    @property
    def height(self) -> int:
        return STRIP_HEIGHT


def sentence_strip(sentences: Sequence | None, mixed: bool | None = False) -> SentenceStrip | None:
    """The strip of a text of two or more sentences, from its sentence verdicts in text order (dicts as
    stored on a Review, or classifier.classify.SentenceVerdict); None for fewer (the verdict says it all)."""
    items = [item if isinstance(item, Mapping) else asdict(item) for item in sentences or ()]
    if len(items) < 2:
        return None
    lengths = [max(item["end"] - item["start"], 1) for item in items]
    floor = sum(lengths) * MIN_SEGMENT_SHARE
    shares = [max(length, floor) for length in lengths]
    # Thousands of sentences leave no room for gaps: they take a quarter of the strip at most.
    gap = min(STRIP_GAP, STRIP_WIDTH / 4 / (len(items) - 1))
    scale = (STRIP_WIDTH - gap * (len(items) - 1)) / sum(shares)
    parts, x = [], 0.0
    for number, (item, share) in enumerate(zip(items, shares, strict=True), start=1):
        width = share * scale
        parts.append(
            SentencePart(
                number=number,
                text=item["text"],
                sentiment=item["sentiment"],
                score=float(item["score"]),
                confidence=str(item["confidence"]),
                x=round(x, 2),
                width=round(width, 2),
            )
        )
        x += width + gap
    return SentenceStrip(parts=parts, mixed=bool(mixed))


def unexplained_note(exc) -> str:
    """Why a slow model left a long text without highlighted words and without its sentence strip
    (exc: classifier.registry.ExplanationTooLong)."""
    return (
        f"No words are highlighted: the {exc.name} model explains reviews of at most {exc.limit:,} characters "
        f"(this one has {exc.length:,}), and judges their sentences one by one only up to that length too, because "
        "both take far longer than its verdicts. Choose another model to see which words and sentences decided."
    )
