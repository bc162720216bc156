"""Settings come from the environment: local defaults, DATABASE_URL, and production's safety checks."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from sentisite.settings import env_bool
from sentisite.tests.environment import CLEAN, PRODUCTION, ROOT

READ = (
    "import json, django; from django.conf import settings; django.setup(); "
    "db = settings.DATABASES['default']; "
    "print(json.dumps({'debug': settings.DEBUG, 'engine': db['ENGINE'], 'name': str(db['NAME']), "
    "'hosts': settings.ALLOWED_HOSTS, 'model': str(settings.SENTIMENT_MODEL_DIR), 'cache': settings.CACHES['default']['BACKEND'], "
    "'hsts': getattr(settings, 'SECURE_HSTS_SECONDS', 0), 'secure_cookies': settings.SESSION_COOKIE_SECURE and settings.CSRF_COOKIE_SECURE}))"
)


def run_python(code: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**CLEAN, "DJANGO_SETTINGS_MODULE": "sentisite.settings", **env},
    )


def read_settings(env: dict) -> dict:
    result = run_python(READ, env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_no_environment_means_production_and_refuses_to_start_without_a_key():
    result = run_python(READ, {})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_debug_alone_means_local_development_on_sqlite():
    values = read_settings({"DJANGO_DEBUG": "true"})
    assert values["debug"] is True
    assert values["engine"] == "django.db.backends.sqlite3"
    assert values["name"].endswith("db.sqlite3")
    assert "127.0.0.1" in values["hosts"]
    assert values["model"].endswith("ml/artifacts/default")
    assert values["cache"].endswith("DatabaseCache")


def test_database_url_switches_to_postgresql():
    values = read_settings(
        {"DJANGO_DEBUG": "true", "DATABASE_URL": "postgres://someone:secret@db.internal:5433/reviews"}
    )
    assert values["engine"] == "django.db.backends.postgresql"
    assert values["name"] == "reviews"


def test_redis_url_switches_the_shared_cache_to_redis():
    assert read_settings({"DJANGO_DEBUG": "true", "REDIS_URL": "redis://127.0.0.1:6379/1"})["cache"].endswith(
        "RedisCache"
    )


def test_production_turns_on_https_only_settings():
    values = read_settings(PRODUCTION)
    assert values["debug"] is False and values["hosts"] == ["sentisite.example.com"]
    assert values["hsts"] >= 31_536_000 and values["secure_cookies"] is True


def test_production_without_a_secret_key_fails_clearly():
    env = {key: value for key, value in PRODUCTION.items() if key != "DJANGO_SECRET_KEY"}
    result = run_python(READ, env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_a_misspelt_boolean_is_an_error_not_a_silent_default():
    result = run_python(READ, {"DJANGO_DEBUG": "maybe"})
    assert result.returncode != 0 and "DJANGO_DEBUG must be true or false" in result.stderr


def test_check_deploy_passes_under_production_settings(tiny_artifact):
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**CLEAN, **PRODUCTION, "SENTIMENT_MODEL_DIR": str(tiny_artifact)},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_no_migrations_are_missing():
    result = subprocess.run(
        [sys.executable, "manage.py", "makemigrations", "--check", "--dry-run"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**CLEAN, "DJANGO_DEBUG": "true"},
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("flag", ["1", "true", "yes", "on", "0", "false", "no", "off"])
def test_boolean_spellings(flag, monkeypatch):
    monkeypatch.setenv("SOME_FLAG", flag)
    assert env_bool("SOME_FLAG", default=not flag) is (flag in {"1", "true", "yes", "on"})


def procfile_line(process: str) -> str:
    lines = (ROOT / "Procfile").read_text().splitlines()
    return next(line.removeprefix(f"{process}:").strip() for line in lines if line.startswith(f"{process}:"))


@pytest.mark.slow  # runs manage.py in a subprocess
def test_the_release_step_refuses_a_misconfigured_deploy(tmp_path):
    """The Procfile's release command, run as the platform runs it: a deploy warning stops the release."""
    release = procfile_line("release")
    assert release.index("migrate") < release.index("check --deploy --fail-level WARNING")
    misconfigured = {**PRODUCTION, "DJANGO_SECURE_HSTS_SECONDS": "0", "DATABASE_URL": f"sqlite:///{tmp_path / 'db'}"}
    result = subprocess.run(
        ["bash", "-c", release],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={**CLEAN, **misconfigured, "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"},
    )
    assert result.returncode != 0
    assert "security.W004" in result.stdout + result.stderr  # HSTS is off
