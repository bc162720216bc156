"""Every page, signed out and in, in each of its states, at 1280 and 390 px: no WCAG 2.1 A/AA violation found by
axe-core, and no page wider than its viewport.

axe-core comes from the npm registry, pinned with its integrity hash in tests/browser/package-lock.json (`make axe`
runs `npm ci` here). It is injected as an init script, which the pages' Content-Security-Policy does not block, so
each page is checked exactly as it is served. A11Y_SCREENSHOTS=<folder> saves a full-page PNG of each page and width;
A11Y_REPORT=1 prints what axe found on each (run with -s); A11Y_COLOR_SCHEME=dark runs them in dark mode.
"""

import os

# Playwright's sync API runs an event loop in this thread; the ORM calls made here are still synchronous.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

from collections.abc import Callable  # noqa: E402
from contextlib import contextmanager  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
from django.conf import settings as django_settings  # noqa: E402
from django.test import Client  # noqa: E402

from reviews import services as review_services  # noqa: E402
from reviews.jobs import tasks  # noqa: E402
from reviews.jobs.models import Job  # noqa: E402
from reviews.jobs.tests.helpers import csv_bytes, csv_upload, review, run_worker  # noqa: E402
from reviews.tests.factories import PASSWORD
from sentisite.tests.chromium import CHROMIUM, CHROMIUM_ARGS, polls_held  # noqa: E402

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"
WCAG_21_A_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
VIEWPORTS = {"1280": {"width": 1280, "height": 900}, "390": {"width": 390, "height": 844}}

MIXED = "A great and brilliant film. An awful, boring waste. The acting was brilliant but the plot was dreadful."


@dataclass(frozen=True)
class Visit:
    """Open `path` (signed in as the test's user or not), then take `steps` in the page to reach the state."""

    path: str
    signed_in: bool = False
    steps: Callable | None = None


# Steps in the page -------------------------------------------------------------------------------------------


def classify(text: str) -> Callable:
    def steps(page):
        page.get_by_label("Your movie review").fill(text)
        page.get_by_role("button", name="Classify review").click()
        page.get_by_test_id("verdict").wait_for()

    return steps


def submit_empty_review(page):
    page.get_by_role("button", name="Classify review").click()
    page.get_by_role("alert").wait_for()


def sign_up_with_mismatched_passwords(page):
    page.get_by_label("Username").fill("newcomer")
    page.get_by_label("Email").fill("newcomer@example.com")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password confirmation").fill(PASSWORD + "x")
    page.get_by_role("button", name="Sign up").click()
    page.get_by_role("alert").wait_for()
    # Focus is on the field in error, and the error summary links to it.
    assert page.evaluate("document.activeElement.id") == "id_password2"
    assert (
        page.get_by_role("alert").get_by_role("link", name="Password confirmation").get_attribute("href")
        == "#id_password2"
    )


def sign_in_wrongly(page):
    page.get_by_label("Username").fill("nobody")
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("alert").wait_for()


def dispute(page):
    button = page.get_by_role("button", name="This verdict is wrong")
    if button.count():  # the first width's visit has marked it already
        button.click()
    page.get_by_role("heading", name="You marked this verdict as wrong").wait_for()


def upload(page):
    page.get_by_label("File").set_input_files(
        files=[{"name": "reviews.csv", "mimeType": "text/csv", "buffer": csv_bytes([["1", review(1)]])}]
    )
    page.get_by_role("button", name="Upload and classify").click()
    page.locator("#job").wait_for()


def upload_nothing(page):
    page.get_by_role("button", name="Upload and classify").click()
    # The site's own error summary (the form is novalidate: no browser bubble stops it).
    page.get_by_role("alert").get_by_role("link", name="File").wait_for()


def swagger_authorize(page):
    """Swagger UI's Authorize dialog, open, and its Schemas section with one schema opened."""
    page.locator(".swagger-ui .opblock").first.wait_for()
    page.locator(".swagger-ui .models .model-box-control").first.click()
    page.get_by_role("button", name="Authorize").first.click()
    page.locator(".swagger-ui .dialog-ux .modal-ux").wait_for()


def swagger_opened(page):
    """Swagger UI drawn, with one operation opened (its parameters, body and answers) and ready to try."""
    page.locator(".swagger-ui .opblock").first.wait_for()
    page.locator("#operations-predict-predict_create .opblock-summary-control").click()
    page.get_by_role("button", name="Try it out").click()
    page.locator("#operations-predict-predict_create .body-param__text").wait_for()


# The pages, each built from nothing (the database is emptied after each test) ---------------------------------


def stored_reviews(user) -> list:
    texts = [MIXED, "A wonderful, superb film.", "The worst, most boring plot.", "the acting was dull"]
    return [review_services.review_create(user=user, text=text, sentences=True) for text in texts]


def job_queued(user) -> Job:
    from reviews.jobs import services as job_services

    return job_services.job_create(user=user, upload=csv_upload(25))


def job_running(user) -> Job:
    job = job_queued(user)
    tasks.process_chunk.call(job.chunks.order_by("index").first().pk)
    return job


def job_done(user) -> Job:
    job = job_queued(user)
    run_worker()
    job.refresh_from_db()
    assert job.status == "done", job.status
    return job


PAGES: dict[str, Callable] = {
    # Signed out
    "home": lambda user: Visit("/"),
    "home-error": lambda user: Visit("/", steps=submit_empty_review),
    "home-verdict": lambda user: Visit("/", steps=classify(MIXED)),
    "sign-in": lambda user: Visit("/accounts/login/"),
    "sign-in-error": lambda user: Visit("/accounts/login/", steps=sign_in_wrongly),
    "sign-up": lambda user: Visit("/accounts/signup/"),
    "sign-up-error": lambda user: Visit("/accounts/signup/", steps=sign_up_with_mismatched_passwords),
    "password-reset": lambda user: Visit("/accounts/password_reset/"),
    "insights": lambda user: Visit("/insights/"),
    "api-docs": lambda user: Visit("/api/v1/docs", steps=swagger_opened),
    "api-docs-authorize": lambda user: Visit("/api/v1/docs", steps=swagger_authorize),
    "not-found": lambda user: Visit("/no-such-page/"),
    # Signed in
    "home-signed-in": lambda user: Visit("/", signed_in=True),
    "home-recent": lambda user: stored_reviews(user) and Visit("/", signed_in=True),
    "verdict-saved": lambda user: Visit("/", signed_in=True, steps=classify(MIXED)),
    "verdict-disputed": lambda user: Visit(stored_reviews(user)[0].get_absolute_url(), signed_in=True, steps=dispute),
    "review-delete": lambda user: Visit(f"{stored_reviews(user)[0].get_absolute_url()}delete/", signed_in=True),
    "history-empty": lambda user: Visit("/history/", signed_in=True),
    "history": lambda user: stored_reviews(user) and Visit("/history/", signed_in=True),
    "history-no-match": lambda user: stored_reviews(user) and Visit("/history/?q=zzzz", signed_in=True),
    "jobs-empty": lambda user: Visit("/jobs/", signed_in=True),
    "jobs-error": lambda user: Visit("/jobs/", signed_in=True, steps=upload_nothing),
    "jobs": lambda user: job_done(user) and Visit("/jobs/", signed_in=True),
    "job-uploaded": lambda user: Visit("/jobs/", signed_in=True, steps=upload),
    "job-queued": lambda user: Visit(job_queued(user).get_absolute_url(), signed_in=True),
    "job-running": lambda user: Visit(job_running(user).get_absolute_url(), signed_in=True),
    "job-done": lambda user: Visit(job_done(user).get_absolute_url(), signed_in=True),
    "job-delete": lambda user: Visit(f"{job_done(user).get_absolute_url()}delete/", signed_in=True),
    "api-token": lambda user: Visit("/account/api-token/", signed_in=True),
    "password-change": lambda user: Visit("/accounts/password_change/", signed_in=True),
    "insights-signed-in": lambda user: Visit("/insights/", signed_in=True),
}


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip("Chromium is not installed at /usr/bin/chromium (run `make browser`)")
    if not AXE.exists():
        pytest.skip(f"axe-core is not installed at {AXE} (run `make axe`)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def site(live_server, served_model, user, settings, tmp_path, clear_throttle_counts):
    settings.MEDIA_ROOT = tmp_path
    settings.JOBS_CHUNK_ROWS = 10
    client = Client()
    client.force_login(user)
    return live_server.url, client.cookies[django_settings.SESSION_COOKIE_NAME].value


def axe_violations(page) -> list[dict]:
    return page.evaluate(
        """async (tags) => {
            const results = await axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
            return results.violations.map((v) => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map((node) => node.target.join(" ")),
                details: v.nodes.map((node) => node.failureSummary),
            }));
        }""",
        WCAG_21_A_AA,
    )


def page_width(page) -> int:
    return page.evaluate("Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)")


def sticking_out(page) -> list[str]:
    """The innermost elements that reach past the viewport's right edge, to say what makes a page too wide."""
    return page.evaluate(
        """() => [...document.body.querySelectorAll("*")]
            .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1)
            .filter((e) => ![...e.children].some((c) => c.getBoundingClientRect().right > window.innerWidth + 1))
            .slice(0, 5)
            .map((e) => `${e.tagName.toLowerCase()}.${[...e.classList].join(".")} (${Math.round(e.getBoundingClientRect().right)} px)`)"""
    )


@contextmanager
def opened(browser, site, path: str, *, viewport: dict, signed_in: bool, javascript: bool = True):
    """A page of its own browser context, at `path`, with axe-core loaded into every document."""
    url, session = site
    context = browser.new_context(
        viewport=viewport,
        locale="en-US",
        java_script_enabled=javascript,
        color_scheme=os.environ.get("A11Y_COLOR_SCHEME", "light"),
    )
    try:
        context.add_init_script(path=str(AXE))
        if signed_in:
            context.add_cookies([{"name": django_settings.SESSION_COOKIE_NAME, "value": session, "url": url}])
        page = context.new_page()
        page.set_default_timeout(30_000)
        page.goto(url + path)
        yield page
    finally:
        context.close()


@pytest.mark.parametrize("name", list(PAGES))
def test_page_is_accessible_at_both_widths(name, site, user, browser):
    visit = PAGES[name](user)
    problems = []
    for width, viewport in VIEWPORTS.items():
        with opened(browser, site, visit.path, viewport=viewport, signed_in=visit.signed_in) as page:
            if visit.steps:
                visit.steps(page)
            page.wait_for_load_state("load")
            if folder := os.environ.get("A11Y_SCREENSHOTS"):
                Path(folder).mkdir(parents=True, exist_ok=True)
                page.evaluate(
                    "document.querySelectorAll('img[loading=lazy]').forEach((img) => { img.loading = 'eager'; })"
                )
                page.wait_for_load_state("networkidle")
                page.screenshot(path=str(Path(folder) / f"{name}-{width}.png"), full_page=True)
            violations = axe_violations(page)
            if os.environ.get("A11Y_REPORT"):
                print(f"\n{name} at {width} px:", [(v["id"], v["nodes"], v["details"]) for v in violations])
            for violation in violations:
                problems.append(
                    f"{width} px: {violation['id']} ({violation['impact']}) {violation['help']}: {violation['nodes'][:5]}"
                )
            if (scroll_width := page_width(page)) > viewport["width"]:
                problems.append(f"{width} px: the page is {scroll_width} px wide: {sticking_out(page)}")
    assert problems == [], "\n".join(problems)


def test_the_job_page_ends_in_its_live_region(site, user, browser):
    """With JavaScript: the status, the counts and the Download link change inside the one live region, and the
    upload's "Queued" message goes once the job has moved on."""
    from playwright.sync_api import expect

    with opened(browser, site, "/jobs/", viewport=VIEWPORTS["390"], signed_in=True) as page:
        upload(page)
        expect(page.locator("[data-messages]")).to_contain_text("Queued")
        with polls_held(page):
            run_worker()
        live = page.locator("#job-live")
        expect(live).to_have_attribute("role", "status")
        expect(live.locator('[data-field="status"]')).to_have_text("Done")
        expect(live.get_by_role("link", name="Download the results (CSV)")).to_be_visible()
        expect(page.locator("[data-messages]")).to_have_count(0)
        assert (
            page.get_by_role("link", name="Delete this job and its results…").get_attribute("href").endswith("/delete/")
        )


def test_the_job_page_without_javascript_offers_a_refresh(site, user, browser):
    from playwright.sync_api import expect

    job = job_running(user)
    with opened(
        browser, site, job.get_absolute_url(), viewport=VIEWPORTS["390"], signed_in=True, javascript=False
    ) as page:
        expect(page.locator('[data-field="status"]')).to_have_text("Running")
        run_worker()
        page.get_by_role("link", name="refresh it").click()
        expect(page.locator('[data-field="status"]')).to_have_text("Done")
        expect(page.get_by_role("link", name="Download the results (CSV)")).to_be_visible()
        expect(page.get_by_role("link", name="refresh it")).to_have_count(0)


def test_the_token_copy_button_is_announced_and_absent_without_javascript(site, user, browser):
    from playwright.sync_api import expect

    with opened(browser, site, "/account/api-token/", viewport=VIEWPORTS["390"], signed_in=True) as page:
        page.context.grant_permissions(["clipboard-read", "clipboard-write"])
        page.get_by_role("button", name="Copy").click()
        expect(page.get_by_role("status")).to_have_text("Copied to the clipboard.")
    with opened(
        browser, site, "/account/api-token/", viewport=VIEWPORTS["390"], signed_in=True, javascript=False
    ) as page:
        expect(page.get_by_role("textbox", name="Token")).to_be_visible()
        expect(page.get_by_role("button", name="Copy")).to_be_hidden()
