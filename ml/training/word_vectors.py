"""Word vectors learnt from raw IMDB text (word2vec, Mikolov et al. 2013, by gensim on the CPU), to start a
network's embedding: the 50,000 unlabelled reviews and the training reviews say which words are used
alike ("dull" near "tedious"), which 22,500 labelled reviews alone teach only for frequent words.

Only the texts of the training side are read (never the validation or test reviews), normalised by the
models' own function; the vectors are cached by what they were made from, so each network reuses them.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
from gensim.models import Word2Vec

from ml.data.imdb import CACHE_DIR
from ml.text.preprocessing import normalize

WINDOW = 5
MIN_COUNT = 5
EPOCHS = 5


def train_word_vectors(texts: list[str], *, dimensions: int, seed: int, workers: int = 2) -> dict[str, np.ndarray]:
    """Skip-gram word2vec over the normalised texts; {word: vector} for every word seen MIN_COUNT times."""
    sentences = [text.split() for text in normalize(texts)]
    model = Word2Vec(
        sentences,
        vector_size=dimensions,
        window=WINDOW,
        min_count=MIN_COUNT,
        sg=1,
        epochs=EPOCHS,
        seed=seed,
        workers=workers,
    )
    return {word: model.wv[word] for word in model.wv.index_to_key}


def cached_word_vectors(texts: list[str], *, dimensions: int, seed: int, cache_dir: Path = CACHE_DIR) -> dict:
    """train_word_vectors(), computed once per (texts, dimensions, seed) and kept in the cache folder."""
    digest = hashlib.sha256(json.dumps([dimensions, seed, WINDOW, MIN_COUNT, EPOCHS]).encode())
    for text in texts:
        digest.update(text.encode("utf-8", errors="replace"))
    path = Path(cache_dir) / f"word_vectors_{digest.hexdigest()[:16]}.npz"
    if path.is_file():
        stored = np.load(path)
        return dict(zip(stored["words"].tolist(), stored["vectors"], strict=True))
    vectors = train_word_vectors(texts, dimensions=dimensions, seed=seed)
    path.parent.mkdir(parents=True, exist_ok=True)
    words = list(vectors)
    np.savez(path, words=np.array(words), vectors=np.stack([vectors[word] for word in words]))
    return vectors


def embedding_weights(
    vectors: dict[str, np.ndarray], vocabulary: list[str], initial: np.ndarray
) -> tuple[np.ndarray, int]:
    """`initial` (the layer's random start) with each vocabulary word's vector in its row, rescaled to the
    random rows' spread so that training starts at the same pace; and how many rows were set."""
    weights = initial.copy()
    rows = [(index, vectors[word]) for index, word in enumerate(vocabulary) if word in vectors]
    if rows:
        found = np.stack([vector for _, vector in rows])
        scale = initial.std() / max(float(found.std()), 1e-8)
        for (index, _), vector in zip(rows, found * scale, strict=True):
            weights[index] = vector
    return weights, len(rows)
