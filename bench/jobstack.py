"""A running site for bulk jobs: gunicorn and N job workers started from the Procfile on one database and one
MEDIA_ROOT, driven over HTTP like a client would (upload, poll, download); used by bench.jobs and the tests."""

from __future__ import annotations

import csv
import http.client
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

from bench.server import ROOT, log_tail, start_gunicorn, stop, wait_ready

MANAGE = [sys.executable, str(ROOT / "manage.py")]


def procfile_line(name: str) -> str:
    for line in (ROOT / "Procfile").read_text().splitlines():
        if line.startswith(f"{name}:"):
            return line.removeprefix(f"{name}:").strip()
    raise RuntimeError(f"Procfile has no {name}: line")


class Stack:
    """One gunicorn and its job workers sharing one database and one MEDIA_ROOT; stop() ends them all."""

    def __init__(self, model_dir: Path, *, database_url: str | None = None, env_extra: dict | None = None):
        self.media = Path(tempfile.mkdtemp(prefix="sentisite-jobs-media-"))
        self.env_extra = {
            "DJANGO_DEBUG": os.environ.get("DJANGO_DEBUG", "true"),
            "DJANGO_MEDIA_ROOT": str(self.media),
            "API_THROTTLE_USER": "1000000/minute",
            "JOBS_DAILY_ROW_QUOTA": "100000000",
            "WORKER_POLL_SECONDS": "0.2",
            **({"DATABASE_URL": database_url} if database_url else {}),
            **(env_extra or {}),
        }
        self.process, self.port, _, self.workdir = start_gunicorn(
            model_dir, workers=1, threads=4, env_extra=self.env_extra
        )
        self.env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{self.workdir / 'bench.sqlite3'}",
            "SENTIMENT_MODEL_DIR": str(model_dir),
            "PATH": f"{Path(sys.executable).parent}:{os.environ.get('PATH', '')}",
            **self.env_extra,
        }
        self.workers: list[subprocess.Popen] = []
        try:
            wait_ready(self.port, self.process, 90, path="/healthz")
        except RuntimeError as exc:
            self.stop()
            raise RuntimeError(f"{exc}\n{log_tail(self.workdir)}") from None
        self.token = self.create_token()

    def create_token(self) -> str:
        username = f"bench-{uuid.uuid4().hex[:8]}"
        code = (
            "from django.contrib.auth import get_user_model; from rest_framework.authtoken.models import Token; "
            f"user = get_user_model().objects.create_user({username!r}); print(Token.objects.create(user=user).key)"
        )
        done = subprocess.run(
            [*MANAGE, "shell", "-c", code], env=self.env, cwd=ROOT, capture_output=True, text=True, check=True
        )
        return done.stdout.strip().splitlines()[-1]

    def start_worker(self) -> subprocess.Popen:
        log = open(self.workdir / f"worker-{len(self.workers)}.log", "wb")  # noqa: SIM115 (closed with the folder)
        process = subprocess.Popen(
            ["bash", "-c", "exec env " + procfile_line("worker")],
            env=self.env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        process.log_path = Path(log.name)
        self.workers.append(process)
        return process

    def wait_started(self, process: subprocess.Popen, timeout: float = 90) -> None:
        """Until the worker polls the queue (it logs "Starting worker" once Django is set up)."""
        deadline = time.monotonic() + timeout
        while b"Starting worker" not in process.log_path.read_bytes():
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the worker did not start\n{self.worker_logs()}")
            time.sleep(0.1)

    def kill_worker(self, process: subprocess.Popen, sig=signal.SIGKILL) -> None:
        os.killpg(process.pid, sig)
        process.wait(timeout=30)

    def worker_logs(self) -> str:
        return "\n".join(path.read_text(errors="replace")[-1500:] for path in sorted(self.workdir.glob("worker-*.log")))

    def stop(self) -> None:
        for process in self.workers:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=30)
        stop(self.process, self.workdir)
        subprocess.run(["rm", "-rf", str(self.media)], check=False)

    # --- the API, as a client uses it ---------------------------------------------------------------------------

    def request(self, method: str, path: str, *, body=None, headers=None, timeout: float = 60):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        connection.request(method, path, body=body, headers={"Authorization": f"Token {self.token}", **(headers or {})})
        response = connection.getresponse()
        return connection, response

    def upload(self, path: Path, *, column: str = "text", model: str | None = None) -> tuple[int, dict]:
        """POST the file as multipart/form-data, streamed from disk; (status, body)."""
        boundary = uuid.uuid4().hex
        fields = [("column", column)] + ([("model", model)] if model else [])
        head = b"".join(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
            for name, value in fields
        )
        head += f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{path.name}"\r\nContent-Type: text/csv\r\n\r\n'.encode()
        tail = f"\r\n--{boundary}--\r\n".encode()

        def body():
            yield head
            with open(path, "rb") as file:
                while block := file.read(1024 * 1024):
                    yield block
            yield tail

        length = len(head) + path.stat().st_size + len(tail)
        headers = {"Content-Type": f"multipart/form-data; boundary={boundary}", "Content-Length": str(length)}
        connection, response = self.request("POST", "/api/v1/jobs", body=body(), headers=headers, timeout=600)
        payload = json.loads(response.read() or b"{}")
        connection.close()
        return response.status, payload

    def get(self, path: str) -> tuple[int, dict]:
        connection, response = self.request("GET", path)
        payload = json.loads(response.read() or b"{}")
        connection.close()
        return response.status, payload

    def delete(self, path: str) -> int:
        connection, response = self.request("DELETE", path)
        response.read()
        connection.close()
        return response.status

    def wait(
        self,
        job_id: str,
        *,
        until=lambda job: job["status"] not in ("queued", "running"),
        timeout: float = 120,
        every: float = 0.1,
    ) -> dict:
        deadline = time.monotonic() + timeout
        while True:
            status, job = self.get(f"/api/v1/jobs/{job_id}")
            if status == 200 and until(job):
                return job
            if time.monotonic() > deadline:
                raise TimeoutError(f"job {job_id}: {job}\n{self.worker_logs()}")
            time.sleep(every)

    def download(self, job: dict, destination: Path) -> Path:
        connection, response = self.request("GET", f"/api/v1/jobs/{job['id']}/results", timeout=600)
        if response.status != 200:
            raise RuntimeError(f"results: HTTP {response.status} {response.read()[:300]!r}")
        with open(destination, "wb") as file:
            while block := response.read(1024 * 1024):
                file.write(block)
        connection.close()
        return destination


def write_csv(path: Path, texts: list[str], rows: int) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(["id", "text"])
        for number in range(rows):
            writer.writerow([number, texts[number % len(texts)]])
    return path


def check_results(path: Path, rows: int) -> tuple[bool, int]:
    """Every input row exactly once, in input order, with a verdict; (ok, rows seen)."""
    seen = 0
    with open(path, newline="", encoding="utf-8") as file:
        reader = csv.reader(file)
        # confidence and warnings follow the four columns every results file has, since the calibration issue.
        if next(reader)[:6] != ["id", "text", "sentiment", "score", "model_version", "error"]:
            return False, 0
        for number, record in enumerate(reader):
            if int(record[0]) != number or record[2] not in ("positive", "negative"):
                return False, number
            seen += 1
    return seen == rows, seen


def peak_rss(processes: list[subprocess.Popen], stop_event: threading.Event, out: dict) -> None:
    import psutil

    while not stop_event.is_set():
        for process in processes:
            try:
                out["peak_mb"] = max(out.get("peak_mb", 0.0), psutil.Process(process.pid).memory_info().rss / 2**20)
            except psutil.Error:
                pass
        time.sleep(0.2)
