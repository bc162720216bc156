"""Processing in-process: chunks, results in input order, bad rows, a lost claim, retries, cancellation."""

from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone

from reviews.jobs import processing, services, tasks
from reviews.jobs.models import Chunk, Job, JobStatus

from .helpers import csv_bytes, csv_upload, jsonl_upload, results, review, run_worker

pytestmark = pytest.mark.django_db


def test_a_job_is_cut_into_chunks_and_queued(user, served_model):
    job = services.job_create(user=user, upload=csv_upload(25))
    assert job.status == JobStatus.QUEUED and job.total == 25
    chunks = list(job.chunks.order_by("index"))
    assert [(c.first_row, c.rows) for c in chunks] == [(0, 10), (10, 10), (20, 5)]
    assert all(c.task_id for c in chunks)
    assert default_storage.exists(job.input_name)


def test_results_hold_every_row_once_in_input_order(user, served_model):
    job = services.job_create(user=user, upload=csv_upload(25))
    run_worker()
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.processed == 25 and job.errors == 0
    assert job.finished_at is not None and job.model_version
    rows = results(job)
    assert [row["id"] for row in rows] == [str(i) for i in range(25)]
    assert [row["text"] for row in rows] == [review(i) for i in range(25)]
    assert list(rows[0]) == ["id", "text", "sentiment", "score", "model_version", "error", "confidence", "warnings"]
    assert all(row["confidence"] in {"high", "medium", "low", "none"} for row in rows)
    assert job.positive + job.negative == 25
    assert job.positive == sum(row["sentiment"] == "positive" for row in rows)
    assert all(0 <= float(row["score"]) <= 1 and row["model_version"] == job.model_version for row in rows)
    # Only the results remain: the upload and the parts are gone.
    assert default_storage.listdir(job.storage_folder)[1] == [job.results_name.rsplit("/", 1)[1]]
    assert default_storage.listdir(f"{job.storage_folder}/parts")[1] == []


def test_bad_rows_are_recorded_with_an_error_and_never_fail_the_job(user, served_model, settings):
    settings.REVIEW_MAX_CHARS = 50
    rows = [["1", review(1)], ["2", ""], ["3", "   "], ["4", "x" * 51], ["5", "nul \x00 here"], ["6", review(6)], ["7"]]
    job = services.job_create(user=user, upload=csv_upload_from(rows))
    run_worker()
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.processed == 7 and job.errors == 5
    got = {row["id"]: row for row in results(job)}
    assert got["2"]["error"] == got["3"]["error"] == got["7"]["error"] == "empty text"
    assert got["4"]["error"] == "text longer than 50 characters"
    assert got["5"]["error"] == "text contains a NUL character"
    for good in ("1", "6"):
        assert got[good]["error"] == "" and got[good]["sentiment"] in {"positive", "negative"}
    assert got["2"]["sentiment"] == got["2"]["score"] == got["2"]["confidence"] == got["2"]["warnings"] == ""


def csv_upload_from(rows):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("bad.csv", csv_bytes(rows), "text/csv")


def test_jsonl_bad_lines_are_rows_with_an_error(user, served_model):
    objects = [
        {"text": review(0), "n": 1},
        "not json",
        "[1, 2]",
        {"text": 5},
        {"other": "x"},
        {"text": review(2), "n": {"a": 1}},
    ]
    job = services.job_create(user=user, upload=jsonl_upload(objects))
    run_worker()
    job.refresh_from_db()
    rows = results(job)
    assert [row["error"] for row in rows] == [
        "",
        "not valid JSON",
        "not a JSON object",
        "'text' is not a string",
        "empty text",
        "",
    ]
    assert rows[5]["n"] == '{"a": 1}' and rows[0]["sentiment"]


def test_a_worker_that_lost_its_claim_cannot_count_its_chunk(user, served_model):
    job = services.job_create(user=user, upload=csv_upload(10))
    chunk = job.chunks.get()
    first = processing._claim(chunk.pk)
    assert first is not None and processing._claim(chunk.pk) is None  # held by the first claim
    Chunk.objects.filter(pk=chunk.pk).update(lease_until=timezone.now() - timedelta(seconds=1))  # it "died"
    assert tasks.process_chunk.call(chunk.pk)  # a second worker takes over
    stale_part, counts = processing._classify(job, first[0])  # the first one wakes up and writes its part...
    assert not processing._finish(job, first[0], stale_part, counts)  # ...but its claim no longer holds
    assert not default_storage.exists(stale_part)  # and its part is gone
    run_worker()
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.processed == 10 and len(results(job)) == 10


def test_an_expired_claim_is_queued_again_by_the_sweep(user, served_model):
    job = services.job_create(user=user, upload=csv_upload(20))
    chunk = job.chunks.get(index=0)
    assert processing._claim(chunk.pk) is not None  # a worker claims it and dies
    Chunk.objects.filter(pk=chunk.pk).update(lease_until=timezone.now() - timedelta(seconds=1))
    run_worker()  # chunk 1 finishes and sweeps: chunk 0 is queued again and done
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and [row["id"] for row in results(job)] == [str(i) for i in range(20)]
    assert job.chunks.get(index=0).attempts == 2


def test_a_chunk_that_keeps_failing_fails_the_job(
    user, served_model, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.JOBS_MAX_ATTEMPTS = 2
    job = services.job_create(user=user, upload=csv_upload(10))

    def broken(*args, **kwargs):
        raise OSError("disk on fire")

    monkeypatch.setattr(processing, "_classify", broken)
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            run_worker()
            tasks.sweep_job(job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and "failed 2 times" in job.error
    assert not default_storage.exists(job.input_name)


def test_cancel_a_queued_job_then_delete_it(user, served_model):
    job = services.job_create(user=user, upload=csv_upload(20))
    cancelled = services.job_cancel_or_delete(user=user, job_id=job.pk)
    assert cancelled.status == JobStatus.CANCELLED and cancelled.finished_at
    assert not default_storage.exists(job.input_name)
    run_worker()  # its queued tasks find nothing to do
    assert Job.objects.get(pk=job.pk).processed == 0
    assert services.job_cancel_or_delete(user=user, job_id=job.pk) is None
    assert not Job.objects.filter(pk=job.pk).exists()


def test_another_users_job_cannot_be_cancelled(user, other_user, served_model):
    job = services.job_create(user=user, upload=csv_upload(5))
    with pytest.raises(Job.DoesNotExist):
        services.job_cancel_or_delete(user=other_user, job_id=job.pk)
