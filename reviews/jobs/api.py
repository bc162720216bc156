"""The jobs API: upload a file (202), list, poll, cancel or delete, and download the results; owner only."""

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import FileResponse
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, generics, parsers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from classifier import registry
from classifier.api.exceptions import UnknownModelError

from . import schema, selectors, serializers, services, tasks
from .models import Job, JobStatus

# Room for the multipart envelope and the other fields around the file.
ENVELOPE_BYTES = 64 * 1024


class JobRefusedError(exceptions.APIException):
    def __init__(self, exc: services.JobRefused):
        self.status_code = exc.status
        super().__init__(str(exc), exc.code)
        if exc.retry_after:
            self.wait = exc.retry_after  # becomes the Retry-After header


class JobNotFound(exceptions.NotFound):
    default_detail = "No Job matches the given query."


class JobNotReady(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "not_ready"


class JobsView(APIView):
    """The owner's jobs: the API's defaults (signed in, the user rate; REST_FRAMEWORK in settings)."""

    def own_job(self, job_id) -> Job:
        try:
            return selectors.job_get(user=self.request.user, job_id=job_id)
        except Job.DoesNotExist:
            raise JobNotFound() from None


class JobListCreateView(JobsView, generics.GenericAPIView):
    """Your jobs (GET), or a new one from an uploaded file (POST, multipart/form-data)."""

    # Multipart here only: everywhere else the API refuses it (file uploads skip the 256 KiB body limit).
    parser_classes = [parsers.MultiPartParser]
    serializer_class = serializers.JobSerializer

    def get_queryset(self):
        return selectors.job_list(user=self.request.user)

    @schema.JOB_LIST
    def get(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @schema.JOB_CREATE
    def post(self, request):
        # Refuse a body over the limit from its declared length, before the upload is read to disk.
        declared = request.META.get("CONTENT_LENGTH") or "0"
        if declared.isdigit() and int(declared) > settings.JOBS_MAX_FILE_BYTES + ENVELOPE_BYTES:
            raise JobRefusedError(
                services.JobRefused(
                    f"The upload is {int(declared):,} bytes; the most one job takes is {settings.JOBS_MAX_FILE_BYTES:,}.",
                    code="file_too_large",
                    status=413,
                )
            )
        form = serializers.JobCreateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        try:
            job = services.job_create_from_form(user=request.user, data=form.validated_data)
        except services.JobRefused as exc:
            raise JobRefusedError(exc) from None
        except registry.UnknownModel as exc:
            raise UnknownModelError(exc) from None
        body = serializers.JobSerializer(job, context={"request": request}).data
        return Response(body, status=status.HTTP_202_ACCEPTED, headers={"Location": body["url"]})


@extend_schema(exclude=True)
class JobListCreateAliasView(JobListCreateView):
    """/api/v1/jobs/ (with the slash): the same list and upload, documented once."""


class JobDetailView(JobsView):
    """One of your jobs with its progress (GET); cancel it or delete it (DELETE)."""

    @schema.JOB_RETRIEVE
    def get(self, request, id):
        job = self.own_job(id)
        if job.is_active:
            tasks.sweep_job(job.pk)  # polling also hands dead workers' chunks to live ones
            job.refresh_from_db()
        return Response(serializers.JobSerializer(job, context={"request": request}).data)

    @schema.JOB_DESTROY
    def delete(self, request, id):
        try:
            job = services.job_cancel_or_delete(user=request.user, job_id=self.own_job(id).pk)
        except Job.DoesNotExist:
            raise JobNotFound() from None
        if job is None:
            return Response(status=status.HTTP_204_NO_CONTENT)
        return Response(serializers.JobSerializer(job, context={"request": request}).data)


class JobResultsView(JobsView):
    """The results CSV of one of your done jobs, streamed from storage."""

    @schema.JOB_RESULTS
    def get(self, request, id):
        job = self.own_job(id)
        if job.status != JobStatus.DONE:
            raise JobNotReady(f"The job is {job.status}: its results are not ready.")
        stem = job.filename.rsplit(".", 1)[0] or "results"
        return FileResponse(
            default_storage.open(job.results_name, "rb"),
            as_attachment=True,
            filename=f"{stem}-sentiment.csv",
            content_type="text/csv; charset=utf-8",
        )

    def perform_content_negotiation(self, request, force=False):
        # "Accept: text/csv" asks for the file; errors then still come as JSON rather than a 406.
        return super().perform_content_negotiation(request, force=True)
