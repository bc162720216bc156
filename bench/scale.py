"""The pages as the tables grow: python -m bench.scale [--db sqlite postgres] [--sizes 1000 10000 50000].

One user holds 1k, 10k or 50k reviews (a user per size, so the rows are built once and reused) while
twenty others hold 5k each: 161k rows in the table. The rows copy the fields of real classified
reviews (IMDB test reviews, classified once by the default model and kept in the work folder), written
with bulk_create: no model runs per row. Each page is requested in process through Django's test
client, sequentially, after one warm-up request; the table gives the median and p95 wall time in
milliseconds (the admin export: the whole download), the mean CPU time (this process, which runs SQLite,
plus the PostgreSQL backend's, read from /proc; less disturbed by a busy machine than wall time) and the
number of queries. PostgreSQL is vacuumed and analysed
after the build, SQLite analysed.

Each database runs in its own process (settings are read once per process); --only-db is that child.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench.scale_plans import explain
from bench.scale_rows import API_PAGE_SIZE, COMMON_WORD, PAGE_SIZE, RARE_WORD, build

ROOT = Path(__file__).resolve().parent.parent
POSTGRES_URL = os.environ.get("SCALE_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/sentisite_scale")


def _environment(database: str, workdir: Path) -> dict:
    url = POSTGRES_URL if database == "postgres" else f"sqlite:///{workdir / 'scale.sqlite3'}"
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "sentisite.settings",
        "DJANGO_DEBUG": "true",  # as `make run` serves the site
        "DATABASE_URL": url,
        "DJANGO_ALLOWED_HOSTS": "testserver",
        # The benchmark's own requests must not be throttled.
        "API_THROTTLE_USER": "1000000/minute",
        "THROTTLE_HISTORY": "1000000/minute",
        "TF_CPP_MIN_LOG_LEVEL": "2",
    }


# --- measuring ---


def _pages(size: int, user_id: int) -> list[tuple[str, str, str]]:
    """(row name, method, path) of each measured page for the user holding `size` reviews."""
    last, middle = math.ceil(size / PAGE_SIZE), math.ceil(size / PAGE_SIZE / 2)
    api_last = math.ceil(size / API_PAGE_SIZE)
    return [
        ("/history/", "get", "/history/"),
        ("/history/?sentiment=negative", "get", "/history/?sentiment=negative"),
        ("/history/?page=<middle>", "get", f"/history/?page={middle}"),
        ("/history/?page=<last>", "get", f"/history/?page={last}"),
        (f"/history/?q={COMMON_WORD} (common)", "get", f"/history/?q={COMMON_WORD}"),
        (f"/history/?q={RARE_WORD} (rare)", "get", f"/history/?q={RARE_WORD}"),
        ("API /reviews/", "api", "/api/v1/reviews/"),
        (f"API ?search={COMMON_WORD}", "api", f"/api/v1/reviews/?search={COMMON_WORD}"),
        (f"API ?search={RARE_WORD}", "api", f"/api/v1/reviews/?search={RARE_WORD}"),
        ("API ?page=<last>", "api", f"/api/v1/reviews/?page={api_last}"),
        ("API ?ordering=-score", "api", "/api/v1/reviews/?ordering=-score"),
        ("admin changelist", "staff", "/admin/reviews/review/"),
        (f"admin ?q={RARE_WORD}", "staff", f"/admin/reviews/review/?q={RARE_WORD}"),
        ("admin ?q=<username>", "staff", f"/admin/reviews/review/?q=scale{size}"),
        ("admin ?warning=very_short", "staff", "/admin/reviews/review/?warning=very_short"),
        ("admin ?warning=- (none)", "staff", "/admin/reviews/review/?warning=-"),
        ("admin CSV export (the user's rows)", "export", f"/admin/reviews/review/?owner__id__exact={user_id}"),
    ]


def measure(sizes: list[int], repeat: int, only: str | None) -> dict:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from rest_framework.authtoken.models import Token

    from reviews.models import Review

    User = get_user_model()
    staff = Client()
    staff.force_login(User.objects.get(username="bench-staff"))
    results = {"rows_in_table": Review.objects.count(), "pages": {}}
    for size in sizes:
        user = User.objects.get(username=f"scale{size}")
        browser = Client()
        browser.force_login(user)
        token = Token.objects.get_or_create(user=user)[0].key
        api = Client(HTTP_AUTHORIZATION=f"Token {token}")
        some_id = Review.objects.filter(owner=user).values_list("pk", flat=True).first()

        def request(kind, path, browser=browser, api=api, some_id=some_id):
            if kind == "get":
                response = browser.get(path)
            elif kind == "api":
                response = api.get(path)
            elif kind == "staff":
                response = staff.get(path)
            else:
                data = {"action": "export_csv", "select_across": "1", "index": "0", "_selected_action": [some_id]}
                response = staff.post(path, data)
            body = b"".join(response.streaming_content) if response.streaming else response.content
            if response.status_code != 200:
                raise RuntimeError(f"{path}: {response.status_code} {body[:300]!r}")
            return body

        for name, kind, path in _pages(size, user.pk):
            if only and only not in name:
                continue
            request(kind, path)  # warm-up
            timings, cpu = [], []
            for _ in range(repeat):
                with CaptureQueriesContext(connection) as queries:
                    start, start_cpu, start_db = time.perf_counter(), time.process_time(), _database_cpu(connection)
                    body = request(kind, path)
                    timings.append((time.perf_counter() - start) * 1000)
                    cpu.append((time.process_time() - start_cpu + _database_cpu(connection) - start_db) * 1000)
            ordered = sorted(timings)
            results["pages"].setdefault(name, {})[str(size)] = {
                "median": statistics.median(ordered),
                "p95": ordered[min(len(ordered) - 1, math.ceil(0.95 * len(ordered)) - 1)],
                "cpu_mean": statistics.fmean(cpu),
                "queries": len(queries),
                "bytes": len(body),
            }
            print(
                f"  {connection.vendor} {size:>6} {name:<40} {statistics.median(ordered):8.1f} ms"
                f" (cpu {statistics.fmean(cpu):7.1f} ms)",
                flush=True,
            )
    return results


def _database_cpu(connection) -> float:
    """Seconds of CPU that this connection's PostgreSQL backend has used (0 on SQLite, which runs in this
    process and is counted by process_time). Read from /proc: the server must be on this machine."""
    if connection.vendor != "postgresql":
        return 0.0
    if getattr(connection, "_bench_backend", None) is None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            connection._bench_backend = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{connection._bench_backend}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def child(database: str, workdir: Path, sizes: list[int], repeat: int, only: str | None, plans: bool) -> int:
    import django

    django.setup()
    build(workdir, sizes)
    if plans:
        explain(sizes, workdir, database)
        return 0
    results = measure(sizes, repeat, only)
    (workdir / f"results-{database}.json").write_text(json.dumps(results, indent=1))
    return 0


def table(workdir: Path, databases: list[str], sizes: list[int]) -> str:
    runs = {db: json.loads((workdir / f"results-{db}.json").read_text()) for db in databases}
    sizes_label = " → ".join(f"{size // 1000}k" for size in sizes)
    header = ["page"] + [f"{db} {sizes_label}: median / p95 / CPU ms (queries)" for db in databases]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    names = list(dict.fromkeys(name for run in runs.values() for name in run["pages"]))
    for name in names:
        cells = [name]
        for db in databases:
            measured = runs[db]["pages"].get(name, {})
            cells.append(
                " → ".join(
                    f"{m['median']:.0f} / {m['p95']:.0f} / {m.get('cpu_mean', float('nan')):.0f} ({m['queries']})"
                    if m
                    else "–"
                    for m in (measured.get(str(size)) for size in sizes)
                )
            )
        lines.append("| " + " | ".join(cells) + " |")
    rows = ", ".join(f"{db} {run['rows_in_table']:,}" for db, run in runs.items())
    return "\n".join(lines) + f"\n\nRows in the table: {rows}.\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", nargs="+", choices=["sqlite", "postgres"], default=["sqlite", "postgres"])
    parser.add_argument("--sizes", nargs="+", type=int, default=[1_000, 10_000, 50_000])
    parser.add_argument("--repeat", type=int, default=20, help="timed requests per page (after one warm-up)")
    parser.add_argument("--only", help="measure only the pages whose name contains this")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/sentisite-scale"))
    parser.add_argument("--explain", action="store_true", help="print each page's main query plans instead")
    parser.add_argument("--only-db", choices=["sqlite", "postgres"], help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    args.workdir.mkdir(parents=True, exist_ok=True)
    if args.only_db:
        return child(args.only_db, args.workdir, args.sizes, args.repeat, args.only, args.explain)
    for database in args.db:
        if database == "postgres":
            _create_postgres_database()
        command = [sys.executable, "-m", "bench.scale", "--only-db", database, "--workdir", str(args.workdir)]
        command += ["--sizes", *map(str, args.sizes), "--repeat", str(args.repeat)]
        command += ["--only", args.only] if args.only else []
        command += ["--explain"] if args.explain else []
        subprocess.run(command, check=True, cwd=ROOT, env=_environment(database, args.workdir))
    if not args.explain:
        print(table(args.workdir, args.db, args.sizes))
    return 0


def _create_postgres_database() -> None:
    import psycopg

    name = POSTGRES_URL.rsplit("/", 1)[1]
    with psycopg.connect(POSTGRES_URL.rsplit("/", 1)[0] + "/postgres", autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')


if __name__ == "__main__":
    sys.exit(main())
