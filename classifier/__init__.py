"""Serves the exported sentiment model: a lazy, thread-safe, per-process service."""
