"""Tiny synthetic data, tiny real models trained in seconds, and hand-labelled short reviews, for the tests and benchmarks."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from ml.config import TrainConfig
from ml.data import Split
from ml.paths import SHARED_DATA

SHARED_ARCHIVE = SHARED_DATA / "aclImdb_v1.tar.gz"

POSITIVE_WORDS = ["great", "excellent", "wonderful", "loved", "brilliant", "best", "superb", "enjoyable"]
NEGATIVE_WORDS = ["awful", "terrible", "boring", "worst", "hated", "dreadful", "dull", "waste"]
NEUTRAL_WORDS = ["movie", "film", "plot", "acting", "the", "was", "story", "character", "scene", "director"]

# Short reviews as people type them, labelled by hand (1 positive): the shipped model's behavioural test
# and the benchmarks' workload.
SHORT_REVIEWS = [
    ("An absolute masterpiece. I was moved to tears.", 1),
    ("Brilliant acting and a gripping story from start to finish.", 1),
    ("One of the best films I have seen this year.", 1),
    ("I loved every minute of it.", 1),
    ("A delightful, funny and heartwarming movie.", 1),
    ("The cast is superb and the direction is flawless.", 1),
    ("Beautifully shot, with a wonderful soundtrack.", 1),
    ("Highly recommended. Go and see it!", 1),
    ("A stunning achievement; the ending is perfect.", 1),
    ("Great fun for the whole family.", 1),
    ("Smart, moving and brilliantly acted.", 1),
    ("I would happily watch it again.", 1),
    ("The performances are outstanding and the script is sharp.", 1),
    ("A charming little film that deserves more attention.", 1),
    ("Excellent. Simply excellent.", 1),
    ("It exceeded all my expectations.", 1),
    ("A touching story told with real care.", 1),
    ("Not bad at all, actually quite enjoyable.", 1),
    ("Hilarious from beginning to end.", 1),
    ("The best performance of his career.", 1),
    ("A gem. Ten out of ten.", 1),
    ("I can't recommend this film enough.", 1),
    ("A waste of two hours. Terrible.", 0),
    ("The plot made no sense and the acting was wooden.", 0),
    ("Boring, predictable and far too long.", 0),
    ("One of the worst movies I have ever seen.", 0),
    ("I hated it.", 0),
    ("Awful dialogue and a ridiculous ending.", 0),
    ("Save your money and skip this one.", 0),
    ("The jokes fall flat and the characters are dull.", 0),
    ("A complete mess from start to finish.", 0),
    ("I walked out after an hour. Dreadful.", 0),
    ("Poorly written, poorly directed, poorly acted.", 0),
    ("Painfully slow and utterly pointless.", 0),
    ("What a disappointment. Avoid.", 0),
    ("The worst sequel ever made.", 0),
    ("Cheap, lazy and stupid.", 0),
    ("I fell asleep halfway through. So boring.", 0),
    ("Not worth watching, not even for free.", 0),
    ("The special effects were laughable and the story was awful.", 0),
    ("A pathetic attempt at comedy.", 0),
    ("Forgettable, bland and badly edited.", 0),
    ("It was not good.", 0),
    ("Mediocre at best; a total letdown.", 0),
]

TINY_CONFIG = TrainConfig(
    arch="cnn",
    name="tiny",
    max_tokens=64,
    max_length=32,
    embedding_dim=8,
    units=4,
    hidden_dim=8,
    filters=8,
    kernel_sizes=(2, 3),
    dropout=0.1,
    batch_size=32,
    epochs=4,
    patience=2,
    learning_rate=0.02,
)


def imdb_archive() -> Path | None:
    """The real dataset when it is here (it is in CI), else None and the full_data tests skip."""
    path = Path(os.environ.get("IMDB_DATA") or SHARED_ARCHIVE)
    return path if path.exists() else None


def synthetic_split(size: int = 400, seed: int = 0) -> Split:
    """Reviews whose sentiment words decide their label, padded with neutral words."""
    rng = np.random.default_rng(seed)
    texts, labels = [], []
    for index in range(size):
        label = index % 2
        words = list(rng.choice(POSITIVE_WORDS if label else NEGATIVE_WORDS, size=rng.integers(1, 4)))
        words += list(rng.choice(NEUTRAL_WORDS, size=rng.integers(3, 12)))
        rng.shuffle(words)
        texts.append(" ".join(words).capitalize() + ".")
        labels.append(label)
    films = np.array([f"tt{seed}{index // 4:06d}" for index in range(size)])  # four reviews a film
    return Split(texts, np.array(labels, dtype=np.int32), np.where(np.array(labels) == 1, 9, 2).astype(np.int32), films)


def build_tiny_artifact(directory: Path, config: TrainConfig = TINY_CONFIG) -> Path:
    """Train a real (tiny) model of `config.arch` on synthetic reviews and save it as an artifact."""
    # Imported on first use: test collection (conftest) must not load TensorFlow for tests that need no model.
    import keras

    from ml.inference.artifact import save_artifact
    from ml.models import NEURAL_MODELS
    from ml.text.preprocessing import build_vectorizer
    from ml.training.fit import length_bucketed

    keras.utils.set_random_seed(config.seed)
    train, validation = synthetic_split(400, seed=1), synthetic_split(100, seed=2)
    vectorizer = build_vectorizer(train.texts, max_tokens=config.max_tokens)
    model = NEURAL_MODELS[config.arch](config, vectorizer)
    model.compile(
        optimizer=keras.optimizers.Adam(config.learning_rate), loss="binary_crossentropy", metrics=["accuracy"]
    )
    model.fit(
        length_bucketed(train.texts, train.labels, config.batch_size, shuffle=True, seed=0),
        epochs=config.epochs,
        verbose=0,
    )
    _, accuracy = model.evaluate(
        length_bucketed(validation.texts, validation.labels, 64, shuffle=False, seed=0), verbose=0
    )
    return save_artifact(
        Path(directory), model, {**config.to_dict(), "name": config.artifact_name}, {"val_accuracy": float(accuracy)}
    )


def write_tiny_archive(
    path: Path, per_split: int = 20, unsup: int = 4, *, folder: bool = False, seed: int = 0, with_urls: bool = True
) -> Path:
    """An archive (or extracted folder) in the official layout: aclImdb/{train,test}/{pos,neg,unsup}/<id>_<rating>.txt
    and the urls_{pos,neg}.txt files that name each review's film."""
    import io
    import tarfile

    files: dict[str, str] = {"aclImdb/README": "tiny test copy"}
    for split_number, split in enumerate(("train", "test")):
        reviews = synthetic_split(per_split, seed=seed + split_number)
        for index, (text, label) in enumerate(zip(reviews.texts, reviews.labels, strict=False)):
            rating = 8 + index % 3 if label else 1 + index % 4
            files[f"aclImdb/{split}/{'pos' if label else 'neg'}/{index}_{rating}.txt"] = text + "<br /><br />The end."
        # Line i of urls_<label>.txt names the film of review i_*.txt; four reviews a film, of both labels.
        films = "".join(
            f"http://www.imdb.com/title/tt{split_number}{index // 4:06d}/usercomments\n" for index in range(per_split)
        )
        if with_urls:
            files[f"aclImdb/{split}/urls_pos.txt"] = files[f"aclImdb/{split}/urls_neg.txt"] = films
    for index in range(unsup):
        files[f"aclImdb/train/unsup/{index}_0.txt"] = synthetic_split(unsup, seed=99).texts[index]
    path = Path(path)
    if folder:
        for name, text in files.items():
            (path / name).parent.mkdir(parents=True, exist_ok=True)
            (path / name).write_text(text, encoding="utf-8")
        return path
    with tarfile.open(path, "w:gz") as archive:
        for name, text in files.items():
            data = text.encode("utf-8")
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return path
