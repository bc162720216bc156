"""The job queue: the tasks that workers run (`manage.py db_worker`), one per chunk, the finalising and a
sweep timer, and what queues them. The work itself is processing.py's, which queues nothing."""

import logging
import uuid

from django.db.models import Q
from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from . import processing
from .models import ACTIVE_STATUSES, Chunk, ChunkStatus, Job

logger = logging.getLogger(__name__)


@task()
def process_chunk(chunk_id: int) -> bool:
    """Do the chunk (if it is free); after it, sweep its job. False when there was nothing to do."""
    job = processing.process_chunk(chunk_id)
    if job is None:
        return False
    sweep_job(job.pk, thorough=False)
    return True


@task()
def finalize_job(job_id: str, token: str) -> bool:
    return processing.finalize_job(job_id, token)


@task()
def watch_job(job_id: str) -> None:
    """Sweep the job, then again one lease later, until it has ended."""
    sweep_job(job_id)
    if Job.objects.filter(pk=job_id).active().exists():
        watch_job.using(run_after=timezone.now() + processing.lease()).enqueue(job_id)


def enqueue_chunks(chunks: list[Chunk]) -> None:
    for chunk in chunks:
        chunk.task_id = str(process_chunk.enqueue(chunk.pk).id)
    Chunk.objects.bulk_update(chunks, ["task_id"], batch_size=500)


def enqueue_watch(job: Job) -> None:
    """A timer that sweeps the job until it ends, for when no worker finishes a chunk and nobody polls."""
    watch_job.using(run_after=timezone.now() + processing.lease()).enqueue(str(job.pk))


def sweep_job(job_id, *, thorough: bool = True) -> None:
    """Queue again the chunks whose worker died; queue the finalising once every chunk is done.

    `thorough` also looks for pending chunks whose task ended unclaimed: one query over the job's pending
    chunks, made by the timer and the status polls, not after every chunk (that would be quadratic).
    """
    now = timezone.now()
    job = Job.objects.filter(pk=job_id, status__in=ACTIVE_STATUSES).first()
    if job is None:
        return
    chunks = Chunk.objects.filter(job=job)
    requeue = []
    for chunk in chunks.filter(status=ChunkStatus.RUNNING, lease_until__lt=now):
        if Chunk.objects.filter(pk=chunk.pk, status=ChunkStatus.RUNNING, attempts=chunk.attempts).update(
            status=ChunkStatus.PENDING, lease_until=None
        ):
            requeue.append(chunk)
    # A pending chunk whose task is over without claiming it: its worker died between taking the task and
    # claiming the chunk (or the task failed before the claim).
    pending_tasks = {}
    if thorough:
        pending_tasks = dict(chunks.filter(status=ChunkStatus.PENDING).exclude(task_id="").values_list("task_id", "pk"))
    if pending_tasks:
        over = DBTaskResult.objects.filter(id__in=list(pending_tasks)).filter(
            Q(status__in=["SUCCESSFUL", "FAILED"]) | Q(status="RUNNING", started_at__lt=now - processing.lease())
        )
        for task_id in over.values_list("id", flat=True):
            chunk_id = pending_tasks[str(task_id)]
            if Chunk.objects.filter(pk=chunk_id, task_id=str(task_id)).update(task_id=""):
                requeue.append(Chunk.objects.get(pk=chunk_id))
    if requeue:
        logger.warning("Job %s: queueing %s chunks again (their workers stopped)", job.pk, len(requeue))
        enqueue_chunks(requeue)
    if chunks.exclude(status=ChunkStatus.DONE).exists():
        return
    token = uuid.uuid4().hex
    claimed = (
        Job.objects.filter(pk=job.pk, status__in=ACTIVE_STATUSES)
        .filter(Q(finalize_lease_until__isnull=True) | Q(finalize_lease_until__lt=now))
        .update(finalizer=token, finalize_lease_until=now + processing.lease())
    )
    if claimed:
        finalize_job.enqueue(str(job.pk), token)
