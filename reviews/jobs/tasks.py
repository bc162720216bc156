"""The tasks that workers run (`manage.py db_worker`): one per chunk, the finalising, and a sweep timer."""

from django.utils import timezone
from django_tasks import task

from . import processing
from .models import Job


@task()
def process_chunk(chunk_id: int) -> bool:
    return processing.chunk_process(chunk_id)


@task()
def finalize_job(job_id: str, token: str) -> bool:
    return processing.job_finalize(job_id, token)


@task()
def watch_job(job_id: str) -> None:
    """Sweep the job, then again one lease later, until it has ended."""
    processing.job_sweep(job_id)
    if Job.objects.filter(pk=job_id).active().exists():
        watch_job.using(run_after=timezone.now() + processing.lease()).enqueue(job_id)
