"""The n-gram model (NBSVM): fit by scikit-learn, served as a Keras model that takes raw strings."""

from __future__ import annotations

import keras
import numpy as np

from ml.config import TrainConfig
from ml.data import Split
from ml.models.layers import SublinearTfidf
from ml.models.result import TrainResult
from ml.text.preprocessing import STANDARDIZERS, normalize


def train_nbsvm(
    config: TrainConfig, train: Split, validation: Split, extras: list[tuple[Split, float]] = (), choice_sets=None
) -> TrainResult:
    """Wang & Manning (2012) NBSVM as a Keras model: 1..n-grams from the same normalisation, weighted
    by presence or by sublinear tf-idf, naive-Bayes log-count ratios as feature scales, logistic
    regression fit by liblinear, C chosen on validation, then folded into one sparse Dense layer.
    With `rating_head`, a ridge regression of the star rating joins it, stacked on validation.
    Each extra set (teacher-labelled reviews, training spans) joins the fit twice, as positive with
    weight w*p and as negative with weight w*(1 - p), for its label p and its set's weight w.
    With `choice_sets` (ml.training.choosing.ChoiceSets), C maximises their score (reviews, short texts
    and edit pairs alike) among the Cs within half a point of the best review accuracy."""
    import scipy.sparse
    from sklearn.feature_extraction.text import CountVectorizer
    from sklearn.linear_model import LogisticRegression

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
    x_plain = features(choice_sets.texts) if choice_sets is not None else None  # the choice sets' features
    x_choice = x_plain.multiply(ratio).tocsr() if x_plain is not None else None
    best = None
    history = {}
    fitted, figures = {}, {}
    for c in config.ngram_C:
        classifier = LogisticRegression(C=c, solver="liblinear", max_iter=1000)
        classifier.fit(x_train.multiply(ratio).tocsr(), y, sample_weight=weights)
        accuracy = float((classifier.predict(x_validation.multiply(ratio).tocsr()) == validation.labels).mean())
        history[f"val_accuracy_C={c}"] = accuracy
        fitted[c] = classifier
        if choice_sets is not None:
            figures[c] = choice_sets.figures(classifier.predict_proba(x_choice)[:, 1])
            history[f"choice_figures_C={c}"] = figures[c]
            print(f"nbsvm C={c}: {', '.join(f'{k} {v:.4f}' for k, v in figures[c].items())}", flush=True)
        print(f"nbsvm C={c}: validation accuracy {accuracy:.4f}", flush=True)
        if best is None or accuracy > best[0]:
            best = (accuracy, c)
    c = best[1] if choice_sets is None else choice_sets.best(fitted, figures)
    classifier = fitted[c]
    history["chosen_C"] = c
    kernel = classifier.coef_.ravel() * ratio
    bias = float(classifier.intercept_[0])
    if config.rating_head:
        stacked_kernel, stacked_bias = _with_rating_head(
            config, kernel, bias, x_labelled, train.ratings, x_validation, validation, history
        )
        if choice_sets is None:
            kernel, bias = stacked_kernel, stacked_bias
        else:
            # The rating regression learns from whole reviews only, so it can undo what phrases and edits
            # taught ("bad" weighs on in "not bad"): it joins only if the choice sets say so.
            stacked = choice_sets.figures(1 / (1 + np.exp(-(x_plain @ stacked_kernel + stacked_bias))))
            options = {"without": figures[c], "with": stacked}
            kept = choice_sets.best(options, options)
            history["rating_head"].update({"choice_figures": stacked, "kept": kept == "with"})
            print(f"rating head: {', '.join(f'{k} {v:.4f}' for k, v in stacked.items())}; kept: {kept}", flush=True)
            if kept == "with":
                kernel, bias = stacked_kernel, stacked_bias
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
    return TrainResult(model, history)


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
