"""Train one architecture on the IMDB training split and save a self-describing artifact.

    python -m ml.train --arch cnn [--data PATH] [--set epochs=3 --set dropout=0.4] [--extra-data F.csv]

Early stopping, the best checkpoint and every choice use a validation split carved from the 25k
training reviews; the test set is read only by `python -m ml.evaluate`.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from pathlib import Path

import numpy as np

from ml.artifacts import ARTIFACTS_DIR, load_model, save_artifact
from ml.config import DEFAULTS, TrainConfig
from ml.data import DatasetError, ImdbDataset, Split, grouped_validation_split, load_imdb, train_validation_split
from ml.models import ARCHITECTURES, NEURAL_MODELS
from ml.spans import training_spans, validation_sentences


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

    from ml.preprocessing import normalize

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
    from ml.artifacts import load_predictor
    from ml.evaluate import predict_in_batches

    teacher = load_predictor(artifacts_dir / config.teacher)
    soft = predict_in_batches(teacher, unlabelled)
    print(
        f"Teacher {teacher.model_version} labelled {len(unlabelled)} unlabelled reviews ({(soft >= 0.5).mean():.1%} positive)",
        flush=True,
    )
    return Split(list(unlabelled), soft.astype(np.float32), np.zeros(len(unlabelled), dtype=np.int32))


def extra_training_sets(config: TrainConfig, train: Split, dataset: ImdbDataset, artifacts_dir: Path):
    """(texts, weight) sets that join the labelled reviews: the teacher-labelled unlabelled reviews, and
    sentences cut from the training reviews (ml.spans) with `span_weight`."""
    extras = []
    if config.teacher:
        extras.append((teacher_labelled(config, dataset.unsup, artifacts_dir), 1.0))
    if config.span_weight > 0:
        spans = training_spans(train)
        print(f"Adding {len(spans)} training sentences with weight {config.span_weight}", flush=True)
        extras.append((spans, config.span_weight))
    return extras


def train_neural(
    config: TrainConfig, train: Split, validation: Split, run_dir: Path, extras: list[tuple[Split, float]] = ()
):
    import keras

    from ml.preprocessing import build_vectorizer

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
    model.compile(
        optimizer=keras.optimizers.Adam(config.learning_rate),
        loss="binary_crossentropy",
        metrics=["accuracy"],
    )
    model.summary(print_fn=lambda line, **_: print(line))
    run_dir.mkdir(parents=True, exist_ok=True)
    callbacks = [
        keras.callbacks.EarlyStopping(monitor="val_accuracy", patience=config.patience, restore_best_weights=True),
        keras.callbacks.ModelCheckpoint(
            run_dir / "best.weights.h5", monitor="val_accuracy", save_best_only=True, save_weights_only=True
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
    return model, {key: [float(v) for v in values] for key, values in history.history.items()}


def train_nbsvm(config: TrainConfig, train: Split, validation: Split, extras: list[tuple[Split, float]] = ()):
    """Wang & Manning (2012) NBSVM as a Keras model: 1..n-grams from the same normalisation, weighted
    by presence or by sublinear tf-idf, naive-Bayes log-count ratios as feature scales, logistic
    regression fit by liblinear, C chosen on validation, then folded into one sparse Dense layer.
    With `rating_head`, a ridge regression of the star rating joins it, stacked on validation.
    Each extra set (teacher-labelled reviews, training spans) joins the fit twice, as positive with
    weight w*p and as negative with weight w*(1 - p), for its label p and its set's weight w."""
    import keras
    import scipy.sparse
    from sklearn.feature_extraction.text import CountVectorizer
    from sklearn.linear_model import LogisticRegression

    from ml.models.layers import SublinearTfidf
    from ml.preprocessing import STANDARDIZERS, normalize

    if config.ngram_weighting not in {"binary", "tfidf"}:
        raise ValueError(f"ngram_weighting must be binary or tfidf, got {config.ngram_weighting!r}.")
    tfidf = config.ngram_weighting == "tfidf"
    normalized = normalize(train.texts, remove_stopwords=config.remove_stopwords)
    counter = CountVectorizer(
        tokenizer=str.split,
        token_pattern=None,
        lowercase=False,
        ngram_range=(1, config.ngram_max),
        min_df=config.ngram_min_count,
        max_features=config.ngram_vocabulary,
        binary=True,
        dtype=np.float32,
    )
    counter.fit(normalized)
    vocabulary = sorted(counter.vocabulary_, key=counter.vocabulary_.get)
    vectorizer = keras.layers.TextVectorization(
        standardize=STANDARDIZERS[config.remove_stopwords],
        split="whitespace",
        ngrams=config.ngram_max,
        output_mode="count" if tfidf else "multi_hot",
        sparse=True,
        vocabulary=vocabulary,
        name="vectorizer",
    )

    def vectorized(texts: list[str]):
        parts = []
        for start in range(0, len(texts), 2048):
            sparse = vectorizer(np.asarray(texts[start : start + 2048], dtype=object))
            parts.append(
                scipy.sparse.csr_matrix(
                    (sparse.values.numpy(), sparse.indices.numpy().T), shape=sparse.dense_shape.numpy()
                )
            )
        return scipy.sparse.vstack(parts).tocsr()

    counts_train = vectorized(train.texts)
    if tfidf:
        from sklearn.feature_extraction.text import TfidfTransformer

        # scikit-learn's smoothed idf (from the labelled training reviews) and sublinear tf, rows of unit
        # length: the arithmetic the SublinearTfidf layer serves. [UNK] (index 0) gets idf 0.
        tfidf_weighting = TfidfTransformer(sublinear_tf=True).fit(counts_train)
        idf = tfidf_weighting.idf_.copy()
        idf[0] = 0.0
        tfidf_weighting.idf_ = idf
        x_train = tfidf_weighting.transform(counts_train)

        def features(texts: list[str]):
            return tfidf_weighting.transform(vectorized(texts))
    else:
        x_train, features = counts_train, vectorized
    x_validation = features(validation.texts)
    x_labelled = x_train
    y = train.labels
    weights = np.ones(len(y), dtype=np.float64)
    for extra, weight in extras:
        x_extra = features(extra.texts)
        x_train = scipy.sparse.vstack([x_train, x_extra, x_extra]).tocsr()
        y = np.concatenate([y, np.ones(len(extra), dtype=y.dtype), np.zeros(len(extra), dtype=y.dtype)])
        weights = np.concatenate([weights, weight * extra.labels, weight * (1 - extra.labels)])
    present = x_train.copy()
    present.data[:] = 1.0
    alpha = 1.0
    p = alpha + np.asarray(present[y == 1].multiply(weights[y == 1][:, None]).sum(axis=0)).ravel()
    q = alpha + np.asarray(present[y == 0].multiply(weights[y == 0][:, None]).sum(axis=0)).ravel()
    ratio = np.log((p / p.sum()) / (q / q.sum())).astype(np.float32)
    ratio[0] = 0.0  # index 0 is [UNK]: every review has unseen n-grams; they carry no signal
    best = None
    history = {}
    for c in config.ngram_C:
        classifier = LogisticRegression(C=c, solver="liblinear", max_iter=1000)
        classifier.fit(x_train.multiply(ratio).tocsr(), y, sample_weight=weights)
        accuracy = float((classifier.predict(x_validation.multiply(ratio).tocsr()) == validation.labels).mean())
        history[f"val_accuracy_C={c}"] = accuracy
        print(f"nbsvm C={c}: validation accuracy {accuracy:.4f}", flush=True)
        if best is None or accuracy > best[0]:
            best = (accuracy, c, classifier)
    _, c, classifier = best
    history["chosen_C"] = c
    kernel = classifier.coef_.ravel() * ratio
    bias = float(classifier.intercept_[0])
    if config.rating_head:
        kernel, bias = _with_rating_head(
            config, kernel, bias, x_labelled, train.ratings, x_validation, validation, history
        )
    texts = keras.Input(shape=(), dtype="string", name="text")
    ngrams = vectorizer(texts)
    if tfidf:
        layer = SublinearTfidf(vectorizer.vocabulary_size(), name="tfidf")
        ngrams = layer(ngrams)
        layer.set_weights([idf.astype(np.float32)])
    dense = keras.layers.Dense(1, activation="sigmoid", name="positive")
    outputs = dense(ngrams)
    model = keras.Model(texts, outputs, name="nbsvm")
    dense.set_weights([kernel.reshape(-1, 1).astype(np.float32), np.array([bias], dtype=np.float32)])
    return model, history


def _with_rating_head(config, kernel, bias, x_train, ratings, x_validation, validation: Split, history: dict):
    """Fit a ridge regression of the star rating (centred on 5.5) on the labelled training reviews,
    stack its score with the classifier's log-odds by logistic regression on validation, and fold
    the two linear models into one (kernel, bias). The rating says how strongly a review leans, which
    the labels alone do not."""
    from sklearn.linear_model import LogisticRegression, Ridge

    rated = ratings > 0  # teacher-labelled or extra rows have no rating
    ridge = Ridge(alpha=config.rating_alpha, solver="sparse_cg", random_state=config.seed)
    ridge.fit(x_train[rated], ratings[rated] - 5.5)
    scores = np.stack([x_validation @ kernel + bias, ridge.predict(x_validation)], axis=1)
    stacker = LogisticRegression(C=1.0).fit(scores, validation.labels)
    (a_classifier, a_ridge), c = stacker.coef_.ravel(), float(stacker.intercept_[0])
    history["rating_head"] = {
        "val_accuracy_rating_alone": float(((scores[:, 1] > 0) == validation.labels).mean()),
        "weights": [float(a_classifier), float(a_ridge)],
    }
    print(
        f"rating head: validation accuracy alone {history['rating_head']['val_accuracy_rating_alone']:.4f}", flush=True
    )
    return (
        a_classifier * kernel + a_ridge * ridge.coef_.ravel(),
        a_classifier * bias + a_ridge * float(ridge.intercept_) + c,
    )


def train_ensemble(config: TrainConfig, train: Split, validation: Split, artifacts_dir: Path):
    """Stack the members' logits with weights fit by logistic regression on the validation split."""
    import keras
    from sklearn.linear_model import LogisticRegression

    from ml.artifacts import Predictor
    from ml.models.common import logit_model, stacked_model
    from ml.models.layers import LogitStack

    members = []
    logits = []
    references_of = {}
    for name in config.members:
        model, manifest = load_model(artifacts_dir / name)
        references_of[name] = {key: manifest[key] for key in ("model_sha256", "model_version")}
        member = logit_model(model, name=name)  # unique layer names inside the ensemble
        member_logits = Predictor(model, manifest, artifacts_dir / name).predict_logits(validation.texts)
        logits.append(member_logits)
        members.append(member)
        print(
            f"member {name}: validation accuracy {((member_logits >= 0) == validation.labels).mean():.4f}", flush=True
        )
    features = np.stack(logits, axis=1)
    subsets = _subset_accuracies(config.members, features, validation.labels)
    stacker = LogisticRegression(C=1.0).fit(features, validation.labels)
    # What is saved is only the stacking head; the members stay in their own artifact folders and are
    # joined to it when it loads (ml.artifacts.load_model), each checked against the sha256 recorded here.
    stack = LogitStack(stacker.coef_.ravel().tolist(), float(stacker.intercept_[0]), name="logit_stack")
    member_logits = keras.Input(shape=(len(members),), name="member_logits")
    head = keras.Model(
        member_logits, keras.layers.Activation("sigmoid", name="positive")(stack(member_logits)), name="ensemble"
    )
    model = stacked_model(stack, members, name="ensemble")
    references = {"member_artifacts": [{"name": name, **references_of[name]} for name in config.members]}
    history = {
        "member_weights": dict(zip(config.members, stacker.coef_.ravel().tolist(), strict=False)),
        "bias": float(stacker.intercept_[0]),
        "subset_cv_accuracy": subsets,
    }
    return model, history, head, references


def _subset_accuracies(names: tuple[str, ...], features: np.ndarray, labels: np.ndarray) -> dict[str, float]:
    """5-fold cross-validated accuracy, on the validation split, of stacking each subset of the members:
    the evidence for choosing which members an ensemble needs (the stacker is fit on that split, so its
    plain accuracy there would flatter it)."""
    from itertools import combinations

    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold, cross_val_score

    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)
    results = {}
    for size in range(1, len(names) + 1):
        for subset in combinations(range(len(names)), size):
            scores = cross_val_score(LogisticRegression(C=1.0), features[:, subset], labels, cv=folds)
            key = "+".join(names[i] for i in subset)
            results[key] = round(float(scores.mean()), 4)
            print(f"stacking {key}: cross-validated validation accuracy {results[key]:.4f}", flush=True)
    return results


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
    dataset = dataset or load_imdb(data, include_unsup=bool(config.teacher))
    if config.validation_split not in ("film", "random"):
        raise ValueError(f"validation_split must be 'film' or 'random', not {config.validation_split!r}.")
    split = grouped_validation_split if config.validation_split == "film" else train_validation_split
    train, validation = split(dataset.train, validation_fraction=config.validation_fraction, seed=config.seed)
    if extra_data is not None:
        extra = read_extra_data(Path(extra_data))
        print(f"Adding {len(extra)} rows from {extra_data} to the training split", flush=True)
        train = concat(train, extra)
    print(f"{config.artifact_name}: {len(train)} training and {len(validation)} validation reviews", flush=True)
    started = time.perf_counter()
    run_dir = artifacts_dir.parent / "runs" / config.artifact_name
    saved, references = None, {}
    if config.arch in NEURAL_MODELS or config.arch == "nbsvm":
        extras = extra_training_sets(config, train, dataset, artifacts_dir)
        if config.arch == "nbsvm":
            model, history = train_nbsvm(config, train, validation, extras)
        else:
            model, history = train_neural(config, train, validation, run_dir, extras)
    else:
        model, history, saved, references = train_ensemble(config, train, validation, artifacts_dir)
    train_seconds = time.perf_counter() - started
    from ml.artifacts import Predictor

    probabilities = Predictor(
        model, {"name": config.artifact_name, "model_version": "candidate"}, run_dir
    ).predict_proba(validation.texts)
    val_accuracy = float(((probabilities >= 0.5) == validation.labels).mean())
    sentences = validation_sentences(validation)
    sentence_probabilities = Predictor(
        model, {"name": config.artifact_name, "model_version": "candidate"}, run_dir
    ).predict_proba(sentences.texts)
    val_sentence_accuracy = float(((sentence_probabilities >= 0.5) == sentences.labels).mean())
    print(f"{config.artifact_name}: validation sentences ({len(sentences)}) accuracy {val_sentence_accuracy:.4f}")
    print(f"{config.artifact_name}: validation accuracy {val_accuracy:.4f} after {train_seconds:.0f} s", flush=True)
    metrics = {
        "val_accuracy": val_accuracy,
        "val_sentence_accuracy": val_sentence_accuracy,
        "val_sentences": len(sentences),
        "train_seconds": round(train_seconds, 1),
        "train_reviews": len(train),
        "validation_reviews": len(validation),
        "extra_data_rows": len(train) - (len(dataset.train) - len(validation)),
        "dataset_sha256": dataset.sha256,
        "history": history,
    }
    config_dict = {**config.to_dict(), "name": config.artifact_name, **references}
    return save_artifact(artifacts_dir / config.artifact_name, saved or model, config_dict, metrics)


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
