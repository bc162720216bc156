"""End to end in a real headless Chromium: sign up, classify two reviews, see them in the history, delete one."""

import os

# Playwright's sync API runs an event loop in this thread; the ORM calls made here are still synchronous.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

import re  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from reviews.models import Review  # noqa: E402

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
POSITIVE_TEXT = "A brilliant, wonderful film, I loved it."
NEGATIVE_TEXT = "An awful, boring, dreadful waste."
PASSWORD = "a-long-unusual-pass-42"


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip("Chromium is not installed at /usr/bin/chromium (run `make browser`)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(60_000)  # the first prediction loads the model
    # CSP violations (an inline style or script) and JavaScript errors show up here.
    page.problems = []
    page.on("console", lambda message: message.type == "error" and page.problems.append(message.text))
    page.on("pageerror", lambda error: page.problems.append(str(error)))
    yield page
    context.close()


def shoot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def classify(page, text: str) -> None:
    page.get_by_label("Your movie review").fill(text)
    page.get_by_role("button", name="Classify review").click()


def test_sign_up_classify_history_delete(live_server, served_model, page):
    from playwright.sync_api import expect

    # A visitor tries it first: a verdict, nothing stored, an invitation to sign up.
    page.goto(live_server.url + "/")
    expect(page).to_have_title(re.compile("sentisite"))
    shoot(page, "01-home")
    classify(page, POSITIVE_TEXT)
    expect(page.get_by_test_id("verdict")).to_have_text("Positive")
    expect(page.get_by_text("Create a free account")).to_be_visible()
    shoot(page, "02-anonymous-verdict")
    assert not Review.objects.exists()

    # Sign up (the account is signed in straight away).
    page.get_by_role("link", name="Sign up").first.click()
    expect(page.get_by_role("heading", name="Create your account")).to_be_visible()
    page.get_by_label("Username").fill("moviefan")
    page.get_by_label("Email").fill("moviefan@example.com")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password confirmation").fill(PASSWORD)
    shoot(page, "03-signup")
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_text("Signed in as")).to_contain_text("moviefan")
    shoot(page, "04-home-signed-in")

    # A clearly positive and a clearly negative review, each stored and shown on its own page.
    classify(page, POSITIVE_TEXT)
    expect(page).to_have_url(re.compile(r"/reviews/\d+/$"))
    expect(page.get_by_test_id("verdict")).to_have_text("Positive")
    expect(page.get_by_test_id("review-text")).to_have_text(POSITIVE_TEXT)
    shoot(page, "05-positive-review")
    page.get_by_role("link", name="Classify another review").click()
    classify(page, NEGATIVE_TEXT)
    expect(page.get_by_test_id("verdict")).to_have_text("Negative")
    shoot(page, "06-negative-review")

    # The history lists both, newest first.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="History").click()
    rows = page.get_by_test_id("history-row")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("Negative")
    expect(rows.nth(0)).to_contain_text(NEGATIVE_TEXT)
    expect(rows.nth(1)).to_contain_text("Positive")
    expect(rows.nth(1)).to_contain_text(POSITIVE_TEXT)
    shoot(page, "07-history")

    # Delete the negative one through the confirmation page.
    rows.nth(0).get_by_role("link", name=re.compile("Delete")).click()
    expect(page.get_by_role("heading", name="Delete this review?")).to_be_visible()
    shoot(page, "08-confirm-delete")
    page.get_by_role("button", name="Delete review").click()
    expect(page.get_by_text("The review was deleted.")).to_be_visible()
    expect(page.get_by_test_id("history-row")).to_have_count(1)
    expect(page.get_by_test_id("history-row")).to_contain_text(POSITIVE_TEXT)
    shoot(page, "09-history-after-delete")

    assert list(Review.objects.values_list("owner__username", "sentiment")) == [("moviefan", "positive")]
    assert page.problems == []


def test_classify_works_without_javascript(live_server, served_model, browser):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.goto(live_server.url + "/")
    page.get_by_label("Your movie review").fill(NEGATIVE_TEXT)
    page.get_by_role("button", name="Classify review").click()
    assert page.get_by_test_id("verdict").inner_text() == "Negative"
    shoot(page, "10-mobile-no-js-verdict")
    context.close()
