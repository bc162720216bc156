"""Real job workers (`manage.py db_worker`, the Procfile's worker line) against a real database: two sharing
one job, one killed with SIGKILL in the middle of a chunk, and a cancellation. SQLite, or PostgreSQL when
DATABASE_URL says so (the PostgreSQL pass): a database of its own either way, shared by gunicorn and workers."""

import csv
import os
import signal
import sqlite3
import time
import uuid
from pathlib import Path

import dj_database_url
import pytest

from bench.jobstack import Stack, check_results, write_csv
from reviews.jobs.tests.helpers import review

# django_db: these tests belong to the PostgreSQL pass too (their processes use a database of their own).
pytestmark = [pytest.mark.live_server, pytest.mark.django_db]

ROWS = 3000
CHUNK_ROWS = 100
# Long texts make a chunk take a while, so that a worker is caught inside one.
TEXTS = [review(i) + " " + "the story was the scene " * 120 for i in range(50)]


@pytest.fixture(scope="module")
def fresh_database_url():
    """A fresh PostgreSQL database when DATABASE_URL points at PostgreSQL (dropped afterwards), else None (SQLite)."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        yield None
        return
    import psycopg

    config = dj_database_url.parse(url)
    name = f"sentisite_jobs_{uuid.uuid4().hex[:8]}"
    admin = dict(
        host=config["HOST"] or None,
        port=config["PORT"] or None,
        user=config["USER"] or None,
        password=config["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    )
    with psycopg.connect(**admin) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    yield url.rsplit("/", 1)[0] + "/" + name
    with psycopg.connect(**admin) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def stack(tiny_artifact, fresh_database_url):
    env = {"JOBS_CHUNK_ROWS": str(CHUNK_ROWS), "JOBS_CHUNK_LEASE_SECONDS": "3", "JOBS_MAX_RUNNING_PER_USER": "10"}
    stack = Stack(tiny_artifact, database_url=fresh_database_url, env_extra=env)
    yield stack
    stack.stop()


@pytest.fixture
def workers(stack):
    """Workers started by a test are stopped after it."""
    started = []

    def start(count: int):
        started.extend(stack.start_worker() for _ in range(count))
        for process in started[-count:]:
            stack.wait_started(process)  # all of them poll before the job is queued
        return started[-count:]

    yield start
    for process in started:
        if process.poll() is None:
            stack.kill_worker(process, signal.SIGTERM)


def query(stack: Stack, sql: str, *params):
    """Rows from the stack's database, read directly (what the API does not show: chunks and their workers)."""
    url = stack.env["DATABASE_URL"]
    if url.startswith("sqlite"):
        with sqlite3.connect(url.removeprefix("sqlite:///"), timeout=20) as connection:
            return connection.execute(sql.replace("%s", "?"), params).fetchall()
    import psycopg

    with psycopg.connect(url) as connection:
        return connection.execute(sql, params).fetchall()


def job_key(stack: Stack, job_id: str) -> str:
    # SQLite stores a UUID as 32 hex digits, PostgreSQL as a uuid
    return uuid.UUID(job_id).hex if stack.env["DATABASE_URL"].startswith("sqlite") else job_id


def submit(stack: Stack, tmp_path: Path) -> dict:
    status, job = stack.upload(write_csv(tmp_path / "reviews.csv", TEXTS, ROWS))
    assert status == 202, job
    return job


def assert_exact_results(stack: Stack, job: dict, tmp_path: Path):
    assert job["status"] == "done" and job["processed"] == ROWS, job
    results = stack.download(job, tmp_path / "results.csv")
    ok, seen = check_results(results, ROWS)
    if not ok:
        head = results.read_text(encoding="utf-8")[:300]
        sql = 'SELECT "index", status, attempts, worker, part_name FROM jobs_chunk WHERE job_id = %s ORDER BY "index"'
        chunks = query(stack, sql, job_key(stack, job["id"]))
        pytest.fail(f"rows seen in order: {seen} of {ROWS}\n{head!r}\n{chunks[:5]}")
    with open(results, newline="", encoding="utf-8") as file:
        texts = [row["text"] for row in csv.DictReader(file)]
    assert texts == [TEXTS[i % len(TEXTS)] for i in range(ROWS)]


def test_two_workers_share_one_job(stack, workers, tmp_path):
    workers(2)
    job = stack.wait(submit(stack, tmp_path)["id"], timeout=120)
    assert_exact_results(stack, job, tmp_path)
    chunk_workers = query(stack, "SELECT DISTINCT worker FROM jobs_chunk WHERE job_id = %s", job_key(stack, job["id"]))
    assert len(chunk_workers) == 2, chunk_workers  # both took chunks


def test_a_worker_killed_mid_chunk_loses_and_duplicates_nothing(stack, workers, tmp_path):
    victim, survivor = workers(2)
    job = submit(stack, tmp_path)
    key = job_key(stack, job["id"])
    held = []
    deadline = time.monotonic() + 60
    while not held:  # freeze the victim; kill it only if it is frozen inside a chunk it claimed
        assert time.monotonic() < deadline, stack.worker_logs()
        os.kill(victim.pid, signal.SIGSTOP)
        held = query(
            stack,
            "SELECT id, attempts FROM jobs_chunk WHERE job_id = %s AND status = 'running' AND worker LIKE %s",
            key,
            f"%:{victim.pid}",
        )
        if not held:
            os.kill(victim.pid, signal.SIGCONT)
            time.sleep(0.02)
    stack.kill_worker(victim, signal.SIGKILL)
    ((chunk_id, attempts),) = held
    job = stack.wait(job["id"], timeout=120)
    assert_exact_results(stack, job, tmp_path)
    (after,) = query(stack, "SELECT attempts, worker, status FROM jobs_chunk WHERE id = %s", chunk_id)
    assert after == (attempts + 1, after[1], "done") and after[1].endswith(f":{survivor.pid}")


def test_cancelling_a_running_job_stops_it_and_removes_its_files(stack, workers, tmp_path):
    workers(1)
    job = submit(stack, tmp_path)
    running = stack.wait(job["id"], until=lambda job: job["processed"] > 0, timeout=60, every=0.05)
    assert running["status"] == "running"
    assert stack.delete(f"/api/v1/jobs/{job['id']}") == 200
    time.sleep(2)  # time for the chunk in flight to end, and for more if cancelling did not work
    status, cancelled = stack.get(f"/api/v1/jobs/{job['id']}")
    assert cancelled["status"] == "cancelled" and cancelled["processed"] < ROWS and cancelled["results_url"] is None
    (done_chunks,) = query(
        stack, "SELECT COUNT(*) FROM jobs_chunk WHERE job_id = %s AND status = 'done'", job_key(stack, job["id"])
    )
    assert done_chunks[0] * CHUNK_ROWS <= running["processed"] + 2 * CHUNK_ROWS  # at most the chunk in flight more
    folder = stack.media / "jobs" / job["id"]
    assert [path for path in folder.rglob("*") if path.is_file()] == []
    assert stack.get(f"/api/v1/jobs/{job['id']}/results")[0] == 409
