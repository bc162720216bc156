"""Bulk jobs: classify a whole CSV or JSONL file in chunks, on task workers that scale out."""
