"""Reporting: ml/results/RESULTS.md and its figures, from what evaluation recorded (`python -m ml.reporting`)."""
