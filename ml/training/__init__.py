"""Training: fit an architecture (`python -m ml.training`), calibrate it, choose its mixed-verdict threshold."""
