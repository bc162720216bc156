"""The bulk jobs page in a real headless Chromium: upload a CSV, watch the progress bar move without reloading,
then the counts by sentiment and the download button."""

import os

# Playwright's sync API runs an event loop in this thread; the ORM calls made here are still synchronous.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

import pytest  # noqa: E402
from django.conf import settings  # noqa: E402
from django.test import Client  # noqa: E402

from reviews.jobs import tasks  # noqa: E402
from reviews.jobs.models import Job  # noqa: E402
from reviews.jobs.tests.helpers import csv_bytes, review, run_worker  # noqa: E402
from sentisite.tests.chromium import CHROMIUM, CHROMIUM_ARGS, polls_held  # noqa: E402

pytestmark = pytest.mark.browser


@pytest.fixture
def page(live_server, user):
    if not CHROMIUM.exists():
        pytest.skip("Chromium is not installed at /usr/bin/chromium (run `make browser`)")
    from playwright.sync_api import sync_playwright

    client = Client()
    client.force_login(user)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
        context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                    "url": live_server.url,
                }
            ]
        )
        page = context.new_page()
        page.set_default_timeout(30_000)
        page.problems = []  # CSP violations and JavaScript errors
        page.on("console", lambda message: message.type == "error" and page.problems.append(message.text))
        page.on("pageerror", lambda error: page.problems.append(str(error)))
        yield page
        browser.close()


def test_the_progress_bar_follows_the_job_without_reloading(live_server, served_model, page, settings, tmp_path):
    from playwright.sync_api import expect

    settings.MEDIA_ROOT = tmp_path
    settings.JOBS_CHUNK_ROWS = 10
    page.goto(live_server.url + "/jobs/")
    page.get_by_label("File").set_input_files(
        files=[
            {
                "name": "reviews.csv",
                "mimeType": "text/csv",
                "buffer": csv_bytes([[str(i), review(i)] for i in range(25)]),
            }
        ]
    )
    page.get_by_role("button", name="Upload and classify").click()
    expect(page.locator("#job-progress")).to_have_attribute("max", "25")
    expect(page.locator("#job-progress-text")).to_contain_text("0 of 25 rows done")
    page.evaluate("window.notReloaded = true")  # gone if the page reloads

    job = Job.objects.get()
    with polls_held(page):
        tasks.process_chunk.call(job.chunks.get(index=0).pk)  # a worker does the first chunk
    expect(page.locator("#job-progress")).to_have_attribute("value", "10")
    expect(page.locator("#job-progress-text")).to_contain_text("10 of 25 rows done")
    expect(page.locator("#job-progress-text")).to_contain_text("rows/s")
    expect(page.locator("#job-progress-text")).to_contain_text("left")
    assert page.get_by_role("link", name="Download the results (CSV)").is_hidden()

    with polls_held(page):
        run_worker()  # and the rest, then the finalising
    expect(page.get_by_role("link", name="Download the results (CSV)")).to_be_visible()
    expect(page.locator("#job-progress")).to_have_attribute("value", "25")
    expect(page.locator('[data-field="status"]')).to_have_text("Done")
    job.refresh_from_db()
    expect(page.locator('[data-field="positive"]')).to_have_text(str(job.positive))
    expect(page.locator('[data-field="negative"]')).to_have_text(str(job.negative))
    assert page.evaluate("window.notReloaded") is True
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the results (CSV)").click()
    lines = open(download.value.path(), encoding="utf-8").read().splitlines()
    assert lines[0].startswith("id,text,sentiment,score,model_version,error") and len(lines) == 26
    assert page.problems == []
