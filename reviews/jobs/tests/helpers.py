"""Helpers of the job tests: uploads built in memory, and the queued tasks run in-process as a worker would."""

import csv
import io
import json
from unittest import mock

from django.core.files.uploadedfile import SimpleUploadedFile
from django_tasks_db.management.commands.db_worker import Worker

from ml.testing import NEGATIVE_WORDS, NEUTRAL_WORDS, POSITIVE_WORDS


def review(number: int) -> str:
    """A short review the tiny model reads: positive for even numbers, negative for odd ones."""
    words = POSITIVE_WORDS if number % 2 == 0 else NEGATIVE_WORDS
    return f"the {NEUTRAL_WORDS[number % len(NEUTRAL_WORDS)]} was {words[number % len(words)]} #{number}"


def csv_bytes(rows: list[list[str]], header: list[str] = ("id", "text")) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def csv_upload(count: int, name: str = "reviews.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, csv_bytes([[str(i), review(i)] for i in range(count)]), "text/csv")


def jsonl_upload(objects: list, name: str = "reviews.jsonl") -> SimpleUploadedFile:
    lines = [obj if isinstance(obj, str) else json.dumps(obj) for obj in objects]
    return SimpleUploadedFile(name, ("\n".join(lines) + "\n").encode("utf-8"), "application/jsonl")


def run_worker() -> None:
    """Run every task that is ready (not the timers), then return: django-tasks-db's worker in batch mode.

    Its close_old_connections() would close the connection that holds the test's transaction (PostgreSQL).
    """
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None):
        _run_worker()


def _run_worker() -> None:
    Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    ).run()


def results(job) -> list[dict]:
    from django.core.files.storage import default_storage

    with default_storage.open(job.results_name, "rb") as stored:
        return list(csv.DictReader(io.TextIOWrapper(stored, encoding="utf-8", newline="")))
