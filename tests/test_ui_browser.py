"""The web app in a real browser: `streamlit run ui/app.py` against the real API, driven by Debian's Chromium
through Playwright. Each analyst flow runs end to end — compare, open a citation in the source viewer with its
highlight, export; ask with a refusal in both languages; a regulation page with its relations; an upload with its
progress; a deep link to every page — and the Indonesian pages are checked for English. Also refreshes the README's
screenshots (docs/screenshot-*.png)."""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, urlsplit

import httpx
import pytest
from playwright.sync_api import Locator, Page, sync_playwright
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from api.messages import MESSAGES
from core.settings import PROJECT_ROOT
from testing.servers import free_port, serving
from ui.i18n import STRINGS, UiLanguage, translate

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
DOCS = PROJECT_ROOT / "docs"
ANSWER_TIMEOUT_MS = 180_000
PAGE_TIMEOUT_MS = 60_000
PAGES = {"compare": "compare.title", "ask": "ask.title", "source": "source.title", "regulation": "reg.title",
         "library": "library.title"}
# Streamlit's own English, which the app replaces or must never show.
STREAMLIT_ENGLISH = ("Drag and drop", "Browse files", "Limit 200MB", "Page not found", "Choose an option",
                     "Choose options", "No results")
# Elements holding document text (quotes, passages, titles, wordings), which may be English in any interface.
DOCUMENT_TEXT = (".bk-text, .bk-quote, .bk-source, .bk-wording, .bk-docs, .bk-matrix, .bk-city, "
                 '[data-testid="stExpander"] summary, h3, [data-testid="stVegaLiteChart"]')


def english_fragments() -> set[str]:
    """Pieces of the English interface and API sentences long enough to be unmistakably English."""
    pieces = set()
    entries = [*STRINGS.values(), *MESSAGES.values()]
    for entry in entries:
        if entry["en"] == entry["id"]:
            continue
        for piece in re.split(r"\{[^}]*\}", entry["en"]):
            piece = piece.strip(" .,:;—–-()“”\"'…")
            if len(piece) >= 12 and " " in piece:
                pieces.add(piece)
    return pieces | set(STREAMLIT_ENGLISH)


ENGLISH = english_fragments()


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
def browser_page() -> Iterator[Page]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
            yield context.new_page()
        finally:
            browser.close()


def wait_idle(page: Page) -> None:
    """Until Streamlit has finished the current run: the app says so on its root element (a click's rerun may
    take a moment to start, hence the pause first)."""
    page.wait_for_timeout(500)
    page.wait_for_function(
        "() => document.querySelector('[data-testid=\"stApp\"]')?.getAttribute('data-test-script-state')"
        " === 'notRunning'", timeout=ANSWER_TIMEOUT_MS)


def open_page(page: Page, url: str, title: str) -> None:
    page.goto(url)
    page.get_by_role("heading", name=title, exact=True).first.wait_for(timeout=PAGE_TIMEOUT_MS)
    wait_idle(page)


def open_citation(page: Page, scope: Locator) -> None:
    """Open the first citation under ``scope`` and follow its "Show in source" link until the viewer shows the
    passage. A click that lands while Streamlit is still finishing a run can be dropped (a user clicks again):
    the link is clicked once more if the URL has not moved; a viewer that never draws fails with what it shows."""
    wait_idle(page)
    scope.locator('[data-testid="stExpander"] summary').first.click()
    link = scope.get_by_role("link", name=translate("source.open_viewer", "en")).first
    href = link.get_attribute("href") or ""
    assert "doc=" in href and "passage=" in href, href
    for _ in range(2):
        link.click()
        try:
            page.wait_for_url(re.compile(r"/source\?"), timeout=15_000)
            break
        except PlaywrightTimeout:
            continue
    try:
        page.locator(".bk-source").first.wait_for(timeout=ANSWER_TIMEOUT_MS)
    except PlaywrightTimeout:
        shown = page.locator('[data-testid="stMain"]').inner_text()[:2000]
        raise AssertionError(f"the viewer for {href} did not draw; the page shows: {shown}") from None


def interface_text(page: Page) -> str:
    """The visible text of the page and sidebar without the elements that hold document text."""
    return page.evaluate(
        """(skip) => {
            const root = document.querySelector('[data-testid="stApp"]').cloneNode(true);
            root.querySelectorAll(skip).forEach(e => e.remove());
            root.querySelectorAll('style, script, [data-testid="stStatusWidget"]').forEach(e => e.remove());
            document.body.appendChild(root);
            root.style.position = 'absolute'; root.style.left = '-99999px';
            const text = root.innerText; root.remove(); return text;
        }""", DOCUMENT_TEXT)


def assert_no_english(page: Page, where: str) -> None:
    text = interface_text(page)
    found = sorted(piece for piece in ENGLISH if piece in text)
    assert not found, f"English on the Indonesian {where} page: {found}"
    assert not re.search(r"(?<![\w.])p\. \d", text), f"'p. N' on the Indonesian {where} page"


def fit_viewport_to_content(page: Page) -> None:
    """Streamlit scrolls inside its main container, so a full-page screenshot needs a viewport that tall."""
    height = page.evaluate(
        "() => Math.max(...[...document.querySelectorAll('[data-testid=\"stMain\"], section, main')]"
        ".map(e => e.scrollHeight), document.body.scrollHeight)"
    )
    page.set_viewport_size({"width": 1400, "height": min(int(height) + 80, 5000)})
    page.wait_for_timeout(800)  # let Vega re-lay out the chart at the new size


def screenshot(page: Page, name: str) -> Path:
    fit_viewport_to_content(page)
    path = DOCS / f"screenshot-{name}.png"
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size({"width": 1400, "height": 1000})
    assert path.stat().st_size > 10_000
    return path


def test_deep_links_open_every_page_and_the_sidebar_links_to_each(ui_server: str, browser_page: Page) -> None:
    page = browser_page
    for path, title_key in PAGES.items():
        open_page(page, f"{ui_server}/{path}?lang=en", translate(title_key, "en"))
        assert page.get_by_text("Page not found").count() == 0, path
    hrefs = page.eval_on_selector_all('[data-testid="stSidebarNav"] a[href]', "els => els.map(e => e.href)")
    assert {urlsplit(h).path.strip("/") for h in hrefs} >= set(PAGES), hrefs
    # "/" forwards to Compare and keeps the link's parameters
    open_page(page, f"{ui_server}/?lang=en", translate("compare.title", "en"))
    assert urlsplit(page.url).path == "/compare" and "lang=en" in page.url


def test_compare_then_source_viewer_with_highlight_then_export(ui_server: str, api_server: str,
                                                               browser_page: Page) -> None:
    page = browser_page
    open_page(page, f"{ui_server}/compare?lang=en", translate("compare.title", "en"))
    # one topic input at a time: the aspect list, or the free question once that mode is chosen
    assert page.get_by_role("textbox", name=translate("compare.question", "en"), exact=True).count() == 0
    page.get_by_text(translate("compare.mode_free", "en")).click()
    wait_idle(page)
    page.get_by_role("textbox", name=translate("compare.question", "en"), exact=True).wait_for(timeout=PAGE_TIMEOUT_MS)
    page.get_by_text(translate("compare.mode_aspect", "en")).click()
    wait_idle(page)
    page.get_by_role("button", name="Compare", exact=True).click(timeout=PAGE_TIMEOUT_MS)
    cities = page.locator(".bk-city")
    cities.nth(1).wait_for(timeout=ANSWER_TIMEOUT_MS)
    wait_idle(page)
    assert sorted(cities.all_inner_texts()) == ["Kota Balikpapan", "Kota Samarinda"]
    assert "cities=" in page.url and "aspect=SPBE" in page.url  # the view is in the URL

    columns = page.locator('[data-testid="stColumn"]').filter(has=page.locator(".bk-city"))
    assert columns.count() == 2
    for i in range(2):
        assert columns.nth(i).locator(".bk-cite").count() > 0, columns.nth(i).inner_text()
    page.get_by_text("Regulation timeline").wait_for()
    page.locator('[data-testid="stVegaLiteChart"] canvas, [data-testid="stVegaLiteChart"] svg').first.wait_for()

    # Document text never becomes a link or an image: every link points at the app or the API.
    hosts = {urlsplit(ui_server).netloc, urlsplit(api_server).netloc}
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
    assert all(urlsplit(h).netloc in hosts for h in hrefs), hrefs

    # Export: the comparison as Markdown holds the answers, the matrix and the labelled citations.
    with page.expect_download() as download:
        page.get_by_role("button", name=translate("export.markdown", "en")).click()
    markdown = Path(download.value.path()).read_text(encoding="utf-8")
    assert "# Comparison: SPBE" in markdown and "## Regulation matrix" in markdown and "## Citations" in markdown
    for label in ("Download CSV", "Download DOCX"):
        assert page.get_by_role("button", name=label).count() == 1
    screenshot(page, "compare")

    # A citation opens the source viewer with its passage in place and the quote marked.
    open_citation(page, columns.nth(0))
    page.locator(".bk-source mark").wait_for(timeout=PAGE_TIMEOUT_MS)
    wait_idle(page)
    assert "passage=" in page.url and "start=" in page.url
    assert page.get_by_role("link", name=re.compile("Open the original file")).count() == 1


def test_ask_then_a_pdf_citation_opens_its_page_with_the_quote_highlighted(ui_server: str,
                                                                           browser_page: Page) -> None:
    page = browser_page
    question = quote("What does Pasal 5 of Peraturan BSSN 8/2024 say?")
    open_page(page, f"{ui_server}/ask?q={question}&lang=en", translate("ask.title", "en"))
    page.locator(".bk-cite").first.wait_for(timeout=ANSWER_TIMEOUT_MS)
    wait_idle(page)
    with page.expect_download() as download:
        page.get_by_role("button", name=translate("export.markdown", "en")).click()
    exported = Path(download.value.path()).read_text(encoding="utf-8")
    assert exported.startswith("# Question: What does Pasal 5") and "## Citations" in exported
    open_citation(page, page.locator('[data-testid="stMain"]'))
    page.locator('[data-testid="stImage"] img').first.wait_for(timeout=ANSWER_TIMEOUT_MS)
    wait_idle(page)
    assert page.get_by_text(translate("source.highlighted", "en")).count() == 1, interface_text(page)
    assert page.locator(".bk-source mark").count() == 1
    assert page.get_by_text("Pasal 5").count() > 0  # the section path
    screenshot(page, "viewer")


def test_text_document_opens_in_the_viewer_with_the_passage_marked(ui_server: str, api_server: str,
                                                                   browser_page: Page) -> None:
    docs = httpx.get(f"{api_server}/documents", timeout=30).json()["documents"]
    text_doc = next(d for d in docs if d["media_type"] != "application/pdf")
    passages = httpx.get(f"{api_server}/documents/{text_doc['doc_id']}/passages", timeout=30).json()["passages"]
    second = passages[1]["passage_id"]
    page = browser_page
    open_page(page, f"{ui_server}/source?doc={text_doc['doc_id']}&passage={second}&lang=id",
              translate("source.title", "id"))
    assert page.locator(".bk-source .bk-passage").count() == 1
    assert page.locator('[data-testid="stImage"]').count() == 0  # no page image for a text file
    page.get_by_role("link", name=translate("source.previous", "id")).click()
    page.wait_for_url(re.compile(rf"passage={passages[0]['passage_id']}"), timeout=PAGE_TIMEOUT_MS)
    wait_idle(page)
    assert_no_english(page, "source")


@pytest.mark.parametrize("lang", ["id", "en"])
def test_ask_refusal_reads_in_the_interface_language(ui_server: str, browser_page: Page, lang: UiLanguage) -> None:
    page = browser_page
    question = quote("What is the penguin population of Antarctica's Ross Ice Shelf?")
    # the question in the URL asks it at once: a link reproduces the answer
    open_page(page, f"{ui_server}/ask?q={question}&lang={lang}", translate("ask.title", lang))
    page.get_by_text(translate("ask.not_covered", lang)).wait_for(timeout=ANSWER_TIMEOUT_MS)
    wait_idle(page)
    searched = "Korpus ditelusuri untuk" if lang == "id" else "Searched the corpus for"
    assert page.get_by_text(searched).count() == 1
    if lang == "id":
        assert_no_english(page, "ask")


def test_regulation_page_shows_identity_outline_and_relations_both_ways(ui_server: str, api_server: str,
                                                                        browser_page: Page) -> None:
    regulations = httpx.get(f"{api_server}/regulations", timeout=30).json()["regulations"]
    details = [httpx.get(f"{api_server}/regulations/{quote(r['key'], safe='')}", timeout=60).json()
               for r in regulations if any(m["passage_id"] is None for m in r["mentions"])]
    detail = max(details, key=lambda d: (bool(d["outline"]), len(d["relations_out"]) + len(d["relations_in"])))
    assert detail["relations_out"] or detail["relations_in"]
    page = browser_page
    open_page(page, f"{ui_server}/regulation?key={quote(detail['key'], safe='')}&lang=id",
              translate("reg.title", "id"))
    page.get_by_text(translate("reg.relations", "id"), exact=True).wait_for()
    relation_links = page.locator('a[href*="regulation?key="]')
    assert relation_links.count() >= len({r["target"]["number"] for r in detail["relations_out"]})
    assert page.get_by_text(translate("reg.outline", "id")).count() == 1
    assert page.locator('a[href*="source?doc="]').count() > 0  # passages that mention it open in the viewer
    assert_no_english(page, "regulation")
    screenshot(page, "regulation")
    # a relation leads to the other instrument's page
    href = relation_links.first.get_attribute("href")
    relation_links.first.click()
    page.wait_for_url(f"{ui_server}/{href}", timeout=PAGE_TIMEOUT_MS)
    page.get_by_text(translate("reg.relations", "id"), exact=True).wait_for(timeout=PAGE_TIMEOUT_MS)
    wait_idle(page)
    assert page.get_by_text("Page not found").count() == 0


def test_upload_shows_progress_and_the_outcome_per_file(ui_server: str, browser_page: Page,
                                                        tmp_path: Path) -> None:
    first = tmp_path / "rumah_kompos_bontang.txt"
    first.write_text("Peraturan Wali Kota Bontang tentang Rumah Kompos Warga.\n\nPasal 1\nSetiap kelurahan di Kota "
                     "Bontang menyediakan satu rumah kompos warga.\n", encoding="utf-8")
    second = tmp_path / "kosong.txt"
    second.write_text("", encoding="utf-8")
    page = browser_page
    open_page(page, f"{ui_server}/library?lang=id", translate("library.title", "id"))
    assert_no_english(page, "library")
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files([str(first), str(second)])
    page.get_by_role("button", name=translate("library.upload_submit", "id")).click()
    page.locator('[data-testid="stProgress"]').first.wait_for(timeout=PAGE_TIMEOUT_MS)
    page.get_by_text(translate("library.upload_summary", "id")).wait_for(timeout=ANSWER_TIMEOUT_MS)
    wait_idle(page)
    success = page.locator('[data-testid="stAlertContentSuccess"]').all_inner_texts()
    failure = page.locator('[data-testid="stAlertContentError"]').all_inner_texts()
    assert any("rumah_kompos_bontang.txt ditambahkan" in s for s in success), (success, failure)
    assert any("kosong.txt" in f for f in failure), (success, failure)


def test_indonesian_compare_page_has_no_english(ui_server: str, browser_page: Page) -> None:
    page = browser_page
    open_page(page, f"{ui_server}/compare?lang=id", translate("compare.title", "id"))
    assert_no_english(page, "compare")
    page.get_by_role("button", name=translate("compare.submit", "id"), exact=True).click()
    page.locator(".bk-city").nth(1).wait_for(timeout=ANSWER_TIMEOUT_MS)
    wait_idle(page)
    for summary in page.locator('[data-testid="stExpander"] summary').all()[:2]:
        summary.click()
    wait_idle(page)
    assert_no_english(page, "compare")
