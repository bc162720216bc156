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
import datetime
import json
import math
import os
import statistics
import subprocess
import sys
import tarfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
POSTGRES_URL = os.environ.get("SCALE_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/sentisite_scale")
OTHERS, OTHER_ROWS = 20, 5_000
SEED_REVIEWS = 200
SPAN_DAYS = 730  # the rows' dates spread over two years, newest today
RARE_WORD = "quokka"  # in three reviews of each measured user only
COMMON_WORD = "film"
PAGE_SIZE, API_PAGE_SIZE = 20, 20


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


# --- the seed: real classified reviews ---


def _imdb_texts(count: int) -> list[str]:
    archive = os.environ.get("IMDB_DATA") or str(ROOT.parent / "shared" / "data" / "aclImdb_v1.tar.gz")
    texts = {"pos": [], "neg": []}
    with tarfile.open(archive, "r:gz") as tar:
        for member in tar:
            parts = member.name.split("/")
            if len(parts) == 4 and parts[1] == "test" and parts[2] in texts and len(texts[parts[2]]) < count // 2:
                texts[parts[2]].append(tar.extractfile(member).read().decode("utf-8").replace("<br />", "\n"))
            if all(len(found) >= count // 2 for found in texts.values()):
                break
    return [text for pair in zip(texts["pos"], texts["neg"], strict=True) for text in pair]


def _seed(workdir: Path) -> list[dict]:
    """The fields of SEED_REVIEWS classified reviews (one in ten cut to four words, so short texts and
    their warnings are there too), classified once and kept in workdir/seed.json."""
    path = workdir / "seed.json"
    if path.exists():
        return json.loads(path.read_text())
    from dataclasses import asdict

    from classifier.classify import classify

    texts = _imdb_texts(SEED_REVIEWS)
    texts = [" ".join(text.split()[:4]) if index % 10 == 9 else text for index, text in enumerate(texts)]
    seed = []
    for start in range(0, len(texts), 16):
        for result in classify(texts[start : start + 16], explain=True, sentences=True, strict=False):
            prediction = result.prediction
            seed.append(
                {
                    "text": result.text,
                    "sentiment": prediction.label,
                    "score": prediction.score,
                    "model_version": prediction.model_version,
                    "confidence": prediction.confidence,
                    "warnings": list(prediction.warnings),
                    "explanation": [[word, round(weight, 4)] for word, weight in result.explanation or []],
                    "sentences": [
                        {k: v for k, v in asdict(sentence).items() if k != "text"}
                        for sentence in result.sentences or []
                    ],
                    "mixed": result.mixed,
                }
            )
    path.write_text(json.dumps(seed))
    return seed


# --- building the rows ---


def _build_user(username: str, rows: int, seed: list[dict], offset: int) -> None:
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from reviews.models import Review

    User = get_user_model()
    if User.objects.filter(username=username).exists():
        return
    user = User.objects.create_user(username, f"{username}@example.com", "bench-password-not-secret")
    now = timezone.now().replace(microsecond=0)
    step = datetime.timedelta(days=SPAN_DAYS) / rows
    rare = {rows // 7, rows // 2, rows - 3}
    batch = []
    for index in range(rows):
        fields = dict(seed[(index * 7 + offset) % len(seed)])
        if index in rare:
            fields["text"] = f"{fields['text']} A {RARE_WORD} would have liked it."
            fields["sentences"], fields["mixed"] = [], None
        batch.append(Review(owner=user, created_at=now - step * index, verdict_disputed=index % 50 == 0, **fields))
        if len(batch) == 2_000:
            Review.objects.bulk_create(batch)
            batch = []
    Review.objects.bulk_create(batch)


def build(workdir: Path, sizes: list[int]) -> None:
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection

    from reviews import services
    from reviews.models import Review

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    seed = _seed(workdir)
    # The rows carry their own dates (auto_now_add would stamp them all now).
    Review._meta.get_field("created_at").auto_now_add = False
    built = False
    try:
        for number in range(OTHERS):
            if not get_user_model().objects.filter(username=f"other{number}").exists():
                _build_user(f"other{number}", OTHER_ROWS, seed, number)
                built = True
        for size in sizes:
            if not get_user_model().objects.filter(username=f"scale{size}").exists():
                _build_user(f"scale{size}", size, seed, size)
                built = True
    finally:
        Review._meta.get_field("created_at").auto_now_add = True
    if not get_user_model().objects.filter(username="bench-staff").exists():
        get_user_model().objects.create_superuser("bench-staff", "staff@example.com", "bench-password-not-secret")
    if built:
        # bulk_create skips what the services keep beside the rows (the per-day counts).
        rebuild = getattr(services, "review_days_rebuild", None)
        if rebuild is not None:
            rebuild()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
        else:
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")


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


def main_queries(size: int) -> list[tuple[str, object]]:
    """(name, queryset) of each page's main queries for the user holding `size` reviews, as the pages
    build them (selectors, the paginator's id query, the admin's filters and search)."""
    from django.contrib.admin.sites import site
    from django.contrib.auth import get_user_model
    from django.db.models import Sum
    from django.test import RequestFactory

    from reviews import admin as review_admin
    from reviews import selectors
    from reviews.models import Review, ReviewDay

    user = get_user_model().objects.get(username=f"scale{size}")
    middle = (math.ceil(size / PAGE_SIZE / 2) - 1) * PAGE_SIZE
    last = (math.ceil(size / PAGE_SIZE) - 1) * PAGE_SIZE
    newest = selectors.review_list(user=user)
    model_admin = site._registry[Review]
    request = RequestFactory().get("/admin/reviews/review/")
    everything = Review.objects.select_related("owner").order_by("-created_at", "-id")
    searched, _ = model_admin.get_search_results(request, everything, RARE_WORD)
    by_owner, _ = model_admin.get_search_results(request, everything, f"scale{size}")
    warned = review_admin.WarningFilter(request, {"warning": ["very_short"]}, Review, model_admin)
    unwarned = review_admin.WarningFilter(request, {"warning": ["-"]}, Review, model_admin)
    return [
        (
            "history: counts (ReviewDay)",
            ReviewDay.objects.filter(owner=user).values("sentiment").annotate(n=Sum("reviews")).order_by(),
        ),
        ("history: the chart's days (ReviewDay)", ReviewDay.objects.filter(owner=user, reviews__gt=0)),
        ("history: page ids, last page", newest.values_list("pk", flat=True)[last : last + PAGE_SIZE]),
        ("history: page ids, middle page", newest.values_list("pk", flat=True)[middle : middle + PAGE_SIZE]),
        ("history: a page's rows by id", Review.objects.filter(pk__in=list(newest.values_list("pk", flat=True)[:20]))),
        (
            "history: negative, last page ids",
            selectors.review_list(user=user, sentiment="negative").values_list("pk", flat=True)[last // 2 :][:20],
        ),
        ("history: top words' ids", newest.values_list("id", flat=True)[:200]),
        (f"search {COMMON_WORD}: bounded count", selectors.review_list(user=user, search=COMMON_WORD)[:1001]),
        (f"search {RARE_WORD}: bounded count", selectors.review_list(user=user, search=RARE_WORD)[:1001]),
        (f"search {RARE_WORD}: page ids", selectors.review_list(user=user, search=RARE_WORD).values_list("pk")[:20]),
        (
            "API ordering=-score: page ids",
            selectors.review_list(user=user).order_by("-score", "-id").values_list("pk", flat=True)[:20],
        ),
        ("admin: page ids", everything.values_list("pk", flat=True)[:50]),
        (f"admin ?q={RARE_WORD}: count", searched),
        ("admin ?q=<username>: page ids", by_owner.values_list("pk", flat=True)[:50]),
        ("admin ?warning=very_short: page ids", warned.queryset(request, everything).values_list("pk")[:50]),
        ("admin ?warning=-: page ids", unwarned.queryset(request, everything).values_list("pk")[:50]),
        (
            "admin export: values_list",
            Review.objects.filter(owner=user).order_by("pk").values_list(*review_admin.EXPORT_FIELDS),
        ),
    ]


def explain(sizes: list[int], workdir: Path, database: str) -> None:
    from django.db import connection

    lines = []
    for name, queryset in main_queries(max(sizes)):
        if name.endswith("count"):
            sql_plan = _explain_count(queryset, connection)
        else:
            options = {"analyze": True} if connection.vendor == "postgresql" else {}
            sql_plan = queryset.explain(**options)
        lines += [f"### {name}", "", "```", sql_plan, "```", ""]
    (workdir / f"explain-{database}.md").write_text("\n".join(lines))
    print("\n".join(lines))


def _explain_count(queryset, connection) -> str:
    """The plan of SELECT COUNT(*) over the queryset (as the paginator runs it)."""
    sql, params = queryset.values("pk").query.sql_with_params()
    prefix = "EXPLAIN ANALYZE " if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN "
    with connection.cursor() as cursor:
        cursor.execute(f"{prefix}SELECT COUNT(*) FROM ({sql}) AS counted", params)
        rows = cursor.fetchall()
    if connection.vendor == "postgresql":
        return "\n".join(row[0] for row in rows)
    return "\n".join(" ".join(str(cell) for cell in row) for row in rows)


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
