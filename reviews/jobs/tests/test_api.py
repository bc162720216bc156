"""The jobs API: upload checks (every bad file is a 400 and queues nothing), limits, owner-only access, results."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tasks_db.models import DBTaskResult
from rest_framework.test import APIClient

from reviews.jobs.models import Job

from .helpers import csv_bytes, review, run_worker

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clear_throttle_counts")]


def upload(token_client, content: bytes, name: str = "reviews.csv", **fields):
    return token_client.post("/api/v1/jobs", {"file": SimpleUploadedFile(name, content), **fields}, format="multipart")


GOOD = csv_bytes([[str(i), review(i)] for i in range(12)])


@pytest.mark.parametrize(
    ("name", "content", "fields", "code", "words"),
    [
        ("reviews.xlsx", GOOD, {}, "unsupported_file", "not CSV or JSONL"),
        ("reviews.csv", b"PK\x03\x04" + b"\x00" * 100, {}, "unsupported_file", "binary"),
        ("reviews.csv", GOOD, {"column": "review"}, "no_such_column", "it has: id, text"),
        ("reviews.jsonl", b'{"review": "good"}\n', {}, "no_such_column", "field named 'text'"),
        ("reviews.csv", b"", {}, "empty_file", "empty"),
        ("reviews.csv", b"id,text\r\n", {}, "empty_file", "no rows"),
        ("reviews.csv", b"id,text\n1,caf\xe9 au lait\n", {}, "undecodable", "UTF-8"),
        ("reviews.csv", "id,text\n1,good\n".encode("utf-16"), {}, "undecodable", "UTF-16"),
        ("reviews.jsonl", b"[1, 2]\n", {}, "invalid_file", "not a JSON object"),
    ],
)
def test_a_bad_file_is_a_400_and_nothing_is_queued(token_client, served_model, name, content, fields, code, words):
    response = upload(token_client, content, name, **fields)
    assert response.status_code == 400, response.content
    assert response.json()["code"] == code and words in response.json()["detail"]
    assert not Job.objects.exists() and not DBTaskResult.objects.exists()


def test_no_file_or_an_unknown_model_is_a_400(token_client, served_model):
    assert token_client.post("/api/v1/jobs", {"column": "text"}, format="multipart").json()["code"] == "invalid"
    response = upload(token_client, GOOD, model="bert")
    assert response.status_code == 400 and response.json()["code"] == "unknown_model"
    assert response.json()["choices"]


def test_json_bodies_are_refused(token_client):
    assert token_client.post("/api/v1/jobs", {"file": "x"}, format="json").status_code == 415


def test_limits(token_client, served_model, settings):
    settings.JOBS_MAX_ROWS = 11
    assert upload(token_client, GOOD).json()["code"] == "too_many_rows"
    settings.JOBS_MAX_ROWS = 100
    settings.JOBS_MAX_FILE_BYTES = 100
    response = upload(token_client, GOOD)
    assert response.status_code == 413 and response.json()["code"] == "file_too_large"
    settings.JOBS_MAX_FILE_BYTES = 10**6
    settings.JOBS_DAILY_ROW_QUOTA = 30
    settings.JOBS_MAX_RUNNING_PER_USER = 5
    assert upload(token_client, GOOD).status_code == 202 and upload(token_client, GOOD).status_code == 202
    response = upload(token_client, GOOD)  # 36 rows > 30 a day
    assert response.status_code == 429 and response.json()["code"] == "quota_exceeded" and response["Retry-After"]
    settings.JOBS_DAILY_ROW_QUOTA = 1000
    settings.JOBS_MAX_RUNNING_PER_USER = 2
    response = upload(token_client, GOOD)  # two already queued
    assert response.status_code == 429 and response.json()["code"] == "too_many_jobs"
    assert Job.objects.count() == 2


def test_upload_poll_download(token_client, served_model):
    response = upload(token_client, GOOD)
    assert response.status_code == 202
    job = response.json()
    assert job["status"] == "queued" and job["total"] == 12 and job["results_url"] is None
    assert response["Location"] == job["url"]
    assert token_client.get(f"/api/v1/jobs/{job['id']}/results").json()["code"] == "not_ready"
    run_worker()
    done = token_client.get(job["url"]).json()
    assert done["status"] == "done" and done["processed"] == 12 and done["errors"] == 0
    assert done["counts"]["positive"] + done["counts"]["negative"] == 12
    assert done["finished_at"] and done["rows_per_second"] > 0 and done["seconds_left"] is None
    download = token_client.get(done["results_url"], HTTP_ACCEPT="text/csv")
    assert download.status_code == 200 and download["Content-Type"].startswith("text/csv")
    assert 'filename="reviews-sentiment.csv"' in download["Content-Disposition"]
    lines = io.StringIO(b"".join(download.streaming_content).decode()).read().splitlines()
    assert lines[0] == "id,text,sentiment,score,model_version,error,confidence,warnings" and len(lines) == 13
    listed = token_client.get("/api/v1/jobs").json()
    assert [item["id"] for item in listed["results"]] == [job["id"]]
    assert token_client.get("/api/v1/jobs/").json() == listed  # the slash is the same list
    assert token_client.delete(job["url"]).status_code == 204
    assert token_client.get(job["url"]).status_code == 404


def test_cancel_a_running_job(token_client, served_model):
    job = upload(token_client, GOOD).json()
    response = token_client.delete(job["url"])
    assert response.status_code == 200 and response.json()["status"] == "cancelled"
    assert token_client.get(f"/api/v1/jobs/{job['id']}/results").status_code == 409


def test_another_users_job_is_a_404(token_client, served_model, other_user):
    job = upload(token_client, GOOD).json()
    other = APIClient()
    other.force_authenticate(other_user)
    for response in (
        other.get(job["url"]),
        other.get(f"/api/v1/jobs/{job['id']}/results"),
        other.delete(job["url"]),
    ):
        assert response.status_code == 404 and response.json()["code"] == "not_found"
    assert other.get("/api/v1/jobs").json()["results"] == []
    assert Job.objects.get(pk=job["id"]).status == "queued"


def test_anonymous_clients_are_refused(served_model):
    client = APIClient()
    assert client.get("/api/v1/jobs").status_code == 401
    assert (
        client.post("/api/v1/jobs", {"file": SimpleUploadedFile("a.csv", GOOD)}, format="multipart").status_code == 401
    )


def test_the_schema_documents_the_jobs_endpoints():
    schema = APIClient().get("/api/v1/schema", {"format": "json"}).json()
    create = schema["paths"]["/api/v1/jobs"]["post"]
    assert list(create["requestBody"]["content"]) == ["multipart/form-data"]
    assert {"202", "400", "401", "413", "415", "429"} <= set(create["responses"])
    codes = {
        example["value"]["code"]
        for example in create["responses"]["400"]["content"]["application/json"]["examples"].values()
    }
    assert {"unsupported_file", "no_such_column", "empty_file", "undecodable"} <= codes
    job = schema["components"]["schemas"]["Job"]["properties"]
    assert {"status", "total", "processed", "errors", "created_at", "finished_at", "results_url"} <= set(job)
    status = schema["components"]["schemas"][job["status"]["allOf"][0]["$ref"].rsplit("/", 1)[1]]
    assert set(status["enum"]) == {"queued", "running", "done", "failed", "cancelled"}
    assert list(schema["paths"]["/api/v1/jobs/{id}/results"]["get"]["responses"]["200"]["content"]) == ["text/csv"]
