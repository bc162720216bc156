"""The architectures: networks built by `build_model(config, vectorizer) -> keras.Model` (cnn, rnn, rcnn and
reader, the sentence network), the n-gram model fit by scikit-learn (nbsvm) and the stacked ensemble
(ensemble); all take raw strings."""

from ml.models import cnn, rcnn, reader, rnn

NEURAL_MODELS = {
    "rnn": rnn.build_model,
    "cnn": cnn.build_model,
    "rcnn": rcnn.build_model,
    "reader": reader.build_model,
}
ARCHITECTURES = (*NEURAL_MODELS, "nbsvm", "ensemble")
