"""The daily row quota counts a ledger that deleting jobs leaves alone, and holds under concurrent uploads."""

import threading
from datetime import timedelta
from unittest import mock

import pytest
from django.db import connection
from django.utils import timezone

from reviews.jobs import services
from reviews.jobs.models import Job, JobUsage

from .helpers import csv_upload, run_worker


@pytest.fixture
def quota(settings):
    settings.JOBS_DAILY_ROW_QUOTA = 100
    settings.JOBS_MAX_RUNNING_PER_USER = 5
    return settings


def refusal(user, rows: int = 60) -> str | None:
    try:
        services.job_create(user=user, upload=csv_upload(rows))
    except services.JobRefused as refused:
        return refused.code
    return None


@pytest.mark.django_db
def test_deleting_or_cancelling_jobs_gives_no_rows_back(user, served_model, quota):
    assert refusal(user) is None
    assert refusal(user) == "quota_exceeded"
    run_worker()
    for job in Job.objects.owned_by(user):
        services.job_cancel_or_delete(user=user, job_id=job.pk)  # finished: deleted
    assert not Job.objects.exists()
    assert refusal(user) == "quota_exceeded"  # the review's loop: delete, 60 accepted again, and again
    assert refusal(user, 40) is None
    cancelled = Job.objects.get()
    services.job_cancel_or_delete(user=user, job_id=cancelled.pk)  # queued: cancelled
    assert refusal(user, 1) == "quota_exceeded"
    assert list(JobUsage.objects.filter(owner=user).values_list("rows", flat=True).order_by("created_at")) == [60, 40]


@pytest.mark.django_db
def test_the_ledger_forgets_after_a_day(user, served_model, quota):
    assert refusal(user) is None
    JobUsage.objects.update(created_at=timezone.now() - timedelta(days=1, seconds=1))
    assert refusal(user) is None


@pytest.mark.django_db(transaction=True)
def test_concurrent_uploads_are_checked_under_the_lock(user, served_model, quota):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite takes no row locks: the uploads' lock is PostgreSQL's SELECT ... FOR UPDATE")
    # Both uploads pass the early check, then meet while storing the file, before either takes the lock.
    both_checked = threading.Barrier(2, timeout=30)
    save = services.default_storage.save

    def save_together(*args, **kwargs):
        both_checked.wait()
        return save(*args, **kwargs)

    codes = []

    def upload():
        try:
            codes.append(refusal(user))
        finally:
            connection.close()

    with mock.patch.object(services.default_storage, "save", side_effect=save_together):
        threads = [threading.Thread(target=upload) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert sorted(codes, key=str) == [None, "quota_exceeded"], codes
    assert Job.objects.count() == 1 and JobUsage.objects.get().rows == 60
