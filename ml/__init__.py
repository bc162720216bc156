"""The model side of sentisite (no Django imports): one subpackage per stage, in the order data flows.

    text         normalisation (TensorFlow ops baked into every model), sentences, word keys
    data         the IMDB archive and its film-grouped split, SST-2 phrases, counterfactual pairs;
                 the public sentence sets (measurement only)              python -m ml.data.imdb
    models       the architectures: cnn, rnn, rcnn (Keras), nbsvm (n-grams), their layers
    training     fit, stack, calibrate, choose the mixed threshold        python -m ml.training.fit --arch cnn
                                                                          python -m ml.training.calibrate DIR...
                                                                          python -m ml.training.thresholds DIR...
    inference    what the site loads: the artifact, calibration, verdict rules, word coverage
    explanation  which words pushed a verdict
    evaluation   the 25k test set (read here only), sentence sets, CheckList suite, explanation checks
                                                                          python -m ml.evaluation.evaluate DIR...
    reporting    results/RESULTS.md and the Insights figures               python -m ml.reporting.report
    exploration  the corpus study behind the preprocessing choices        python -m ml.exploration

`artifacts/` holds the shipped models, `results/` every generated result; `ml/train_all.sh` runs the
stages in order. The site imports `ml.inference` and `ml.text` only (import-linter, `make check`).
"""
