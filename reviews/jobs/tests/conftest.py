"""Fixtures of the job tests: files stored in a throw-away MEDIA_ROOT, small chunks, the tiny model."""

import pytest


@pytest.fixture(autouse=True)
def job_settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.JOBS_CHUNK_ROWS = 10
    settings.JOBS_CHUNK_LEASE_SECONDS = 60
    return settings
