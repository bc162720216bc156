"""gunicorn settings that belong with the code (`gunicorn -c python:sentisite.gunicorn`): metrics across workers.

The Procfile's web line holds the rest (workers, threads, timeouts); its flags win over this file.
"""

import os
import shutil
import tempfile
from pathlib import Path

# prometheus_client's multiprocess mode: each worker writes its metrics to files in this folder and
# GET /metrics sums them, whichever worker answers. It must be in the environment before a worker first
# imports prometheus_client; this file runs in the master, before it forks them. Unset, a private
# folder is made for this server and removed when it stops.
_OWN_FOLDER = not os.environ.get("PROMETHEUS_MULTIPROC_DIR")
if _OWN_FOLDER:
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="sentisite-metrics-")


def on_starting(server):
    """Start from zero: files that an earlier server's workers left would be summed into this one's figures."""
    folder = Path(os.environ["PROMETHEUS_MULTIPROC_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    for path in folder.glob("*.db"):  # the library's files only, should the folder be shared by mistake
        path.unlink()


def child_exit(server, worker):
    """A worker that exits (recycled by --max-requests, killed by the timeout) keeps its counts; the library
    is told it is gone, as its documentation requires."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def on_exit(server):
    if _OWN_FOLDER:
        shutil.rmtree(os.environ["PROMETHEUS_MULTIPROC_DIR"], ignore_errors=True)
