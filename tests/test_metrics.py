"""GET /metrics under real gunicorn with two workers: the counts are the sum over the workers, and it is not public."""

import http.client
import json
import os
import re
import signal
import time
from concurrent.futures import ThreadPoolExecutor

import psutil
import pytest
from prometheus_client.parser import text_string_to_metric_families

from bench.server import log_tail, start_gunicorn, stop, wait_ready

TOKEN = "live-test-metrics-token-" + "k" * 20
TEXTS = ["A wonderful film, I loved every minute of it.", "Dull, boring and far too long; I hated it."]


def call(port: int, path: str, method: str = "GET", body: dict | None = None, token: str | None = None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        payload = None
        if body is not None:
            payload, headers["Content-Type"] = json.dumps(body).encode(), "application/json"
        connection.request(method, path, body=payload, headers=headers)
        response = connection.getresponse()
        return response.status, response.read().decode(errors="replace")
    finally:
        connection.close()


def scrape(port: int) -> dict[tuple, float]:
    """{(sample name, sorted labels): value} from one scrape."""
    status, text = call(port, "/metrics", token=TOKEN)
    assert status == 200, text[:500]
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def value(samples: dict, name: str, **labels) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def workers(master_pid: int) -> set[int]:
    return {child.pid for child in psutil.Process(master_pid).children()}


def pids_with_files(folder) -> set[int]:
    return {int(re.search(r"_(\d+)\.db$", path.name).group(1)) for path in folder.glob("*.db")}


@pytest.mark.live_server
def test_metrics_are_summed_over_the_workers_and_survive_a_dead_worker(tiny_artifact, tmp_path):
    folder = tmp_path / "prometheus"
    folder.mkdir()
    (folder / "counter_1.db").write_bytes(b"left by an earlier run")
    env = {"METRICS_TOKEN": TOKEN, "PROMETHEUS_MULTIPROC_DIR": str(folder)}
    # One thread per worker: a worker busy with one request leaves the next connections to the other.
    process, port, _, workdir = start_gunicorn(tiny_artifact, workers=2, threads=1, env_extra=env)
    try:
        try:
            wait_ready(port, process, 120)
        except RuntimeError as exc:
            pytest.fail(f"{exc}\n{log_tail(workdir)}")
        assert not (folder / "counter_1.db").exists()  # wiped at start
        assert call(port, "/metrics")[0] == 403
        assert call(port, "/metrics", token="x" * 40)[0] == 403

        before = scrape(port)
        sent = {"healthz": 0, "predictions": 0}
        with ThreadPoolExecutor(max_workers=8) as pool:
            # Bursts until both workers have answered some (each writes its own files, named by its pid).
            for _ in range(20):
                statuses = list(pool.map(lambda _: call(port, "/healthz")[0], range(24)))
                assert statuses == [200] * 24
                sent["healthz"] += 24
                if len(pids_with_files(folder) & workers(process.pid)) >= 2:
                    break
            batch = pool.map(lambda text: call(port, "/api/v1/predict", "POST", {"text": text}), TEXTS * 3)
            assert [status for status, _ in batch] == [200] * 6
            sent["predictions"] += 6
        assert len(pids_with_files(folder) & workers(process.pid)) >= 2, "one worker answered everything"

        after = scrape(port)
        count = "sentisite_request_duration_seconds_count"
        assert value(after, count, view="healthz") - value(before, count, view="healthz") == sent["healthz"]
        assert (
            value(after, "sentisite_responses_total", view="healthz", status="200")
            - value(before, "sentisite_responses_total", view="healthz", status="200")
            == sent["healthz"]
        )
        predicted = sum(
            value(samples, "sentisite_predictions_total", model="tiny", sentiment=sentiment) * sign
            for samples, sign in ((after, 1), (before, -1))
            for sentiment in ("positive", "negative")
        )
        assert predicted == sent["predictions"]
        assert value(after, "sentisite_model_inference_seconds_count", model="tiny") >= sent["predictions"]

        # A worker killed outright: its counts stay in the sum, and its replacement adds to them.
        victim = sorted(workers(process.pid))[0]
        os.kill(victim, signal.SIGKILL)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and (victim in workers(process.pid) or len(workers(process.pid)) < 2):
            time.sleep(0.2)
        assert call(port, "/healthz")[0] == 200
        final = scrape(port)
        assert value(final, count, view="healthz") == value(after, count, view="healthz") + 1
    finally:
        stop(process, workdir)
