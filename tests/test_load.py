"""Load without loss, reduced: 200 submissions from 16 clients through gunicorn, then with a worker killed mid-run."""

import json

import pytest

from bench import loadtest

pytestmark = pytest.mark.live_server

SUBMISSIONS = 200
CLIENTS = 16


@pytest.fixture(scope="module")
def database_url():
    """PostgreSQL when a server answers (a throw-away database is created on it), else SQLite."""
    url = loadtest.default_database_url()
    print(f"load test database: {'PostgreSQL' if url else 'SQLite (no PostgreSQL server answers)'}")
    return url


def run_load(tiny_artifact, database_url, *, kill_worker: bool) -> dict:
    report = loadtest.run(tiny_artifact, SUBMISSIONS, CLIENTS, database_url, kill_worker)
    print(json.dumps(report, indent=2))
    return report


def test_every_accepted_submission_is_exactly_one_whole_row(tiny_artifact, database_url):
    report = run_load(tiny_artifact, database_url, kill_worker=False)
    summary = json.dumps(report)
    assert report["submissions"] == SUBMISSIONS
    # Nothing cut off, refused or failed: half API calls (201), half form posts (302).
    assert report["statuses"] == {"201": SUBMISSIONS // 2, "302": SUBMISSIONS // 2}, summary
    assert report["rows"] == report["succeeded"] == SUBMISSIONS, summary
    assert report["server_errors_5xx"] == 0 and report["broken_rows"] == 0, summary
    assert report["lost"] == report["duplicated"] == report["unexpected_rows"] == [], summary
    assert report["reconciled"] and report["ready_after_run"], summary
    assert report["database"] == ("postgres" if database_url else "sqlite")


def test_a_worker_killed_mid_run_loses_nothing_and_is_replaced(tiny_artifact, database_url):
    report = run_load(tiny_artifact, database_url, kill_worker=True)
    summary = json.dumps(report)
    assert report["worker_killed"] and report["worker_replaced"], summary
    # Only requests cut off with the worker lack an answer; no refusals, no 5xx from the survivors.
    assert set(report["statuses"]) <= {"0", "201", "302"}, summary
    assert report["server_errors_5xx"] == 0 and report["refused"] == 0, summary
    # No half-written row: every row is whole, and each cut-off request is one whole row or none.
    assert report["broken_rows"] == 0, summary
    assert report["lost"] == report["duplicated"] == report["unexpected_rows"] == [], summary
    assert report["rows"] == report["succeeded"] + report["in_doubt_committed"], summary
    assert report["succeeded"] + report["in_doubt"] == SUBMISSIONS, summary
    assert report["reconciled"] and report["ready_after_run"], summary
