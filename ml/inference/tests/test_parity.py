"""Train/serve parity: a raw review scores the same through training code and through the site."""

import numpy as np
import pytest

from ml.testing import TINY_CONFIG, synthetic_split

pytestmark = pytest.mark.slow  # every test trains a network

REVIEWS = ["<b>Brilliant</b> film, I LOVED it!!", "An awful,   boring waste.<br /><br />Dreadful.", "The plot."]


@pytest.fixture
def trained(tmp_path):
    """A model as training leaves it in memory, and the artifact it saved."""
    import keras

    from ml.data import ImdbDataset
    from ml.training import fit as train

    dataset = ImdbDataset(
        train=synthetic_split(300, seed=1), test=synthetic_split(20, seed=2), unsup=None, source=tmp_path, sha256=None
    )
    directory = train.run(TINY_CONFIG.replace(epochs=2), artifacts_dir=tmp_path / "artifacts", dataset=dataset)
    model = keras.saving.load_model(directory / "model.keras")  # the file training wrote
    return model, directory


def test_training_model_and_site_agree(trained, settings):
    from classifier import registry

    model, directory = trained
    in_training = model.predict(np.asarray(REVIEWS, dtype=object), verbose=0).reshape(-1)
    settings.SENTIMENT_MODEL_DIR = directory
    registry.reset()
    try:
        through_site = [prediction.score for prediction in registry.predict(REVIEWS)]
    finally:
        registry.reset()
    np.testing.assert_allclose(through_site, in_training, atol=1e-6)


def test_the_site_applies_the_training_normalisation(trained, settings):
    """The raw text and its normalised form are the same input to the model."""
    from ml.inference.predictor import load_predictor
    from ml.text.preprocessing import normalize

    _, directory = trained
    predictor = load_predictor(directory)
    np.testing.assert_allclose(predictor.predict_proba(REVIEWS), predictor.predict_proba(normalize(REVIEWS)), atol=1e-6)
