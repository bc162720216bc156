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
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bench.client import Session, api_token, sign_up
from bench.server import ROOT, log_tail, start_gunicorn, stop, wait_ready
from bench.serving import percentiles


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


def review_text(run_id: str, submission: int) -> str:
    """A review whose third word marks it uniquely, so every row can be matched to its request."""
    verdict = "wonderful" if submission % 2 else "dreadful"
    acting = "great" if submission % 3 else "poor"
    return f"load {run_id} s{submission} a {verdict} film, the acting was {acting}."


def wait_replaced(master_pid: int, killed: list[int], workers: int, deadline_seconds: float = 30) -> bool:
    """Whether the master has forked a replacement for every killed worker within the deadline."""
    import psutil

    started = time.monotonic()
    while time.monotonic() - started < deadline_seconds:
        try:
            alive = worker_pids(master_pid)
        except psutil.Error:
            return False
        if len(alive) >= workers and not set(killed) & set(alive):
            return True
        time.sleep(0.1)
    return False


def run(model_dir: Path, submissions: int, clients: int, database_url: str | None, kill_worker: bool) -> dict:
    """Run the load against a fresh database (dropped afterwards) and return the reconciled report."""
    workdir = Path(tempfile.mkdtemp(prefix="sentisite-load-"))
    try:
        url = prepare_database(database_url, workdir)
        try:
            return _run(Path(model_dir), submissions, clients, url, kill_worker)
        finally:
            drop_database(url)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _run(model_dir: Path, submissions: int, clients: int, url: str, kill_worker: bool) -> dict:
    run_id = uuid.uuid4().hex[:10]
    workers = 2
    # The run measures loss and latency, not the rate limiter: every account signs in from 127.0.0.1.
    unlimited = "1000000/minute"
    env_extra = {
        "DATABASE_URL": url,
        "API_THROTTLE_USER": unlimited,
        "API_THROTTLE_ANON": unlimited,
        "API_THROTTLE_LOGIN": unlimited,
    }
    phases = {}  # seconds spent in each phase, to see where a slow run went
    mark = time.perf_counter()
    process, port, _, gunicorn_dir = start_gunicorn(model_dir, workers=workers, threads=4, env_extra=env_extra)
    outcomes: list[tuple[int, str, int, float]] = []  # (submission, channel, status, ms)
    lock = threading.Lock()
    killed: list[int] = []
    try:
        try:
            wait_ready(port, process)
            phases["start"], mark = time.perf_counter() - mark, time.perf_counter()
        except RuntimeError as exc:
            raise RuntimeError(f"{exc}; gunicorn's log ends:\n{log_tail(gunicorn_dir)}") from None
        users = [f"load{run_id}u{i}" for i in range(clients)]
        # Sign-ups hash passwords (slow by design): do them side by side, not one after another.
        with ThreadPoolExecutor(min(clients, 8)) as pool:
            sessions = list(pool.map(lambda name: sign_up(port, name), users))
            tokens = list(pool.map(lambda name: api_token(port, name), users))

        def client(number: int):
            session = sessions[number]
            api = Session(port)
            headers = {"Content-Type": "application/json", "Authorization": f"Token {tokens[number]}"}
            for submission in range(number, submissions, clients):
                text = review_text(run_id, submission)
                channel = "api" if submission % 2 == 0 else "form"
                began = time.perf_counter()
                try:
                    if channel == "api":
                        status, _ = api.send("POST", "/api/v1/reviews/", json.dumps({"text": text}).encode(), headers)
                    else:
                        status, _ = session.form("/", {"text": text})
                except (OSError, http.client.HTTPException):
                    status = 0  # cut off: the request may or may not have been committed
                with lock:
                    outcomes.append((submission, channel, status, (time.perf_counter() - began) * 1000))
                    if kill_worker and not killed and submission >= submissions // 2:
                        # The other clients' requests are in flight: some are cut off mid-transaction.
                        victim = worker_pids(process.pid)[0]
                        os.kill(victim, signal.SIGKILL)
                        killed.append(victim)

        phases["sign_up"] = time.perf_counter() - mark
        began = time.perf_counter()
        with ThreadPoolExecutor(clients) as pool:
            list(pool.map(client, range(clients)))
        elapsed = time.perf_counter() - began
        phases["load"], mark = elapsed, time.perf_counter()
        replaced = wait_replaced(process.pid, killed, workers) if killed else None
        try:
            ready_after = wait_ready(port, process, 60) is not None
        except RuntimeError:
            ready_after = False
    finally:
        stop(process, gunicorn_dir)
    rows = count_rows(url, run_id)
    phases["stop_and_count"] = time.perf_counter() - mark
    report = reconcile(outcomes, rows, url, clients, elapsed, killed, replaced, ready_after)
    report["phase_seconds"] = {name: round(seconds, 1) for name, seconds in phases.items()}
    return report


def reconcile(
    outcomes, rows: dict[str, int], url: str, clients: int, elapsed: float, killed, replaced, ready_after
) -> dict:
    """Match responses to rows: each 201/302 is one whole row, a refusal none, a cut-off request 0 or 1."""
    succeeded = {f"s{s}" for s, _, status, _ in outcomes if status in (201, 302)}
    in_doubt = {f"s{s}" for s, _, status, _ in outcomes if status == 0}
    # Anything else refused the submission: a 4xx, a 5xx, or a 200 (the form shown again, not saved).
    refused = {f"s{s}" for s, _, status, _ in outcomes if status not in (0, 201, 302)}
    statuses: dict[str, int] = {}
    for _, _, status, _ in outcomes:
        statuses[str(status)] = statuses.get(str(status), 0) + 1
    stats = percentiles([ms for *_, ms in outcomes])
    whole = {key for key in rows if not key.startswith("BROKEN:")}
    report = {
        "database": url.split(":")[0],
        "submissions": len(outcomes),
        "clients": clients,
        "statuses": dict(sorted(statuses.items())),
        "succeeded": len(succeeded),
        "refused": len(refused),
        "server_errors_5xx": sum(n for s, n in statuses.items() if s.startswith("5")),
        "rows": sum(n for key, n in rows.items() if not key.startswith("BROKEN:")),
        "broken_rows": sum(n for key, n in rows.items() if key.startswith("BROKEN:")),
        "lost": sorted(succeeded - whole)[:10],
        "duplicated": sorted(key for key, n in rows.items() if n > 1)[:10],
        "rows_for_refused": sorted(refused & whole)[:10],
        "in_doubt": len(in_doubt),
        "in_doubt_committed": len(in_doubt & whole),
        "unexpected_rows": sorted(set(rows) - succeeded - in_doubt)[:10],
        "p50_ms": round(stats["p50"], 1),
        "p95_ms": round(stats["p95"], 1),
        "p99_ms": round(stats["p99"], 1),
        "requests_per_second": round(len(outcomes) / elapsed, 1),
        "worker_killed": bool(killed),
        "worker_replaced": replaced,
        "ready_after_run": ready_after,
    }
    report["reconciled"] = (
        not report["lost"]
        and not report["duplicated"]
        and not report["rows_for_refused"]
        and not report["unexpected_rows"]
        and report["broken_rows"] == 0
        and report["server_errors_5xx"] == 0
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
    parser.add_argument(
        "--database-url",
        default=None,
        help="PostgreSQL server URL (default: 127.0.0.1:5432 if it answers, else SQLite)",
    )
    parser.add_argument("--kill-worker", action="store_true", help="SIGKILL one gunicorn worker half-way")
    args = parser.parse_args(argv)
    report = run(
        args.model_dir, args.submissions, args.clients, args.database_url or default_database_url(), args.kill_worker
    )
    print(json.dumps(report, indent=2))
    return 0 if report["reconciled"] else 1


if __name__ == "__main__":
    sys.exit(main())
