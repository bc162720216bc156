"""Running a job: claim a chunk under a lease, classify it in one model call, write its part, and finalise.

Exactly once, whatever workers die: a chunk is claimed by a conditional UPDATE that bumps `attempts`; the
part it writes is named after that attempt; and it is marked done, with the job's counts, in one
transaction that only succeeds if the claim still holds. A claim whose worker died expires and the
chunk is queued again (by the sweep in tasks.py, which runs when a chunk finishes, when the job is polled,
and on a timer). Finalising joins the done parts, in chunk order, into the results file under a token of
its own. Nothing here queues a task: tasks.py does, and calls this module.
"""

from __future__ import annotations

import csv
import io
import logging
import os
import socket
from datetime import timedelta

from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from classifier import registry
from reviews.spreadsheets import csv_safe

from . import files
from .models import ACTIVE_STATUSES, Chunk, ChunkStatus, Job, JobStatus

logger = logging.getLogger(__name__)

# confidence and warnings came later: at the end, so that a reader of the first four columns by position still works.
OUTPUT_COLUMNS = ["sentiment", "score", "model_version", "error", "confidence", "warnings"]
WARNINGS_SEPARATOR = ";"  # several codes in one cell: "no_known_words;very_short"
WORKER = f"{socket.gethostname()}:{os.getpid()}"[:100]


def lease() -> timedelta:
    return timedelta(seconds=settings.JOBS_CHUNK_LEASE_SECONDS)


# --- one chunk -------------------------------------------------------------------------------------------------


def process_chunk(chunk_id: int) -> Job | None:
    """Claim a chunk (if it is free), classify it and mark it done: its job, or None when there was nothing to do."""
    claimed = _claim(chunk_id)
    if claimed is None:
        return None
    chunk, job = claimed
    try:
        part_name, counts = _classify(job, chunk)
    except BaseException:
        # Give the chunk back at once (another try, up to JOBS_MAX_ATTEMPTS), then let the task fail.
        Chunk.objects.filter(pk=chunk.pk, status=ChunkStatus.RUNNING, attempts=chunk.attempts).update(
            lease_until=timezone.now()
        )
        raise
    return job if _finish(job, chunk, part_name, counts) else None


def _finish(job: Job, chunk: Chunk, part_name: str, counts: dict[str, int]) -> bool:
    """Mark the chunk done and add its counts to the job, only while this claim still holds."""
    with transaction.atomic():
        done = Chunk.objects.filter(
            pk=chunk.pk, status=ChunkStatus.RUNNING, attempts=chunk.attempts, job__status__in=ACTIVE_STATUSES
        ).update(status=ChunkStatus.DONE, lease_until=None, part_name=part_name, **counts)
        if done:
            Job.objects.filter(pk=job.pk).update(
                processed=F("processed") + chunk.rows,
                **{name: F(name) + value for name, value in counts.items()},
            )
    if not done:
        # Our claim expired and another worker took the chunk, or the job was cancelled: this part never counts.
        default_storage.delete(part_name)
    return bool(done)


def _claim(chunk_id: int) -> tuple[Chunk, Job] | None:
    now = timezone.now()
    with transaction.atomic():
        claimed = (
            Chunk.objects.filter(pk=chunk_id, job__status__in=ACTIVE_STATUSES)
            .filter(Q(status=ChunkStatus.PENDING) | Q(status=ChunkStatus.RUNNING, lease_until__lt=now))
            .update(status=ChunkStatus.RUNNING, lease_until=now + lease(), attempts=F("attempts") + 1, worker=WORKER)
        )
        if not claimed:
            return None
        chunk = Chunk.objects.select_related("job").get(pk=chunk_id)
        job = chunk.job
        if chunk.attempts > settings.JOBS_MAX_ATTEMPTS:
            _fail(
                job,
                f"Rows {chunk.first_row + 1:,} to {chunk.first_row + chunk.rows:,} failed {settings.JOBS_MAX_ATTEMPTS} times.",
            )
            return None
        if job.status == JobStatus.QUEUED:
            Job.objects.filter(pk=job.pk, status=JobStatus.QUEUED).update(status=JobStatus.RUNNING, started_at=now)
    return chunk, job


def _classify(job: Job, chunk: Chunk) -> tuple[str, dict[str, int]]:
    """Read the chunk's rows from the stored upload, classify them in one call, and store the part."""
    with default_storage.open(job.input_name, "rb") as stored:
        rows = list(files.read_chunk(stored, job, column=job.column, start=chunk.start, end=chunk.end))
    if len(rows) != chunk.rows:
        raise RuntimeError(f"chunk {chunk.index} of job {job.pk}: read {len(rows)} rows, expected {chunk.rows}")
    texts = [row.text for row in rows if row.error == ""]
    # The chunk's one model call; a worker holds no request thread, so it waits for another model's load.
    predictions = iter(registry.predict(texts, model=job.model, wait=True))
    counts = {"errors": 0, "positive": 0, "negative": 0}
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    model_version = ""
    for row in rows:
        if row.error:
            counts["errors"] += 1
            verdict = ["", "", "", row.error, "", ""]
        else:
            prediction = next(predictions)
            model_version = prediction.model_version
            counts[prediction.label] += 1
            verdict = [
                prediction.label,
                f"{prediction.score:.6f}",
                prediction.model_version,
                "",
                prediction.confidence,
                WARNINGS_SEPARATOR.join(prediction.warnings),
            ]
        # The input cells as files.read_chunk wrote them: as they came where safe (re-quoting costs as much as
        # the model), formulas defused, and within twice the record's size.
        buffer.write(row.written + ",")
        writer.writerow(verdict)
    if model_version and not job.model_version:
        Job.objects.filter(pk=job.pk, model_version="").update(model_version=model_version)
    # Named after the attempt: a worker that lost its claim can never overwrite the part that counts.
    name = f"{job.storage_folder}/parts/{chunk.index:07d}-{chunk.attempts}.csv"
    part_name = default_storage.save(name, ContentFile(buffer.getvalue().encode("utf-8")))
    return part_name, counts


def _fail(job: Job, reason: str) -> None:
    failed = Job.objects.filter(pk=job.pk, status__in=ACTIVE_STATUSES).update(
        status=JobStatus.FAILED, error=reason, finished_at=timezone.now()
    )
    if failed:
        logger.error("Job %s failed: %s", job.pk, reason)
        transaction.on_commit(lambda: delete_files(job, keep_results=False))


# --- the whole job ---------------------------------------------------------------------------------------------


def finalize_job(job_id, token: str) -> bool:
    """Join the parts in chunk order under the header into the results file, and mark the job done."""
    job = Job.objects.filter(pk=job_id, finalizer=token, status__in=ACTIVE_STATUSES).first()
    if job is None:
        return False
    Job.objects.filter(pk=job.pk, finalizer=token).update(finalize_lease_until=timezone.now() + lease())
    part_names = list(Chunk.objects.filter(job=job).order_by("index").values_list("part_name", flat=True))
    header = io.StringIO()
    csv.writer(header).writerow([*(csv_safe(name) for name in job.columns), *OUTPUT_COLUMNS])
    stream = io.BufferedReader(_Concatenated(header.getvalue().encode("utf-8"), part_names), 1024 * 1024)
    results_name = default_storage.save(f"{job.storage_folder}/results-{token[:8]}.csv", File(stream))
    done = Job.objects.filter(pk=job.pk, finalizer=token, status__in=ACTIVE_STATUSES).update(
        status=JobStatus.DONE, results_name=results_name, finished_at=timezone.now(), finalize_lease_until=None
    )
    if not done:
        default_storage.delete(results_name)
        return False
    job.results_name = results_name
    delete_files(job, keep_results=True)
    logger.info("Job %s done: %s rows", job.pk, job.total)
    return True


class _Concatenated(io.RawIOBase):
    """The header, then each part file in turn, as one readable stream (nothing held in memory but a buffer)."""

    def __init__(self, header: bytes, part_names: list[str]):
        self.pending = [io.BytesIO(header), *part_names]
        self.current = None

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        while self.pending or self.current is not None:
            if self.current is None:
                source = self.pending.pop(0)
                self.current = source if isinstance(source, io.BytesIO) else default_storage.open(source, "rb")
            data = self.current.read(len(buffer))
            if data:
                buffer[: len(data)] = data
                return len(data)
            self.current.close()
            self.current = None
        return 0


def delete_files(job: Job, *, keep_results: bool) -> None:
    """Remove the job's stored files: the upload and the parts, and the results unless kept."""
    keep = {job.results_name} if keep_results else set()
    for folder in (f"{job.storage_folder}/parts", job.storage_folder):
        try:
            _, names = default_storage.listdir(folder)
        except FileNotFoundError:
            continue
        for name in names:
            path = f"{folder}/{name}"
            if path not in keep:
                default_storage.delete(path)
