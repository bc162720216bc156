"""gunicorn for the benchmarks and the live-server tests: started as the Procfile says, polled, stopped.

Each run gets a free 127.0.0.1 port and a throw-away SQLite database (or the DATABASE_URL it is given).
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def procfile_web_command() -> str:
    for line in (ROOT / "Procfile").read_text().splitlines():
        if line.startswith("web:"):
            return line.removeprefix("web:").strip()
    raise RuntimeError("Procfile has no web: line")


def request(port: int, method: str, path: str, body: dict | None = None, connection=None, timeout: float = 30):
    own = connection is None
    connection = connection or http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    payload = json.dumps(body).encode() if body is not None else None
    headers = {"Content-Type": "application/json"} if payload else {}
    connection.request(method, path, body=payload, headers=headers)
    response = connection.getresponse()
    response.read()
    if own:
        connection.close()
    return response.status


def rss_of_workers(master_pid: int) -> list[float]:
    import psutil

    try:
        return [child.memory_info().rss / 2**20 for child in psutil.Process(master_pid).children(recursive=True)]
    except psutil.Error:
        return []


def start_gunicorn(model_dir: Path, workers: int, threads: int, env_extra: dict | None = None, *, migrate: bool = True):
    """gunicorn with the Procfile's web command on a free 127.0.0.1 port and a throw-away SQLite database.

    `migrate=False` skips the release step, for a database that is meant to be unreachable.
    """
    workdir = Path(tempfile.mkdtemp(prefix="sentisite-bench-"))
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{workdir / 'bench.sqlite3'}",
        "SENTIMENT_MODEL_DIR": str(model_dir),
        "BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": str(workers),
        "GUNICORN_THREADS": str(threads),
        # The benchmark measures the model, not the rate limiter.
        "API_THROTTLE_ANON": "1000000/minute",
        "API_THROTTLE_USER": "1000000/minute",
        **dict.fromkeys(
            [
                "THROTTLE_CLASSIFY",
                "THROTTLE_REVIEW_CREATE",
                "THROTTLE_SIGNUP",
                "THROTTLE_PASSWORD_RESET",
                "CLASSIFY_CPU_BUDGET_ANON",
                "CLASSIFY_CPU_BUDGET_USER",
            ],
            "off",
        ),
        "PATH": f"{Path(sys.executable).parent}:{os.environ.get('PATH', '')}",
        **(env_extra or {}),
    }
    manage = [sys.executable, str(ROOT / "manage.py")]
    if migrate:
        subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=env, cwd=ROOT, check=True)
        subprocess.run([*manage, "createcachetable"], env=env, cwd=ROOT, check=True)
    started = time.perf_counter()
    with open(workdir / "gunicorn.log", "wb") as log:
        process = subprocess.Popen(
            # `exec env`: the line starts with VAR=value assignments, which bare `exec` takes for the
            # command; through env, gunicorn's master keeps this process's pid (workers are its children).
            ["bash", "-c", "exec env " + procfile_web_command()],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=log,
            start_new_session=True,
        )
    return process, port, started, workdir


def log_tail(workdir: Path, characters: int = 2000) -> str:
    """The end of gunicorn's log, for error messages (the folder is removed by `stop`)."""
    try:
        return (Path(workdir) / "gunicorn.log").read_text(errors="replace")[-characters:]
    except OSError:
        return ""


def wait_ready(port: int, process, deadline_seconds: float = 120, path: str = "/readyz") -> float:
    """Poll `path` until it answers 200 (/healthz for a process that is up but not ready)."""
    started = time.perf_counter()
    while time.perf_counter() - started < deadline_seconds:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited during start-up (status {process.returncode})")
        try:
            if request(port, "GET", path, timeout=10) == 200:
                return time.perf_counter()
        except OSError:
            pass
        time.sleep(0.05)
    raise RuntimeError("gunicorn did not become ready")


def stop(process, workdir: Path) -> None:
    """Stop gunicorn's whole process group (SIGKILL after 30 s); fine if it has already exited."""
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
    except ProcessLookupError:
        pass
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
    shutil.rmtree(workdir, ignore_errors=True)
