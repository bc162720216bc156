"""Load without loss: many clients submit reviews through the API and the form; every row reconciles.

    python -m bench.loadtest [--submissions 2000] [--clients 16] [--database-url postgres://...] [--kill-worker]

Starts gunicorn with the Procfile's settings on 127.0.0.1 against a fresh database (PostgreSQL when
a server answers, else SQLite), signs up users, and has --clients threads submit uniquely marked
reviews, half as API calls (201) and half as form posts (302). Then it counts: every 201/302 must
be exactly one whole row, no row may exist for a refused submission, and no response may be 5xx.
With --kill-worker, one worker is SIGKILLed mid-run; requests cut off with it are reported as
"in doubt" and must each be either one whole row or none.
"""

from __future__ import annotations

import argparse
import http.client
import http.cookies
import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.parse
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bench.serving import ROOT, percentiles, start_gunicorn, stop, wait_ready

PASSWORD = "load-test-Password-93!"  # noqa: S105 (a throw-away account in a throw-away database)


class Session:
    """A keep-alive HTTP client with cookies, enough for Django's CSRF-protected forms."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def send(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        try:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
            content = response.read()
        except (OSError, http.client.HTTPException):
            self.connection.close()
            self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            raise
        for header in response.headers.get_all("Set-Cookie") or []:
            cookie = http.cookies.SimpleCookie(header)
            for key, morsel in cookie.items():
                self.cookies[key] = morsel.value
        return response.status, content

    def form(self, path: str, fields: dict):
        fields = {**fields, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")}
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Referer": f"http://127.0.0.1:{self.port}{path}"}
        return self.send("POST", path, urllib.parse.urlencode(fields).encode(), headers)


def sign_up(port: int, username: str) -> Session:
    session = Session(port)
    session.send("GET", "/accounts/signup/")
    status, _ = session.form("/accounts/signup/", {"username": username, "password1": PASSWORD, "password2": PASSWORD})
    if status != 302:
        raise RuntimeError(f"sign-up of {username} answered {status}")
    session.send("GET", "/")  # a fresh CSRF cookie after login rotates it
    return session


def api_token(port: int, username: str) -> str:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.request("POST", "/api/v1/auth/token", json.dumps({"username": username, "password": PASSWORD}), {"Content-Type": "application/json"})
    response = connection.getresponse()
    body = json.loads(response.read())
    connection.close()
    return body["token"]


def prepare_database(url: str | None, workdir: Path) -> str:
    """A fresh, empty database for the run: PostgreSQL if given, else a SQLite file."""
    if not url:
        return f"sqlite:///{workdir / 'load.sqlite3'}"
    import psycopg

    parsed = urllib.parse.urlparse(url)
    name = f"sentisite_load_{uuid.uuid4().hex[:8]}"
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    return parsed._replace(path=f"/{name}").geturl()


def drop_database(url: str) -> None:
    if not url.startswith("postgres"):
        return
    import psycopg

    parsed = urllib.parse.urlparse(url)
    with psycopg.connect(parsed._replace(path="/postgres").geturl(), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{parsed.path.lstrip("/")}" WITH (FORCE)')


def count_rows(database_url: str, run_id: str) -> dict[str, int]:
    """marker -> number of whole rows (text, verdict, score and version all present) for this run."""
    code = (
        "import json, django; django.setup(); from reviews.models import Review; "
        f"rows = Review.objects.filter(text__startswith='load {run_id} ').values_list('text', 'sentiment', 'score', 'model_version'); "
        "out = {}\n"
        "for text, sentiment, score, version in rows:\n"
        "    whole = bool(sentiment) and score is not None and 0 <= score <= 1 and bool(version)\n"
        "    key = text.split()[2] if whole else 'BROKEN:' + text.split()[2]\n"
        "    out[key] = out.get(key, 0) + 1\n"
        "print(json.dumps(out))"
    )
    env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "sentisite.settings"}
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def worker_pids(master_pid: int) -> list[int]:
    import psutil

    return [child.pid for child in psutil.Process(master_pid).children()]


def run(model_dir: Path, submissions: int, clients: int, database_url: str | None, kill_worker: bool) -> dict:
    import tempfile

    workdir = Path(tempfile.mkdtemp(prefix="sentisite-load-"))
    url = prepare_database(database_url, workdir)
    run_id = uuid.uuid4().hex[:10]
    env_extra = {"DATABASE_URL": url, "API_THROTTLE_USER": "1000000/minute", "API_THROTTLE_ANON": "1000000/minute"}
    process, port, _, gunicorn_dir = start_gunicorn(model_dir, workers=2, threads=4, env_extra=env_extra)
    outcomes: list[tuple[int, str, int, float]] = []  # (submission, channel, status, ms)
    lock = threading.Lock()
    killed = []
    try:
        wait_ready(port, process)
        users = [f"load{run_id}u{i}" for i in range(clients)]
        sessions = [sign_up(port, name) for name in users]
        tokens = [api_token(port, name) for name in users]

        def client(number: int):
            session = sessions[number]
            api = Session(port)
            headers = {"Content-Type": "application/json", "Authorization": f"Token {tokens[number]}"}
            for submission in range(number, submissions, clients):
                text = f"load {run_id} s{submission} a {'wonderful' if submission % 2 else 'dreadful'} film, the acting was {'great' if submission % 3 else 'poor'}."
                began = time.perf_counter()
                try:
                    if submission % 2 == 0:
                        status, _ = api.send("POST", "/api/v1/reviews/", json.dumps({"text": text}).encode(), headers)
                        channel = "api"
                    else:
                        status, _ = session.form("/", {"text": text})
                        channel = "form"
                except (OSError, http.client.HTTPException):
                    status, channel = 0, "cut"
                with lock:
                    outcomes.append((submission, channel, status, (time.perf_counter() - began) * 1000))
                if kill_worker and not killed and submission >= submissions // 2:
                    with lock:
                        if not killed:
                            victim = worker_pids(process.pid)[0]
                            os.kill(victim, signal.SIGKILL)
                            killed.append(victim)

        began = time.perf_counter()
        with ThreadPoolExecutor(clients) as pool:
            list(pool.map(client, range(clients)))
        elapsed = time.perf_counter() - began
        replaced = bool(killed) and all(pid not in worker_pids(process.pid) for pid in killed) and len(worker_pids(process.pid)) >= 2
        ready_after = wait_ready(port, process, 60) is not None
    finally:
        stop(process, gunicorn_dir)
    rows = count_rows(url, run_id)
    drop_database(url)
    succeeded = {f"s{s}" for s, _, status, _ in outcomes if status in (201, 302)}
    refused = {f"s{s}" for s, _, status, _ in outcomes if 400 <= status < 500}
    in_doubt = {f"s{s}" for s, _, status, _ in outcomes if status == 0}
    statuses: dict[str, int] = {}
    for _, _, status, _ in outcomes:
        statuses[str(status)] = statuses.get(str(status), 0) + 1
    stats = percentiles([ms for *_, ms in outcomes])
    report = {
        "database": url.split(":")[0],
        "submissions": len(outcomes),
        "clients": clients,
        "statuses": statuses,
        "server_errors_5xx": sum(n for s, n in statuses.items() if s.startswith("5")),
        "rows": sum(n for key, n in rows.items() if not key.startswith("BROKEN:")),
        "broken_rows": sum(n for key, n in rows.items() if key.startswith("BROKEN:")),
        "lost": sorted(succeeded - set(rows))[:10],
        "duplicated": sorted(key for key, n in rows.items() if n > 1)[:10],
        "rows_for_refused": sorted(refused & set(rows))[:10],
        "in_doubt": len(in_doubt),
        "in_doubt_committed": len(in_doubt & set(rows)),
        "p50_ms": round(stats["p50"], 1),
        "p95_ms": round(stats["p95"], 1),
        "requests_per_second": round(len(outcomes) / elapsed, 1),
        "worker_killed": bool(killed),
        "worker_replaced": replaced if killed else None,
        "ready_after_run": ready_after,
    }
    stray = set(rows) - succeeded - in_doubt
    report["unexpected_rows"] = sorted(stray)[:10]
    report["reconciled"] = (
        not report["lost"] and not report["duplicated"] and not report["rows_for_refused"] and not stray
        and report["broken_rows"] == 0 and report["server_errors_5xx"] == 0
        and report["rows"] == len(succeeded) + report["in_doubt_committed"]
    )
    return report


def default_database_url() -> str | None:
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        return os.environ["DATABASE_URL"]
    try:
        import psycopg

        psycopg.connect("postgres://postgres@127.0.0.1:5432/postgres", connect_timeout=3).close()
    except Exception:  # noqa: BLE001 (no server: fall back to SQLite, and say so)
        return None
    return "postgres://postgres@127.0.0.1:5432/postgres"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model-dir", type=Path, default=ROOT / "ml" / "artifacts" / "default")
    parser.add_argument("--submissions", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--database-url", default=None, help="PostgreSQL server URL (default: 127.0.0.1:5432 if it answers, else SQLite)")
    parser.add_argument("--kill-worker", action="store_true", help="SIGKILL one gunicorn worker half-way")
    args = parser.parse_args(argv)
    report = run(args.model_dir, args.submissions, args.clients, args.database_url or default_database_url(), args.kill_worker)
    print(json.dumps(report, indent=2))
    return 0 if report["reconciled"] else 1


if __name__ == "__main__":
    sys.exit(main())
