"""The architectures, each `build_model(config, vectorizer) -> keras.Model` taking raw strings."""

from ml.models import cnn, rcnn, rnn

NEURAL_MODELS = {"rnn": rnn.build_model, "cnn": cnn.build_model, "rcnn": rcnn.build_model}
ARCHITECTURES = (*NEURAL_MODELS, "nbsvm", "ensemble")
