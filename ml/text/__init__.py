"""Text handling: the one normalisation (TensorFlow ops the models carry), sentence splitting, word keys."""
