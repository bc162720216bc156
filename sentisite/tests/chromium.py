"""Debian's Chromium for the browser tests and the screenshots, never a browser Playwright downloads, with
flags for a headless, offline, sandbox-less run."""

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
