"""Evaluation: the test set (read here only), the public sentence sets, the behaviour suite, explanations."""
