"""The word lists the CheckList cases are built from: subjects, sentiment words, negators, modifiers, names."""

# What a review talks about. Parts of a film, and the film as a whole (which carries the verdict).
PARTS = (
    "the acting",
    "the plot",
    "the ending",
    "the cast",
    "the script",
    "the story",
    "the soundtrack",
    "the dialogue",
)
WHOLES = ("the film", "the movie")
SUBJECTS = WHOLES + PARTS

# Adjectives whose polarity is plain, split by whether a degree adverb reads naturally before them:
# "very good", "somewhat boring" (gradable) against "absolutely brilliant" (extreme).
POSITIVE_GRADABLE = ("good", "enjoyable", "funny", "entertaining", "impressive", "clever", "moving", "beautiful")
NEGATIVE_GRADABLE = ("bad", "boring", "dull", "weak", "disappointing", "predictable", "silly", "tedious")
POSITIVE_EXTREME = ("great", "excellent", "wonderful", "brilliant", "fantastic", "superb")
NEGATIVE_EXTREME = ("terrible", "awful", "horrible", "dreadful", "atrocious", "abysmal")
POSITIVE_ADJECTIVES = POSITIVE_GRADABLE + POSITIVE_EXTREME
NEGATIVE_ADJECTIVES = NEGATIVE_GRADABLE + NEGATIVE_EXTREME

# Verbs of the reviewer's own verdict: the past tense, and the bare form that follows "didn't".
POSITIVE_VERBS = {"loved": "love", "liked": "like", "enjoyed": "enjoy", "admired": "admire"}
NEGATIVE_VERBS = {"hated": "hate", "disliked": "dislike"}
OBJECTS = ("it", "this film", "this movie", "the film", "the movie")

# Negated negatives that read as praise in English ("not bad at all", "never boring"): the MFT keeps to
# these rather than every negative adjective, since "not atrocious" is faint praise at best.
NEGATABLE_NEGATIVES = (
    "bad",
    "boring",
    "dull",
    "disappointing",
    "predictable",
    "tedious",
    "terrible",
    "a waste of time",
)

INTENSIFIERS = ("very", "really", "extremely", "incredibly", "truly")
EXTREME_INTENSIFIERS = ("absolutely", "truly", "really", "utterly")
DIMINISHERS = ("somewhat", "slightly", "a bit", "kind of", "a little", "fairly")

# Entities that carry no sentiment, for the invariance tests. Names from several languages; titles invented
# (a real title's reviews would leak its reputation into an n-gram model, which is a different test).
NAMES = (
    "Anna",
    "James",
    "Priya",
    "Mohammed",
    "Sofia",
    "Kenji",
    "Olga",
    "Carlos",
    "Fatima",
    "Liam",
    "Chen Wei",
    "Amara",
    "Lukas",
    "Isabel",
    "Tomasz",
    "Aisha",
)
TITLES = (
    "The Quiet Harbour",
    "Blue Orchard",
    "Northern Lights",
    "The Long Road",
    "Paper Kites",
    "Glass River",
    "The Last Signal",
    "Winter Garden",
    "Silver Lake",
    "The Iron Bridge",
    "Morning Tide",
    "Red Canyon",
)
NUMBERS = (2, 3, 4, 5, 6, 7, 8, 9, 12, 15, 20, 45, 90, 95, 110, 120, 140, 1987, 1994, 2003, 2011, 2019)

# Sentiment-bearing or negating words a typo must never touch: only the neutral words get one.
PROTECTED = frozenset(
    word
    for phrase in (
        POSITIVE_ADJECTIVES
        + NEGATIVE_ADJECTIVES
        + NEGATABLE_NEGATIVES
        + INTENSIFIERS
        + EXTREME_INTENSIFIERS
        + DIMINISHERS
        + tuple(POSITIVE_VERBS)
        + tuple(NEGATIVE_VERBS)
        + tuple(POSITIVE_VERBS.values())
        + tuple(NEGATIVE_VERBS.values())
        + ("but", "hardly", "worth", "didn't", "wasn't", "isn't", "wouldn't", "recommend", "regret", "overall")
    )
    for word in phrase.split()
)
