"""Retake the README's screenshots from the site serving the shipped default: python docs/screenshots/take.py

It starts the development server on a throwaway SQLite database and drives Debian's Chromium with
Playwright (conftest.CHROMIUM), as the browser tests do; nothing is downloaded.
"""

import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from sentisite.tests.chromium import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

PORT = 8765
SHOTS = [
    # (text, file, whole page?)
    (
        "Great cast and a beautiful score, but the plot is thin and the last hour drags. Still worth a watch.",
        "classify.png",
        True,
    ),
    ("The acting was brilliant but the plot was dreadful and far too long.", "explanation.png", False),
]


def serve(database: Path) -> subprocess.Popen:
    env = {**os.environ, "DJANGO_DEBUG": "true", "DATABASE_URL": f"sqlite:///{database}", "THROTTLE_CLASSIFY": "off"}
    python = sys.executable
    subprocess.run([python, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)  # noqa: S603
    subprocess.run([python, "manage.py", "createcachetable"], cwd=ROOT, env=env, check=True)  # noqa: S603
    server = subprocess.Popen([python, "manage.py", "runserver", "--noreload", f"127.0.0.1:{PORT}"], cwd=ROOT, env=env)  # noqa: S603
    for _ in range(120):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{PORT}/readyz", timeout=60)  # noqa: S310 (our own server)
            return server
        except OSError:
            time.sleep(1)
    server.terminate()
    raise SystemExit("the server did not become ready")


def main() -> int:
    from playwright.sync_api import expect, sync_playwright

    with tempfile.TemporaryDirectory() as scratch:
        server = serve(Path(scratch) / "screenshots.sqlite3")
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
                for text, name, whole in SHOTS:
                    page = browser.new_page(viewport={"width": 1200, "height": 900}, locale="en-US")
                    page.set_default_timeout(120_000)
                    page.goto(f"http://127.0.0.1:{PORT}/")
                    page.get_by_label("Your movie review").fill(text)
                    page.get_by_role("button", name="Classify review").click()
                    expect(page.get_by_test_id("keywords")).to_be_visible()
                    target = ROOT / "docs" / "screenshots" / name
                    (page if whole else page.locator("section.verdict")).screenshot(path=str(target))
                    print(f"wrote {target}")
                    page.close()
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
