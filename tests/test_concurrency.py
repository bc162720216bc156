"""Concurrent predictions in one gunicorn worker (8 threads) equal the serial ones, text for text."""

import http.client
import json
import threading

import pytest

from bench.loadtest import worker_pids
from bench.server import log_tail, start_gunicorn, stop, wait_ready
from ml.testing import NEGATIVE_WORDS, NEUTRAL_WORDS, POSITIVE_WORDS

pytestmark = pytest.mark.live_server

THREADS = 8
CALLS_PER_THREAD = 25
# Mixed sentiment words of the tiny model's vocabulary and different lengths: scores spread over 0..1, and
# concurrent calls carry differently shaped inputs through the same graph.
TEXTS = [
    " ".join([*POSITIVE_WORDS[: i % 3], *NEGATIVE_WORDS[: (i // 3) % 3], *NEUTRAL_WORDS[: (i * 7) % 10], f"number {i}"])
    for i in range(40)
]


def predict(connection: http.client.HTTPConnection, text: str) -> float:
    connection.request("POST", "/api/v1/predict", json.dumps({"text": text}), {"Content-Type": "application/json"})
    response = connection.getresponse()
    body = response.read()
    assert response.status == 200, body
    return json.loads(body)["score"]


def test_eight_threads_in_one_worker_give_the_serial_scores(tiny_artifact):
    process, port, _, workdir = start_gunicorn(tiny_artifact, workers=1, threads=THREADS)
    try:
        try:
            wait_ready(port, process, 90)
        except RuntimeError as exc:
            pytest.fail(f"{exc}\n{log_tail(workdir)}")
        assert len(worker_pids(process.pid)) == 1

        serial_connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        serial = {text: predict(serial_connection, text) for text in TEXTS}
        serial_connection.close()

        results: list[tuple[str, float]] = []
        errors: list[BaseException] = []
        start = threading.Barrier(THREADS)

        def client(number: int):
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            try:
                start.wait()  # all threads in flight together
                for call in range(CALLS_PER_THREAD):
                    text = TEXTS[(number * 5 + call) % len(TEXTS)]
                    results.append((text, predict(connection, text)))
            except BaseException as exc:  # reported below, with the others' results
                errors.append(exc)
            finally:
                connection.close()

        threads = [threading.Thread(target=client, args=(n,)) for n in range(THREADS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        assert not errors, errors
        assert len(results) == THREADS * CALLS_PER_THREAD
        mismatches = [(text, score, serial[text]) for text, score in results if score != serial[text]]
        assert mismatches == []  # bit for bit, not approximately
        assert len({round(score, 2) for score in serial.values()}) >= 5  # the texts do get different scores
    finally:
        stop(process, workdir)
