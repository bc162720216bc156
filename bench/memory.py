"""Resident memory of one process that is asked for every shipped model in turn (issue 15, item 7).

    python -m bench.memory [--cache-size N] [--rounds 2] [--json FILE]

Each run is a fresh process with the Procfile's TensorFlow settings: it answers with the default
model, then with each other shipped model in turn (`rounds` times), and records its resident set
size after each answer. The default is always kept; SENTIMENT_MODEL_CACHE_SIZE others at most.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.output import Row, emit

ROOT = Path(__file__).resolve().parent.parent
LIMIT_MB = 1024


def run(rounds: int) -> dict:
    import django
    import psutil

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sentisite.settings")
    django.setup()
    from django.conf import settings

    from classifier import registry  # only once django.setup() has read the settings from the environment

    process = psutil.Process()

    def resident_mb() -> float:
        return process.memory_info().rss / 2**20

    registry.predict(["warm up the default"])
    steps = [("default", resident_mb())]
    others = [name for name in registry.available_models() if name != registry.default_model_name()]
    for _ in range(rounds):
        for name in others:
            registry.predict(["A brilliant film, I loved it."], model=name)
            steps.append((name, resident_mb()))
    return {
        "cache_size": settings.SENTIMENT_MODEL_CACHE_SIZE,
        "models": len(others) + 1,
        "rounds": rounds,
        "steps": steps,
        "default_mb": steps[0][1],
        "max_mb": max(mb for _, mb in steps),
        "last_mb": steps[-1][1],
    }


def run_subprocess(cache_size: int | None, rounds: int) -> dict:
    output = Path(tempfile.mkdtemp(prefix="sentisite-memory-")) / "result.json"
    env = {
        **os.environ,
        "DJANGO_DEBUG": "true",
        "TF_NUM_INTRAOP_THREADS": "1",
        "TF_NUM_INTEROP_THREADS": "1",
        "OMP_NUM_THREADS": "1",
        "TF_CPP_MIN_LOG_LEVEL": "2",
    }
    env.pop("SENTIMENT_MODEL_CACHE_SIZE", None)
    if cache_size is not None:
        env["SENTIMENT_MODEL_CACHE_SIZE"] = str(cache_size)
    command = [sys.executable, "-m", "bench.memory", "--rounds", str(rounds), "--json", str(output)]
    subprocess.run(command, env=env, cwd=ROOT, check=True)
    return json.loads(output.read_text())


def rows(rounds: int = 2) -> list:
    """The default cache size against keeping one more model (cache size 1), each in a fresh process."""
    table = []
    for cache_size, wording in ((None, "the default setting"), (1, "one more model kept")):
        result = run_subprocess(cache_size, rounds)
        table.append(
            Row(
                f"9. memory: each of the {result['models']} models in turn, {rounds} rounds, "
                f"SENTIMENT_MODEL_CACHE_SIZE={result['cache_size']} ({wording})",
                "resident MB: default alone / most / at the end",
                f"{result['default_mb']:.0f} / {result['max_mb']:.0f} / {result['last_mb']:.0f} MB",
                f"<= {LIMIT_MB} MB" if cache_size is None else "",
                result["max_mb"] <= LIMIT_MB if cache_size is None else None,
            )
        )
    return table


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--json", type=Path, help="write the result here")
    args = parser.parse_args(argv)
    result = run(args.rounds)
    return emit(result, args.json)


if __name__ == "__main__":
    sys.exit(main())
