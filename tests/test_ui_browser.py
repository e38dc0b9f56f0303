"""The web app in a real browser: `streamlit run ui/app.py` against the real API, driven by Debian's Chromium
through Playwright. Also refreshes the README's screenshot of the Compare page."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, sync_playwright

from core.settings import PROJECT_ROOT
from tests.servers import free_port, serving

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
SCREENSHOT = PROJECT_ROOT / "docs" / "screenshot-compare.png"
ANSWER_TIMEOUT_MS = 120_000


@pytest.fixture(scope="module")
def ui_server(api_server: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The Streamlit app in its own process, pointed at the API through BK_UI__API_URL."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("BK_")}
    env["BK_UI__API_URL"] = api_server
    log_path = tmp_path_factory.mktemp("ui") / "streamlit.log"
    command = [sys.executable, "-m", "streamlit", "run", "ui/app.py", "--server.headless", "true",
               "--server.port", str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
               "--client.toolbarMode", "minimal", "--server.fileWatcherType", "none"]
    base = f"http://127.0.0.1:{port}"
    with serving(command, env=env, log_path=log_path, health_url=f"{base}/_stcore/health", timeout_s=60):
        yield base


@pytest.fixture(scope="module")
def page() -> Iterator[Page]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser.new_page(viewport={"width": 1400, "height": 1000})
        finally:
            browser.close()


def fit_viewport_to_content(page: Page) -> None:
    """Streamlit scrolls inside its main container, so a full-page screenshot needs a viewport that tall."""
    height = page.evaluate(
        "() => Math.max(...[...document.querySelectorAll('[data-testid=\"stMain\"], section, main')]"
        ".map(e => e.scrollHeight), document.body.scrollHeight)"
    )
    page.set_viewport_size({"width": 1400, "height": min(int(height) + 80, 5000)})
    page.wait_for_timeout(800)  # let Vega re-lay out the chart at the new size


def test_compare_balikpapan_and_samarinda_on_spbe_in_the_browser(ui_server: str, api_server: str, page: Page) -> None:
    page.goto(f"{ui_server}/?lang=en")
    page.get_by_role("button", name="Compare", exact=True).click(timeout=60_000)
    cities = page.locator(".bk-city")
    cities.nth(1).wait_for(timeout=ANSWER_TIMEOUT_MS)
    assert sorted(cities.all_inner_texts()) == ["Kota Balikpapan", "Kota Samarinda"]

    columns = page.locator('[data-testid="stColumn"]').filter(has=page.locator(".bk-city"))
    assert columns.count() == 2
    for i in range(2):
        column = columns.nth(i)
        assert column.locator(".bk-cite").count() > 0, column.inner_text()
        assert column.locator('[data-testid="stExpander"]').count() > 0
    page.get_by_text("Regulation timeline").wait_for()
    page.locator('[data-testid="stVegaLiteChart"] canvas, [data-testid="stVegaLiteChart"] svg').first.wait_for()

    # Evidence is one click away: opening a source shows its quote and a link to the page in the API.
    first = columns.nth(0).locator('[data-testid="stExpander"] summary').first
    first.click()
    link = columns.nth(0).get_by_role("link", name="Open source at page").first
    link.wait_for()
    assert link.get_attribute("href").startswith(f"{api_server}/documents/")

    # Document text never becomes a link or an image: every link points at the app or the API.
    hosts = {urlsplit(ui_server).netloc, urlsplit(api_server).netloc}
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
    assert all(urlsplit(h).netloc in hosts for h in hrefs), hrefs
    images = page.eval_on_selector_all("img[src]", "els => els.map(e => e.src)")
    assert all(urlsplit(src).scheme in ("data", "blob") or urlsplit(src).netloc in hosts for src in images), images

    fit_viewport_to_content(page)
    page.screenshot(path=str(SCREENSHOT), full_page=True)
    assert SCREENSHOT.stat().st_size > 10_000
