"""Writes to jobs: create one from an upload (checked, then queued in one transaction), cancel, delete."""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from classifier import registry

from . import files, processing, tasks
from .models import Chunk, Job, JobStatus, JobUsage

logger = logging.getLogger(__name__)


class JobRefused(Exception):
    """The upload cannot become a job; `status` is the HTTP status the API answers, `code` a stable name."""

    def __init__(self, message: str, *, code: str, status: int = 400, retry_after: int | None = None):
        self.code = code
        self.status = status
        self.retry_after = retry_after
        super().__init__(message)


def job_create(*, user, upload, column: str = "text", model: str | None = None) -> Job:
    """Check `upload` (a Django UploadedFile) quickly and in one streaming pass, store it, and queue its chunks.

    Raises JobRefused (nothing stored, nothing queued) or classifier UnknownModel.
    """
    model = model or registry.default_model_name()
    registry.model_dir_for(model)  # UnknownModel for a name that is not shipped
    if upload.size is not None and upload.size > settings.JOBS_MAX_FILE_BYTES:
        raise JobRefused(
            f"The file is {upload.size:,} bytes; the most one job takes is {settings.JOBS_MAX_FILE_BYTES:,}.",
            code="file_too_large",
            status=413,
        )
    _check_running(user)
    try:
        inspection = files.inspect(
            upload,
            filename=upload.name,
            column=column,
            chunk_rows=settings.JOBS_CHUNK_ROWS,
            max_rows=settings.JOBS_MAX_ROWS,
        )
    except files.FileProblem as exc:
        raise JobRefused(str(exc), code=exc.code) from None
    _check_quota(user, inspection.total)  # early, before storing the file; again under the lock below

    job = Job(
        owner=user,
        filename=(upload.name or "upload")[-255:],
        file_format=inspection.file_format,
        delimiter=inspection.delimiter,
        column=column,
        columns=inspection.columns,
        model=model,
        total=inspection.total,
    )
    upload.seek(0)
    job.input_name = default_storage.save(f"{job.storage_folder}/input.{inspection.file_format}", upload)
    try:
        with transaction.atomic():
            # The user's row is the lock that makes "at most N running jobs" hold under concurrent uploads.
            get_user_model().objects.select_for_update().filter(pk=user.pk).first()
            _check_running(user)
            _check_quota(user, inspection.total)
            job.save()
            JobUsage.objects.create(owner=user, job_id=job.pk, rows=job.total)
            chunks = Chunk.objects.bulk_create(
                Chunk(job=job, index=i, start=b.start, end=b.end, first_row=b.first_row, rows=b.rows)
                for i, b in enumerate(inspection.boundaries)
            )
            # The task rows live in the same database: the job, its chunks and their tasks commit together.
            tasks.enqueue_chunks(chunks)
            tasks.enqueue_watch(job)
    except BaseException:
        default_storage.delete(job.input_name)
        raise
    logger.info("Job %s queued: %s rows in %s chunks, model %s", job.pk, job.total, len(chunks), model)
    return job


def job_create_from_form(*, user, data: Mapping[str, Any]) -> Job:
    """job_create with an upload form's validated fields, which the page's form and the API's serializer name alike."""
    return job_create(user=user, upload=data["file"], column=data["column"], model=data.get("model"))


def _check_running(user) -> None:
    running = Job.objects.owned_by(user).active().count()
    if running >= settings.JOBS_MAX_RUNNING_PER_USER:
        raise JobRefused(
            f"You have {running} jobs queued or running, the most at once; wait for one to finish or cancel one.",
            code="too_many_jobs",
            status=429,
            retry_after=60,
        )


def _check_quota(user, rows: int) -> None:
    """Refuse `rows` more if the user's ledger (not the jobs that still exist: they can be deleted) holds too many."""
    since = timezone.now() - timedelta(days=1)
    usage = JobUsage.objects.filter(owner=user, created_at__gte=since)
    used = usage.aggregate(rows=Sum("rows"))["rows"] or 0
    if used + rows > settings.JOBS_DAILY_ROW_QUOTA:
        oldest = usage.order_by("created_at").first()
        wait = (oldest.created_at + timedelta(days=1) - timezone.now()).total_seconds() if oldest else 0
        raise JobRefused(
            f"This file has {rows:,} rows; you have {max(settings.JOBS_DAILY_ROW_QUOTA - used, 0):,} left of your "
            f"{settings.JOBS_DAILY_ROW_QUOTA:,} rows a day.",
            code="quota_exceeded",
            status=429,
            retry_after=max(1, math.ceil(wait)),
        )


def job_cancel_or_delete(*, user, job_id) -> Job | None:
    """Cancel one of `user`'s jobs that is queued or running (returned), or delete a finished one (None).

    Another user's job is Job.DoesNotExist, like a missing one.
    """
    job = Job.objects.owned_by(user).get(pk=job_id)
    if job.is_active:
        cancelled = Job.objects.filter(pk=job.pk, status__in=(JobStatus.QUEUED, JobStatus.RUNNING)).update(
            status=JobStatus.CANCELLED, finished_at=timezone.now()
        )
        if cancelled:
            processing.delete_files(job, keep_results=False)
        job.refresh_from_db()  # cancelled, or finished a moment ago: either way the job as it is now
        return job
    processing.delete_files(job, keep_results=False)
    job.delete()
    return None
