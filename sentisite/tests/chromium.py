"""Debian's Chromium for the browser tests and the screenshots, never a browser Playwright downloads, with
flags for a headless, offline, sandbox-less run."""

import contextlib
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@contextlib.contextmanager
def polls_held(page, pattern="**/api/v1/jobs/**"):
    """The page's polls wait in the browser while this thread plays the worker: the live server shares an
    in-memory SQLite database whose shared cache locks a table for a read in progress, so a worker's write
    beside a poll fails ("database table is locked"), which a real worker on its own database never meets."""
    held = []
    page.route(pattern, lambda route: held.append(route))
    page.wait_for_timeout(300)  # a poll already at the server finishes
    try:
        yield
    finally:
        page.unroute(pattern)
        for route in held:
            route.continue_()
