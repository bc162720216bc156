"""Serving benchmarks: `python -m bench` prints one table of latency, throughput, start-up and memory."""
