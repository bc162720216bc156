"""A Job (one uploaded file to classify) and its Chunks (row ranges that workers claim one at a time)."""

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone


class JobStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"


ACTIVE_STATUSES = (JobStatus.QUEUED, JobStatus.RUNNING)


class FileFormat(models.TextChoices):
    CSV = "csv", "CSV"
    JSONL = "jsonl", "JSON Lines"


class JobQuerySet(models.QuerySet):
    def owned_by(self, user):
        return self.filter(owner=user)

    def active(self):
        return self.filter(status__in=ACTIVE_STATUSES)


class Job(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="jobs")
    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED, db_index=True)
    filename = models.CharField(max_length=255, help_text="The uploaded file's name, as the user's machine had it.")
    file_format = models.CharField(max_length=5, choices=FileFormat.choices)
    delimiter = models.CharField(max_length=1, default=",")
    column = models.CharField(max_length=255, help_text="The column (CSV) or field (JSONL) holding the text.")
    columns = models.JSONField(default=list, help_text="The input columns, in input order.")
    model = models.CharField(max_length=100, help_text="The shipped model's name.")
    input_name = models.CharField(max_length=255, help_text="The uploaded file in the default storage.")
    results_name = models.CharField(max_length=255, blank=True, help_text="The results CSV in the default storage.")
    total = models.PositiveIntegerField(help_text="Data rows in the file.")
    processed = models.PositiveIntegerField(default=0)
    errors = models.PositiveIntegerField(default=0, help_text="Rows recorded with an error instead of a verdict.")
    positive = models.PositiveIntegerField(default=0)
    negative = models.PositiveIntegerField(default=0)
    model_version = models.CharField(max_length=100, blank=True)
    error = models.TextField(blank=True, help_text="Why the job failed.")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Who finalises (joins the parts into the results file), and until when; another worker takes over after.
    finalize_lease_until = models.DateTimeField(null=True, blank=True)
    finalizer = models.CharField(max_length=32, blank=True, help_text="The token of the finalize task that may finish.")

    objects = JobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["owner", "-created_at"], name="job_owner_created")]

    def __str__(self):
        return f"{self.filename} ({self.get_status_display()}, {self.processed}/{self.total})"

    def get_absolute_url(self):
        return reverse("jobs:detail", args=[self.pk])

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def storage_folder(self) -> str:
        return f"jobs/{self.pk}"


class ChunkStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    RUNNING = "running", "Running"
    DONE = "done", "Done"


class Chunk(models.Model):
    """Rows [first_row, first_row + rows) of a job's file, which start at byte `start` and end before `end`."""

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="chunks")
    index = models.PositiveIntegerField()
    start = models.BigIntegerField()
    end = models.BigIntegerField()
    first_row = models.PositiveIntegerField()
    rows = models.PositiveIntegerField()
    status = models.CharField(max_length=7, choices=ChunkStatus.choices, default=ChunkStatus.PENDING)
    # A claim holds until lease_until; `attempts` counts claims and names each attempt's part file, so a
    # worker that lost its lease can never mark the chunk done or overwrite the part that counts.
    lease_until = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    worker = models.CharField(max_length=100, blank=True, help_text="host:pid of the last claim.")
    task_id = models.CharField(max_length=64, blank=True, help_text="The task queued for this chunk.")
    part_name = models.CharField(max_length=255, blank=True, help_text="The done attempt's results part.")
    errors = models.PositiveIntegerField(default=0)
    positive = models.PositiveIntegerField(default=0)
    negative = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["job", "index"]
        constraints = [models.UniqueConstraint(fields=["job", "index"], name="chunk_job_index")]
        indexes = [models.Index(fields=["job", "status"], name="chunk_job_status")]

    def __str__(self):
        return f"chunk {self.index} of {self.job_id} ({self.status})"


class JobUsage(models.Model):
    """Rows one accepted upload counted against its owner's daily quota.

    A ledger apart from the jobs: deleting or cancelling a job leaves its entry, so the quota cannot be reset.
    """

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="job_usage")
    job_id = models.UUIDField(help_text="The job the rows were for; it may since have been deleted.")
    rows = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["owner", "created_at"], name="job_usage_owner_created")]

    def __str__(self):
        return f"{self.rows} rows for job {self.job_id}"
