"""Job serializers: the upload form, and a job as the API shows it (with its progress and the results link)."""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .models import Job, JobStatus


class JobCreateSerializer(serializers.Serializer):
    file = serializers.FileField(
        allow_empty_file=True,  # the service says "The file is empty." like for any other bad file
        help_text="A CSV file (UTF-8, with a header row) or a JSONL file (one JSON object per line).",
    )
    column = serializers.CharField(
        required=False,
        default="text",
        max_length=255,
        help_text="The CSV column (or JSONL field) holding the review text; `text` by default.",
    )
    model = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=100,
        help_text="A shipped model's name (GET /api/v1/models lists them); the default model when absent.",
    )


class JobCountsSerializer(serializers.Serializer):
    positive = serializers.IntegerField(help_text="Rows classified positive so far.")
    negative = serializers.IntegerField(help_text="Rows classified negative so far.")


class JobSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    status = serializers.ChoiceField(choices=JobStatus.choices, read_only=True)
    counts = serializers.SerializerMethodField()
    rows_per_second = serializers.SerializerMethodField()
    seconds_left = serializers.SerializerMethodField()
    results_url = serializers.SerializerMethodField()

    class Meta:
        model = Job
        fields = [
            "id",
            "url",
            "status",
            "filename",
            "column",
            "model",
            "model_version",
            "total",
            "processed",
            "errors",
            "counts",
            "rows_per_second",
            "seconds_left",
            "created_at",
            "started_at",
            "finished_at",
            "results_url",
            "error",
        ]
        read_only_fields = fields
        extra_kwargs = {
            "total": {"help_text": "Data rows in the file."},
            "processed": {"help_text": "Rows done so far (classified, or recorded with an error)."},
            "errors": {"help_text": "Rows recorded with an error (empty, too long, a NUL...) instead of a verdict."},
            "model_version": {"help_text": "The artifact that answered; empty until the first chunk is done."},
            "error": {"help_text": "Why the job failed; empty otherwise."},
        }

    @extend_schema_field(serializers.URLField(help_text="This job in the API."))
    def get_url(self, job) -> str:
        return self._absolute(reverse("api:job-detail", args=[job.pk]))

    @extend_schema_field(JobCountsSerializer)
    def get_counts(self, job) -> dict:
        return {"positive": job.positive, "negative": job.negative}

    @extend_schema_field(serializers.FloatField(allow_null=True, help_text="Rows a second since the job started."))
    def get_rows_per_second(self, job) -> float | None:
        if job.started_at is None or job.processed == 0:
            return None
        elapsed = ((job.finished_at or timezone.now()) - job.started_at).total_seconds()
        return round(job.processed / max(elapsed, 1e-3), 1)

    @extend_schema_field(
        serializers.IntegerField(allow_null=True, help_text="Estimated seconds until done, at the rate so far.")
    )
    def get_seconds_left(self, job) -> int | None:
        rate = self.get_rows_per_second(job)
        if not job.is_active or not rate:
            return None
        return round((job.total - job.processed) / rate)

    @extend_schema_field(
        serializers.URLField(allow_null=True, help_text="Where to download the results CSV once the job is done.")
    )
    def get_results_url(self, job) -> str | None:
        if job.status != JobStatus.DONE:
            return None
        return self._absolute(reverse("api:job-results", args=[job.pk]))

    def _absolute(self, path: str) -> str:
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path


def limits() -> dict:
    """The limits an upload meets, for the page and the docs."""
    return {
        "max_bytes": settings.JOBS_MAX_FILE_BYTES,
        "max_rows": settings.JOBS_MAX_ROWS,
        "max_running": settings.JOBS_MAX_RUNNING_PER_USER,
        "daily_rows": settings.JOBS_DAILY_ROW_QUOTA,
    }
