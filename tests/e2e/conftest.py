"""Real-browser tests: Debian's Chromium, driven by Playwright, against pytest-django's live
server (the app in a thread, on the test database).

Each test keeps a full-page screenshot of every page it looks at, under
var/screenshots/<test>/<nn>-<page>.png (CI lists them; docs/guide.md shows some), and checks
on each of those pages that every visible form field has an accessible name (a label).

Chromium is the system's (`apt-get install chromium`): Playwright's own browser download
needs the network. Without it these tests skip, or fail under TRUSTDESK_REQUIRE_SERVICES=1.
"""

import os
import re
import shutil
from pathlib import Path

import pytest

from tests.conftest import REQUIRE_SERVICES, ROOT

CHROMIUM = Path(os.environ.get("TRUSTDESK_CHROMIUM", "/usr/bin/chromium"))
# What a headless browser on a closed network needs: no sandbox (CI runs as root in a
# container), no GPU, and none of the calls home a fresh profile would make.
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
SCREENSHOTS = ROOT / "var" / "screenshots"
VIEWPORT = {"width": 1280, "height": 800}
TIMEOUT_MS = 15_000
# The roles of form fields: each must have an accessible name (a label, aria-label, title).
FIELD_ROLES = (
    "textbox",
    "searchbox",
    "combobox",
    "listbox",
    "checkbox",
    "radio",
    "spinbutton",
    "slider",
    "switch",
    "button",
)


def pytest_configure(config):
    config.addinivalue_line("markers", "e2e: a real-browser test (Chromium driven by Playwright)")


@pytest.fixture(scope="package")
def browser():
    """One Chromium for the whole folder, closed when its last test ends."""
    if not CHROMIUM.exists():
        reason = f"needs Chromium at {CHROMIUM} (apt-get install chromium)"
        if REQUIRE_SERVICES:
            pytest.fail(f"TRUSTDESK_REQUIRE_SERVICES=1 but the browser tests {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop running in this thread, and Django refuses
    # the ORM where a loop runs. The tests' own ORM calls (set-up, checks) are plain
    # synchronous code, so they are allowed, for these tests only: the loop and the
    # permission both end with the browser, before any other folder's tests run.
    before = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_FLAGS
            )
            yield chromium
            chromium.close()
    finally:
        if before is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = before


@pytest.fixture
def page(browser, live_server):
    """A fresh browser profile (no cookies) per test, at the live server."""
    context = browser.new_context(base_url=live_server.url, viewport=VIEWPORT, locale="en-US")
    context.set_default_timeout(TIMEOUT_MS)
    tab = context.new_page()
    yield tab
    context.close()


class Screens:
    """Takes the screenshot of a page once it is seen, and checks its fields' labels."""

    def __init__(self, page, folder):
        self.page = page
        self.folder = folder
        self.taken = []

    def take(self, name, *, labels=True):
        self.page.wait_for_load_state("load")
        slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
        path = self.folder / f"{len(self.taken) + 1:02d}-{slug}.png"
        self.page.screenshot(path=str(path), full_page=True)
        self.taken.append(path)
        if labels:
            missing = unlabelled_fields(self.page)
            assert not missing, f"fields without a label on {self.page.url}: {missing}"
        return path


@pytest.fixture
def screens(page, request):
    folder = SCREENSHOTS / re.sub(r"[^A-Za-z0-9_.-]+", "-", request.node.name)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return Screens(page, folder)


def unlabelled_fields(page):
    """The visible form fields (and buttons) of the page that have no accessible name, as the
    browser computes it for a screen reader: each one's HTML, shortened."""
    from playwright.sync_api import expect

    named = re.compile(r"\S")
    missing = []
    for role in FIELD_ROLES:
        for field in page.get_by_role(role).all():
            try:
                expect(field).to_have_accessible_name(named, timeout=200)
            except AssertionError:
                missing.append(field.evaluate("e => e.outerHTML.slice(0, 160)"))
    return missing
