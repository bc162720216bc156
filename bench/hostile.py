"""The hostile-text catalogue, timed through every path that reads or writes a review (issue 15).

    python -m bench.hostile [--model-dir DIR] [--repeat 5] [--json FILE]

Runs in a process of its own (a throw-away SQLite database, Django's test client, the rate limits
lifted): for each hostile text, the classify page, the API's predict with an explanation, review
creation (page and API, the explanation stored), the history, the detail page, the admin list and
change page, and the CSV export; then the p95 per path over every text and repeat. The tests in
tests/test_hostile_text.py send the same texts through the same paths and check the answers.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.output import Row, emit, render
from ml.testing import SHORT_REVIEWS

# Each at most REVIEW_MAX_CHARS (20,000) characters, so each is a valid review that gets stored.
_PUNCTUATION = "!?.,;:-_()[]{}'\"…—/\\*&^%$#@~`|<>"
_FAMILY = "\U0001f468\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466"  # one emoji of 4 joined by 3 ZWJ
HOSTILE_TEXTS: dict[str, str] = {
    "punctuation": (_PUNCTUATION * 700)[:20_000],
    "one-long-word": "a" + "!" * 19_998 + "a",
    "one-letter-words": " ".join("abcdefghij"[i % 10] for i in range(5_000)),
    "nested-brackets": "([{<" * 2_499 + "great" + ">}])" * 2_499,
    "emoji-and-zero-width-joiners": ((_FAMILY + " good\u200dfilm\u200d\u200d\U0001f44d\U0001f3fd ") * 1_000)[:20_000],
    "right-to-left-overrides": ("\u202egood film\u202c \u2067terrible\u2069 \u202bمراجعة\u202c " * 600)[:20_000],
    "newlines": "Great" + "\n" * 10_000 + "film",
}

ROOT = Path(__file__).resolve().parent.parent
PATHS = (
    "classify page (visitor)",
    "API predict, explain=true",
    "review creation, page",
    "review creation, API",
    "detail page",
    "history page",
    "admin list",
    "admin change page",
    "admin CSV export",
    "API predict, sentences=true",  # issue 14: splits and scores within the explanation's budget
)

LIMIT_SECONDS = 1.0  # issue 15: no path may take longer at p95 on the default model


def environment(workdir: Path, model_dir: Path) -> dict[str, str]:
    """A process of its own: a throw-away database, the model asked for, the rate limits off, one
    TensorFlow thread per pool as the Procfile's web line sets."""
    return {
        **os.environ,
        "DJANGO_DEBUG": "true",
        "DATABASE_URL": f"sqlite:///{workdir / 'bench.sqlite3'}",
        "SENTIMENT_MODEL_DIR": str(model_dir),
        "API_THROTTLE_ANON": "1000000/minute",
        "API_THROTTLE_USER": "1000000/minute",
        "THROTTLE_CLASSIFY": "off",
        "THROTTLE_REVIEW_CREATE": "off",
        "CLASSIFY_CPU_BUDGET_ANON": "off",  # the per-request limit (3 s) stays: it is what is measured
        "CLASSIFY_CPU_BUDGET_USER": "off",
        "TF_NUM_INTRAOP_THREADS": os.environ.get("TF_NUM_INTRAOP_THREADS", "1"),
        "TF_NUM_INTEROP_THREADS": os.environ.get("TF_NUM_INTEROP_THREADS", "1"),
        "OMP_NUM_THREADS": os.environ.get("OMP_NUM_THREADS", "1"),
        "TF_CPP_MIN_LOG_LEVEL": "2",
    }


def _setup_django():
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sentisite.settings")
    django.setup()
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    setup_test_environment()  # "testserver" becomes an allowed host
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)


def _clients():
    from django.contrib.auth import get_user_model
    from django.test import Client
    from rest_framework.authtoken.models import Token

    users = get_user_model()
    member = users.objects.create_user("bench-member", password="a long enough password 1")
    staff = users.objects.create_superuser("bench-staff", password="a long enough password 2")
    page, admin = Client(), Client()
    page.force_login(member)
    admin.force_login(staff)
    api = Client(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=member).key}")
    return Client(), page, api, admin


def run_catalogue(repeat: int) -> dict:
    """{path: {"p50_ms", "p95_ms", "max_ms", "requests", "server_errors"}} over every text, `repeat` times."""
    import numpy as np

    _setup_django()
    from classifier import registry  # only once django.setup() has read the settings from the environment

    registry.predict(["warm up"])
    registry.explain("warm up the explanation")
    visitor, page, api, admin = _clients()
    timings: dict[str, list[float]] = {path: [] for path in PATHS}
    statuses: dict[str, list[int]] = {path: [] for path in PATHS}

    slowest: dict[str, tuple[float, str]] = {}
    current = {"text": ""}

    def timed(path, call):
        started = time.perf_counter()
        response = call()
        if getattr(response, "streaming", False):
            b"".join(response.streaming_content)
        timings[path].append((time.perf_counter() - started) * 1000)
        slowest[path] = max(slowest.get(path, (0.0, "")), (timings[path][-1], current["text"]))
        statuses[path].append(response.status_code)
        return response

    changelist = "/admin/reviews/review/"
    # One untimed pass with an ordinary review first: the first request of each path builds its
    # templates and URL patterns, which is start-up, not the text's cost.
    passes = [{"warm-up": "A brilliant film, I loved it."}] + [HOSTILE_TEXTS] * repeat
    for number, texts in enumerate(passes):
        for name, text in texts.items():
            current["text"] = name
            timed(PATHS[0], lambda text=text: visitor.post("/", {"text": text}))
            timed(
                PATHS[1],
                lambda text=text: visitor.post(
                    "/api/v1/predict?explain=true", {"text": text}, content_type="application/json"
                ),
            )
            timed(
                PATHS[9],
                lambda text=text: visitor.post(
                    "/api/v1/predict?sentences=true", {"text": text}, content_type="application/json"
                ),
            )
            stored = timed(PATHS[2], lambda text=text: page.post("/", {"text": text}))
            created = timed(
                PATHS[3],
                lambda text=text: api.post("/api/v1/reviews/", {"text": text}, content_type="application/json"),
            )
            ids = [int(stored["Location"].rstrip("/").rsplit("/", 1)[-1])] if stored.status_code == 302 else []
            ids += [created.json()["id"]] if created.status_code == 201 else []
            for review_id in ids:
                timed(PATHS[4], lambda review_id=review_id: page.get(f"/reviews/{review_id}/"))
                timed(PATHS[7], lambda review_id=review_id: admin.get(f"{changelist}{review_id}/change/"))
            timed(PATHS[5], lambda: page.get("/history/"))
            timed(PATHS[6], lambda: admin.get(changelist))
            timed(PATHS[8], lambda ids=ids: admin.post(changelist, {"action": "export_csv", "_selected_action": ids}))
        if number == 0:  # the warm-up pass is not counted
            for path in PATHS:
                timings[path].clear()
                statuses[path].clear()
            slowest.clear()
    return {
        path: {
            "p50_ms": float(np.percentile(timings[path], 50)),
            "p95_ms": float(np.percentile(timings[path], 95)),
            "max_ms": max(timings[path]),
            "slowest_text": slowest[path][1],
            "requests": len(timings[path]),
            "server_errors": sum(status >= 500 for status in statuses[path]),
            "statuses": sorted(set(statuses[path])),
        }
        for path in PATHS
    }


def filler(characters: int) -> str:
    """Ordinary review words, `characters` long: the most work per character for every model."""

    base = " ".join(text for text, _ in SHORT_REVIEWS) + " "
    return (base * (characters // len(base) + 1))[:characters].strip()


def run_worst_case_cpu(runs: int = 3) -> dict:
    """Per catalogued model: CPU seconds (all threads) of one API predict request with the longest text
    it accepts, explained where it explains it, measured warm; and of the request that loads it."""
    _setup_django()
    from django.conf import settings
    from django.test import Client

    from classifier import registry  # only once django.setup() has read the settings from the environment

    visitor = Client()
    results = {}
    longest = settings.REVIEW_MAX_CHARS
    for name in registry.available_models():
        limit = registry.explanation_limit(name)
        cases = [(longest, limit is None)] + ([(limit, True)] if limit is not None else [])
        started = time.process_time()
        registry.get_service(name)
        load_cpu = time.process_time() - started
        worst = 0.0
        for characters, explain in cases:
            body = {"text": filler(characters)}
            path = f"/api/v1/predict?model={name}" + ("&explain=true&sentences=true" if explain else "")
            for _ in range(runs):
                started = time.process_time()
                response = visitor.post(path, body, content_type="application/json")
                worst = max(worst, time.process_time() - started)
                if response.status_code != 200:
                    raise RuntimeError(f"{path}: {response.status_code} {response.content[:200]!r}")
        # The review's request (issue 27): the largest batch an explained request may hold (8), each text as
        # long as the model explains, explained and split into sentences; then 8 x 20,000 characters with
        # sentences. Refused (400) when estimated over 3 s; otherwise measured.
        batch_worst, refused = 0.0, 0
        for characters, query in ((limit or longest, "explain=true&sentences=true"), (longest, "sentences=true")):
            path = f"/api/v1/predict?model={name}&{query}"
            body = {"texts": [filler(characters)] * 8}
            started = time.process_time()
            response = visitor.post(path, body, content_type="application/json")
            spent = time.process_time() - started
            if response.status_code == 400:
                refused += 1
            elif response.status_code == 200:
                batch_worst = max(batch_worst, spent)
            else:
                raise RuntimeError(f"{path}: {response.status_code} {response.content[:200]!r}")
        results[name] = {
            "request_cpu_s": max(worst, batch_worst),
            "load_cpu_s": load_cpu,
            "explain_limit": limit,
            "batch_cpu_s": batch_worst,
            "batches_refused": refused,
        }
    return results


def run_subprocess(model_dir: Path, mode: str) -> dict:
    workdir = Path(tempfile.mkdtemp(prefix="sentisite-hostile-"))
    output = workdir / "result.json"
    command = [
        sys.executable,
        "-m",
        "bench.hostile",
        "--model-dir",
        str(model_dir),
        "--mode",
        mode,
        "--json",
        str(output),
    ]
    env = environment(workdir, model_dir)
    if mode == "cpu":  # every model kept, so that a request is measured warm; its load is measured apart
        env["SENTIMENT_MODEL_CACHE_SIZE"] = "6"
    subprocess.run(command, env=env, cwd=ROOT, check=True)
    return json.loads(output.read_text())


def rows(model_dir: Path) -> list:
    """The benchmark's rows: p95 per path for the catalogue, and the worst-case CPU of one request per model."""
    catalogue = run_subprocess(model_dir, "catalogue")
    table = []
    for number, path in enumerate(PATHS, start=1):
        stats = catalogue[path]
        met = stats["p95_ms"] <= LIMIT_SECONDS * 1000 and stats["server_errors"] == 0
        table.append(
            Row(
                f"7.{number} hostile texts: {path}",
                f"p50 / p95 / max; statuses ({stats['requests']} requests, {len(HOSTILE_TEXTS)} texts)",
                f"{stats['p50_ms']:.0f} / {stats['p95_ms']:.0f} / {stats['max_ms']:.0f} ms; {', '.join(map(str, stats['statuses']))}",
                "p95 <= 1 s, no 5xx",
                met,
            )
        )
    for name, stats in run_subprocess(model_dir, "cpu").items():
        limit = stats["explain_limit"]
        what = "20,000 characters, explained" if limit is None else f"20,000 characters, or {limit:,} explained"
        table.append(
            Row(
                f"8. worst-case CPU of one request: {name}",
                f"CPU seconds, warm ({what}); loading it (paid by each request for it with SENTIMENT_MODEL_CACHE_SIZE=0)",
                f"{stats['request_cpu_s']:.2f} s; load {stats['load_cpu_s']:.1f} s; 8-text batches: "
                f"{stats.get('batch_cpu_s', 0):.2f} s, {stats.get('batches_refused', 0)} of 2 refused (over 3 s)",
                "<= 3 s",
                stats["request_cpu_s"] <= 3.0,
            )
        )
    return table


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model-dir", type=Path, default=ROOT / "ml" / "artifacts" / "default")
    parser.add_argument("--mode", choices=["catalogue", "cpu", "rows"], default="rows")
    parser.add_argument("--repeat", type=int, default=3, help="passes over the catalogue")
    parser.add_argument("--json", type=Path, help="write the result here")
    args = parser.parse_args(argv)
    if args.mode == "rows":  # from the command line: both, each in a fresh process
        print(render(rows(args.model_dir), {"model_version": args.model_dir.name}))
        return 0
    result = run_catalogue(args.repeat) if args.mode == "catalogue" else run_worst_case_cpu()
    return emit(result, args.json)


if __name__ == "__main__":
    sys.exit(main())
