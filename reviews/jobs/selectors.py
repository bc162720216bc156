"""Reads of jobs: a user's own jobs only (another user's job does not exist for them)."""

from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from .models import Job


def job_list(*, user) -> QuerySet[Job]:
    return Job.objects.owned_by(user).order_by("-created_at")


def job_get(*, user, job_id) -> Job:
    """One of `user`'s jobs; Job.DoesNotExist for another user's job or a malformed id."""
    try:
        return Job.objects.owned_by(user).get(pk=job_id)
    except (ValueError, TypeError, ValidationError) as exc:  # not a UUID
        raise Job.DoesNotExist(str(exc)) from None
