"""The jobs pages: upload (a bad file is a friendly form error), the job page's progress, owner only, admin."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from reviews.jobs.models import Job

from .helpers import csv_bytes, review, run_worker

pytestmark = pytest.mark.django_db

GOOD = csv_bytes([[str(i), review(i)] for i in range(5)], header=["id", "review"])


def post(client, content, name="reviews.csv", column="review"):
    return client.post(reverse("jobs:list"), {"file": SimpleUploadedFile(name, content), "column": column, "model": ""})


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get(reverse("jobs:list"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_upload_then_follow_the_job(client, user, served_model):
    client.force_login(user)
    page = client.get(reverse("jobs:list"))
    assert page.status_code == 200 and b'enctype="multipart/form-data"' in page.content
    assert b"Bulk jobs" in page.content  # in the nav too
    response = post(client, GOOD)
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    detail = client.get(job.get_absolute_url())
    html = detail.content.decode()
    assert 'id="job-progress"' in html and 'max="5"' in html and "js/jobs.js" in html
    assert f'data-status-url="/api/v1/jobs/{job.pk}"' in html
    assert "<script>" not in html  # the site's CSP allows no inline script
    run_worker()
    html = client.get(job.get_absolute_url()).content.decode()
    assert 'value="5"' in html and f'href="/api/v1/jobs/{job.pk}/results"' in html
    assert client.get(f"/api/v1/jobs/{job.pk}/results").status_code == 200  # the session is enough to download
    assert job.filename in client.get(reverse("jobs:list")).content.decode()


@pytest.mark.parametrize(
    ("content", "name", "column", "message"),
    [
        (GOOD, "reviews.csv", "text", "No column named &#x27;text&#x27;"),
        (b"", "reviews.csv", "review", "The file is empty."),
        (GOOD, "reviews.pdf", "review", "not CSV or JSONL"),
        (b"review\n\xff\xfe\n", "reviews.csv", "review", "not UTF-8"),
    ],
)
def test_a_bad_upload_is_a_form_error(client, user, served_model, content, name, column, message):
    client.force_login(user)
    response = post(client, content, name, column)
    assert response.status_code == 400 and message in response.content.decode()
    assert not Job.objects.exists()


def test_cancel_then_delete_from_the_page(client, user, served_model):
    client.force_login(user)
    post(client, GOOD)
    job = Job.objects.get()
    client.post(reverse("jobs:delete", args=[job.pk]))
    assert Job.objects.get().status == "cancelled"
    response = client.post(reverse("jobs:delete", args=[job.pk]))
    assert response["Location"] == reverse("jobs:list") and not Job.objects.exists()


def test_another_users_job_page_is_a_404(client, user, other_user, served_model):
    client.force_login(user)
    post(client, GOOD)
    job = Job.objects.get()
    client.force_login(other_user)
    assert client.get(job.get_absolute_url()).status_code == 404
    assert client.post(reverse("jobs:delete", args=[job.pk])).status_code == 404
    assert Job.objects.filter(pk=job.pk).exists()


def test_staff_see_every_job_in_the_admin(client, user, admin_user, served_model):
    client.force_login(user)
    post(client, GOOD)
    job = Job.objects.get()
    client.force_login(admin_user)
    assert job.filename in client.get(reverse("admin:jobs_job_changelist")).content.decode()
    assert client.get(reverse("admin:jobs_job_change", args=[job.pk])).status_code == 200


def test_the_job_list_pages_newest_first(client, user, monkeypatch):
    monkeypatch.setattr("reviews.jobs.views.PAGE_SIZE", 2)
    for number in range(3):
        Job.objects.create(owner=user, filename=f"r{number}.csv", file_format="csv", column="text", model="m", total=1)
    client.force_login(user)
    first = client.get(reverse("jobs:list")).content.decode()
    assert "Page 1 of 2" in first and 'href="?page=2" rel="next"' in first and 'rel="prev"' not in first
    second = client.get(reverse("jobs:list"), {"page": 2}).content.decode()
    assert 'href="?page=1" rel="prev"' in second and 'rel="next"' not in second


def test_deleting_or_cancelling_asks_first(client, user, served_model):
    client.force_login(user)
    post(client, GOOD)
    job = Job.objects.get()
    page = client.get(reverse("jobs:delete", args=[job.pk]))
    assert page.status_code == 200 and "Cancel this job?" in page.content.decode()
    assert Job.objects.get().status == "queued"  # asking changed nothing
    run_worker()
    page = client.get(reverse("jobs:delete", args=[job.pk]))
    assert "Delete this job and its results?" in page.content.decode() and Job.objects.exists()


@pytest.mark.parametrize(("rows", "message"), [(1, "Queued 1 row of"), (2, "Queued 2 rows of")])
def test_the_upload_message_counts_rows_in_words(client, user, served_model, rows, message):
    client.force_login(user)
    content = csv_bytes([[str(i), review(i)] for i in range(rows)], header=["id", "review"])
    response = post(client, content, name=f"{rows}.csv")
    assert message in client.get(response["Location"]).content.decode()
