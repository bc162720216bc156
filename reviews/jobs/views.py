"""The jobs pages: upload a file and list your jobs; one job with its live progress; cancel or delete."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from classifier import registry
from reviews.forms import model_choices

from . import api, selectors, services
from .forms import JobUploadForm
from .models import Job

PAGE_SIZE = 20


@login_required
@require_http_methods(["GET", "POST"])
def job_list(request):
    status = 200
    if request.method == "POST":
        form, status, job = _create(request)
        if job is not None:
            rows = ngettext("Queued %(count)s row of %(file)s.", "Queued %(count)s rows of %(file)s.", job.total)
            messages.success(request, rows % {"count": f"{job.total:,}", "file": job.filename})
            return redirect(job)
    else:
        form = JobUploadForm(models=model_choices())
    page = Paginator(selectors.job_list(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "jobs/list.html", {"form": form, "page_obj": page}, status=status)


def _create(request) -> tuple[JobUploadForm, int, Job | None]:
    declared = request.META.get("CONTENT_LENGTH") or "0"
    too_large = declared.isdigit() and int(declared) > settings.JOBS_MAX_FILE_BYTES + api.ENVELOPE_BYTES
    # A body over the limit is not read (request.POST would spool it to disk first).
    form = JobUploadForm(
        None if too_large else request.POST, None if too_large else request.FILES, models=model_choices()
    )
    if too_large:
        form.add_error(None, f"The file is larger than the {settings.JOBS_MAX_FILE_BYTES:,} bytes one job takes.")
        return form, 413, None
    if not form.is_valid():
        return form, 400, None
    try:
        job = services.job_create_from_form(user=request.user, data=form.cleaned_data)
    except services.JobRefused as exc:
        form.add_error("column" if exc.code == "no_such_column" else "file", str(exc))
        return form, exc.status, None
    except registry.UnknownModel as exc:
        form.add_error("model", str(exc))
        return form, 400, None
    return form, 202, job


def _own_job_or_404(user, job_id) -> Job:
    try:
        return selectors.job_get(user=user, job_id=job_id)
    except Job.DoesNotExist as exc:
        raise Http404("No such job.") from exc


@login_required
def job_detail(request, job_id):
    return render(request, "jobs/detail.html", {"job": _own_job_or_404(request.user, job_id)})


@login_required
@require_http_methods(["GET", "POST"])
def job_delete(request, job_id):
    """GET asks first (as deleting a review does); POST cancels a running job or deletes a finished one."""
    job = _own_job_or_404(request.user, job_id)
    if request.method != "POST":
        return render(request, "jobs/job_confirm_delete.html", {"job": job})
    try:
        job = services.job_cancel_or_delete(user=request.user, job_id=job.pk)
    except Job.DoesNotExist as exc:
        raise Http404("No such job.") from exc
    if job is None:
        messages.success(request, "Job deleted, with its results.")
        return redirect("jobs:list")
    messages.success(request, "Job cancelled.")
    return redirect(job)
