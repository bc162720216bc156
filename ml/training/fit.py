"""Train one architecture on the IMDB training split and save a self-describing artifact.

    python -m ml.training.fit --arch cnn [--data PATH] [--set epochs=3 --set dropout=0.4] [--extra-data F.csv]

Early stopping, the best checkpoint and every choice use a validation split carved from the 25k
training reviews; the test set is read only by `python -m ml.evaluation.evaluate`.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from pathlib import Path

import keras
import numpy as np

from ml.config import DEFAULTS, TrainConfig
from ml.data import DatasetError, ImdbDataset, Split, grouped_validation_split, load_imdb, train_validation_split
from ml.data.counterfactual import load_counterfactual, without_pairs_in
from ml.data.spans import training_spans, validation_sentences
from ml.data.sst import load_sst2
from ml.data.templated import templated_texts
from ml.inference.artifact import ARTIFACTS_DIR, save_artifact
from ml.inference.predictor import Predictor, load_predictor, predict_in_batches
from ml.models import ARCHITECTURES, NEURAL_MODELS
from ml.models.nbsvm import train_nbsvm
from ml.models.result import TrainResult
from ml.text.preprocessing import build_vectorizer, normalize
from ml.training.choosing import ChoiceSets
from ml.training.ensemble import train_ensemble
from ml.training.guard import refuse_measurement_texts, without_measurement_texts
from ml.training.word_vectors import cached_word_vectors, embedding_weights


def set_seeds(seed: int) -> None:
    import keras

    keras.utils.set_random_seed(seed)


def read_extra_data(path: Path) -> Split:
    """Rows of `text,label` (label: positive/negative or 1/0), e.g. the admin's feedback export."""
    texts, labels = [], []
    with open(path, newline="", encoding="utf-8") as handle:
        for row_number, row in enumerate(csv.DictReader(handle), start=2):
            label = str(row.get("label", "")).strip().lower()
            if label not in {"positive", "negative", "1", "0"}:
                raise ValueError(f"{path}:{row_number}: label must be positive or negative, got {label!r}")
            text = (row.get("text") or "").strip()
            if text:
                texts.append(text)
                labels.append(1 if label in {"positive", "1"} else 0)
    return Split(texts, np.array(labels, dtype=np.int32), np.zeros(len(labels), dtype=np.int32))


def concat(a: Split, b: Split) -> Split:
    return Split(a.texts + b.texts, np.concatenate([a.labels, b.labels]), np.concatenate([a.ratings, b.ratings]))


def length_bucketed(
    texts: list[str],
    labels: np.ndarray,
    batch_size: int,
    *,
    shuffle: bool,
    seed: int,
    weights: np.ndarray | None = None,
):
    """Batches of similar length: little padding, faster recurrent layers, and training that sees
    texts as the site serves them (one review, unpadded)."""
    import tensorflow as tf

    lengths = np.array([len(t.split()) for t in normalize(texts)])
    rng = np.random.default_rng(seed)
    order = np.argsort(lengths + rng.uniform(0, 8, size=len(lengths)), kind="stable")
    texts_sorted = np.asarray([texts[i] for i in order], dtype=object)
    columns = (texts_sorted, labels[order].astype(np.float32))
    if weights is not None:
        columns += (weights[order].astype(np.float32),)
    dataset = tf.data.Dataset.from_tensor_slices(columns)
    dataset = dataset.batch(batch_size)
    if shuffle:
        dataset = dataset.shuffle(len(texts) // batch_size + 1, seed=seed, reshuffle_each_iteration=True)
    return dataset.prefetch(2)


def teacher_labelled(config: TrainConfig, unlabelled: list[str], artifacts_dir: Path) -> Split:
    """The unlabelled reviews with the teacher's probabilities as soft labels."""

    teacher = load_predictor(artifacts_dir / config.teacher)
    soft = predict_in_batches(teacher, unlabelled)
    print(
        f"Teacher {teacher.model_version} labelled {len(unlabelled)} unlabelled reviews ({(soft >= 0.5).mean():.1%} positive)",
        flush=True,
    )
    return Split(list(unlabelled), soft.astype(np.float32), np.zeros(len(unlabelled), dtype=np.int32))


def extra_training_sets(
    config: TrainConfig, train: Split, validation: Split, dataset: ImdbDataset, artifacts_dir: Path
):
    """(texts, weight) sets that join the labelled reviews: the teacher-labelled unlabelled reviews, and
    sentences cut from the training reviews (ml.data.spans) with `span_weight`, SST-2's phrases with
    `sst_weight`, the counterfactual pairs with `counterfactual_weight` and our templated negations and
    contrasts (ml.data.templated) with `template_weight`. None may hold a test text."""
    extras = []
    if config.teacher:
        extras.append((teacher_labelled(config, dataset.unsup, artifacts_dir), 1.0))
    if config.span_weight > 0:
        # The public IMDB sentence set was cut from IMDB reviews: its sentences leave our own cuts.
        spans, dropped = without_measurement_texts(training_spans(train))
        print(
            f"Adding {len(spans)} training sentences with weight {config.span_weight} "
            f"({dropped} left out: they are in a public sentence set)",
            flush=True,
        )
        extras.append((spans, config.span_weight))
    if config.sst_weight > 0:
        phrases = load_sst2("train")
        print(f"Adding {len(phrases)} SST-2 phrases with weight {config.sst_weight}", flush=True)
        extras.append((phrases, config.sst_weight))
    if config.counterfactual_weight > 0:
        # A pair whose original review is in the validation split would teach the model a review that
        # measures it: those pairs stay out.
        pairs = without_pairs_in(load_counterfactual("train"), validation)
        print(f"Adding {len(pairs)} counterfactual reviews with weight {config.counterfactual_weight}", flush=True)
        extras.append((pairs.reviews, config.counterfactual_weight))
    if config.template_weight > 0:
        templated = templated_texts(load_sst2("train"), seed=config.seed, part="train")
        print(f"Adding {len(templated)} templated negations and contrasts with weight {config.template_weight}")
        extras.append((templated, config.template_weight))
    for extra, _ in extras:
        refuse_measurement_texts(extra.texts, "a training set")
    return extras


class ChoiceScore(keras.callbacks.Callback):
    """Adds `val_choice_score` (ChoiceSets.score: reviews, SST-2 dev and edit pairs) to each epoch's logs,
    so that early stopping and the best checkpoint follow every validation set, not the reviews alone."""

    def __init__(self, choice_sets: ChoiceSets):
        super().__init__()
        self.choice_sets = choice_sets

    def on_epoch_end(self, epoch, logs=None):
        texts = self.choice_sets.texts
        order = np.argsort([len(text) for text in texts])
        probabilities = np.empty(len(texts), dtype=np.float32)
        for start in range(0, len(texts), 256):
            chosen = order[start : start + 256]
            batch = np.asarray([texts[i] for i in chosen], dtype=object)
            probabilities[chosen] = np.asarray(self.model(batch, training=False)).reshape(-1)
        figures = self.choice_sets.figures(probabilities)
        print(f"epoch {epoch + 1}: {', '.join(f'{k} {v:.4f}' for k, v in figures.items())}", flush=True)
        if logs is not None:
            logs["val_choice_score"] = self.choice_sets.score(figures)


def train_neural(
    config: TrainConfig,
    train: Split,
    validation: Split,
    run_dir: Path,
    extras: list[tuple[Split, float]] = (),
    choice_sets: ChoiceSets | None = None,
    unlabelled: list[str] | None = None,
) -> TrainResult:
    # The vocabulary stays that of the labelled training reviews; the extra texts only add examples,
    # each set with its weight.
    texts, labels, weights = list(train.texts), [train.labels.astype(np.float32)], [np.ones(len(train), np.float32)]
    for extra, weight in extras:
        texts += extra.texts
        labels.append(extra.labels.astype(np.float32))
        weights.append(np.full(len(extra), weight, dtype=np.float32))
    fit_labels, fit_weights = np.concatenate(labels), np.concatenate(weights)
    vectorizer = build_vectorizer(train.texts, max_tokens=config.max_tokens, remove_stopwords=config.remove_stopwords)
    model = NEURAL_MODELS[config.arch](config, vectorizer)
    if config.word_vectors:
        vectors = cached_word_vectors(
            list(train.texts) + list(unlabelled or []), dimensions=config.embedding_dim, seed=config.seed
        )
        embedding = model.get_layer("embedding")
        weights_in, found = embedding_weights(vectors, vectorizer.get_vocabulary(), embedding.get_weights()[0])
        embedding.set_weights([weights_in])
        print(f"Embedding: {found} of {vectorizer.vocabulary_size()} words start from word2vec", flush=True)
    model.compile(
        optimizer=keras.optimizers.Adam(config.learning_rate),
        loss="binary_crossentropy",
        metrics=["accuracy"],
    )
    model.summary(print_fn=lambda line, **_: print(line))
    run_dir.mkdir(parents=True, exist_ok=True)
    monitor = "val_accuracy"
    callbacks = []
    if choice_sets is not None and choice_sets.sst_dev is not None:
        monitor = "val_choice_score"
        callbacks.append(ChoiceScore(choice_sets))
    callbacks += [
        keras.callbacks.EarlyStopping(monitor=monitor, mode="max", patience=config.patience, restore_best_weights=True),
        keras.callbacks.ModelCheckpoint(
            run_dir / "best.weights.h5", monitor=monitor, mode="max", save_best_only=True, save_weights_only=True
        ),
    ]
    history = model.fit(
        length_bucketed(texts, fit_labels, config.batch_size, shuffle=True, seed=config.seed, weights=fit_weights),
        validation_data=length_bucketed(validation.texts, validation.labels, 256, shuffle=False, seed=config.seed),
        epochs=config.epochs,
        callbacks=callbacks,
        verbose=1 if sys.stdout.isatty() else 2,
    )
    model.load_weights(run_dir / "best.weights.h5")
    return TrainResult(model, {key: [float(v) for v in values] for key, values in history.history.items()})


def run(
    config: TrainConfig,
    *,
    data: str | None = None,
    extra_data: Path | None = None,
    artifacts_dir: Path = ARTIFACTS_DIR,
    dataset: ImdbDataset | None = None,
) -> Path:
    """Train `config.arch`, record validation metrics, and save the artifact; returns its folder."""
    if config.arch not in ARCHITECTURES:
        raise ValueError(f"Unknown architecture {config.arch!r}; choose from {', '.join(ARCHITECTURES)}.")
    set_seeds(config.seed)
    dataset = dataset or load_imdb(data, include_unsup=bool(config.teacher) or config.word_vectors)
    if config.validation_split not in ("film", "random"):
        raise ValueError(f"validation_split must be 'film' or 'random', not {config.validation_split!r}.")
    split = grouped_validation_split if config.validation_split == "film" else train_validation_split
    train, validation = split(dataset.train, validation_fraction=config.validation_fraction, seed=config.seed)
    if extra_data is not None:
        extra = read_extra_data(Path(extra_data))
        refuse_measurement_texts(extra.texts, str(extra_data))
        print(f"Adding {len(extra)} rows from {extra_data} to the training split", flush=True)
        train = concat(train, extra)
    print(f"{config.artifact_name}: {len(train)} training and {len(validation)} validation reviews", flush=True)
    started = time.perf_counter()
    choice_sets = ChoiceSets.load(
        validation,
        short_texts_and_edits=config.sst_weight > 0 or config.counterfactual_weight > 0 or bool(config.length_scales),
        templated=config.template_weight > 0 or bool(config.length_scales),
    )
    run_dir = artifacts_dir.parent / "runs" / config.artifact_name
    if config.arch == "ensemble":
        result = train_ensemble(config, train, validation, artifacts_dir, choice_sets)
    else:
        extras = extra_training_sets(config, train, validation, dataset, artifacts_dir)
        if config.arch == "nbsvm":
            result = train_nbsvm(config, train, validation, extras, choice_sets)
        else:
            result = train_neural(config, train, validation, run_dir, extras, choice_sets, dataset.unsup)
    model = result.model
    train_seconds = time.perf_counter() - started

    predictor = Predictor(model, {"name": config.artifact_name, "model_version": "candidate"}, run_dir)
    probabilities = predictor.predict_proba(validation.texts)
    val_accuracy = float(((probabilities >= 0.5) == validation.labels).mean())
    sentences = validation_sentences(validation)
    sentence_probabilities = predictor.predict_proba(sentences.texts)
    val_sentence_accuracy = float(((sentence_probabilities >= 0.5) == sentences.labels).mean())
    print(f"{config.artifact_name}: validation sentences ({len(sentences)}) accuracy {val_sentence_accuracy:.4f}")
    print(f"{config.artifact_name}: validation accuracy {val_accuracy:.4f} after {train_seconds:.0f} s", flush=True)
    if choice_sets.sst_dev is not None:
        choice_figures = choice_sets.figures(predictor.predict_proba(choice_sets.texts))
        print(f"{config.artifact_name}: {', '.join(f'{k} {v:.4f}' for k, v in choice_figures.items())}", flush=True)
    else:
        choice_figures = {}
    metrics = {
        **choice_figures,
        "val_accuracy": val_accuracy,
        "val_sentence_accuracy": val_sentence_accuracy,
        "val_sentences": len(sentences),
        "train_seconds": round(train_seconds, 1),
        "train_reviews": len(train),
        "validation_reviews": len(validation),
        "extra_data_rows": len(train) - (len(dataset.train) - len(validation)),
        "dataset_sha256": dataset.sha256,
        "history": result.history,
    }
    config_dict = {**config.to_dict(), "name": config.artifact_name, **result.references}
    return save_artifact(artifacts_dir / config.artifact_name, result.saved_model, config_dict, metrics)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--arch", required=True, choices=ARCHITECTURES)
    parser.add_argument("--name", help="artifact folder name (default: the architecture; 'default' for the ensemble)")
    parser.add_argument("--data", help="IMDB archive or folder (default: $IMDB_DATA, the cache, or download)")
    parser.add_argument(
        "--extra-data", type=Path, help="CSV of text,label rows added to training (never to the test set)"
    )
    parser.add_argument("--out", type=Path, default=ARTIFACTS_DIR, help="artifacts folder")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", help="override a TrainConfig field")
    args = parser.parse_args(argv)
    try:
        config = DEFAULTS[args.arch].with_overrides(args.set)
        if args.name:
            config = config.replace(name=args.name)
        directory = run(config, data=args.data, extra_data=args.extra_data, artifacts_dir=args.out)
    except (DatasetError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(json.dumps({"artifact": str(directory)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
