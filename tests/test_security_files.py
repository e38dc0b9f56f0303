"""Stored originals served by the API cannot act on its origin: an uploaded HTML page whose script calls
DELETE /documents/... is only ever downloaded (sandboxed, never sniffed), while a PDF still opens inline in
Chromium's viewer at #page=N — the link the web app shows next to every citation.

A real server (``python -m api``, no API key, as on a laptop) over a folder holding a PDF, a hostile HTML
page, a DOCX and a text file; the browser is Debian's Chromium driven by Playwright.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import sync_playwright

from ingest.library import LibraryWriter
from testing import filemakers
from testing.corpus import corpus_env, make_settings
from testing.servers import api_process, free_port

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
PDF_VIEWER = "chrome-extension://mhjfbmdgcfjbbpaeojofohoefgiehjai/"

HOSTILE_PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>Portal Kota Tarakan</title>
<script>
document.title = "PWNED";
fetch("/documents/{victim}", {{method: "DELETE"}});
</script></head><body><p>Layanan pengaduan sampah Kota Tarakan ditindaklanjuti dalam dua hari kerja.</p>
<img src="x" onerror="fetch('/documents/{victim}', {{method: 'DELETE'}})"></body></html>"""


@dataclass
class Served:
    base: str
    ids: dict[str, str]  # file name -> doc id


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    root = tmp_path_factory.mktemp("originals")
    inbox = root / "inbox"
    inbox.mkdir()
    data_dir = root / "data"
    ids: dict[str, str] = {}
    with LibraryWriter.open(make_settings(data_dir)) as library:
        pdf = filemakers.text_pdf(inbox / "perwali_spbe.pdf")
        ids[pdf.name] = str(library.ingest_paths([pdf])[0].doc_id)
        page = inbox / "portal_tarakan.html"
        page.write_text(HOSTILE_PAGE.format(victim=ids[pdf.name]), encoding="utf-8")
        docx = filemakers.docx_file(inbox / "notulen.docx")
        text = inbox / "catatan.txt"
        text.write_text("Catatan rapat Kota Tarakan tentang bank sampah.\n", encoding="utf-8")
        for outcome in library.ingest_paths([page, docx, text]):
            assert outcome.status == "added", outcome
            ids[Path(outcome.path).name] = str(outcome.doc_id)
    env = corpus_env(data_dir, BK_API__PORT=str(free_port()), BK_API__HOST="127.0.0.1")
    with api_process(env, root / "api.log") as base:
        yield Served(base, ids)


def _file(served: Served, name: str) -> httpx.Response:
    response = httpx.get(f"{served.base}/documents/{served.ids[name]}/file", timeout=30)
    assert response.status_code == 200, response.text
    return response


def _sandboxed(response: httpx.Response) -> None:
    csp = response.headers.get("content-security-policy", "")
    assert "sandbox" in csp.split(";")[0] and "default-src 'none'" in csp, csp
    assert response.headers.get("x-content-type-options") == "nosniff"


def test_a_pdf_is_served_inline_as_a_pdf_but_sandboxed(served: Served) -> None:
    response = _file(served, "perwali_spbe.pdf")
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"].startswith("inline")
    assert response.content.startswith(b"%PDF")
    _sandboxed(response)


@pytest.mark.parametrize("name", ["portal_tarakan.html", "notulen.docx"])
def test_html_and_docx_originals_are_only_downloaded(served: Served, name: str) -> None:
    response = _file(served, name)
    assert response.headers["content-disposition"].startswith("attachment"), response.headers
    _sandboxed(response)


def test_a_text_original_is_shown_as_plain_text(served: Served) -> None:
    response = _file(served, "catatan.txt")
    assert response.headers["content-type"].startswith("text/plain")
    _sandboxed(response)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


def test_an_uploaded_page_cannot_run_its_script_on_the_api_origin(served: Served, browser: object) -> None:
    victim = served.ids["perwali_spbe.pdf"]
    context = browser.new_context(accept_downloads=True)  # type: ignore[attr-defined]
    page = context.new_page()
    try:
        try:
            page.goto(f"{served.base}/documents/{served.ids['portal_tarakan.html']}/file", timeout=15_000)
        except PlaywrightError as exc:  # "Download is starting": the page was saved, not shown
            assert "download" in str(exc).lower(), exc
        page.wait_for_timeout(2000)  # time enough for the page's fetch() to land if it ran
        assert page.title() != "PWNED"
    finally:
        context.close()
    still_there = httpx.get(f"{served.base}/documents/{victim}", timeout=30)
    assert still_there.status_code == 200, "the uploaded page's script deleted a document"


def test_a_pdf_still_opens_in_the_browsers_viewer_at_its_page(served: Served, browser: object) -> None:
    context = browser.new_context(accept_downloads=True)  # type: ignore[attr-defined]
    page = context.new_page()
    downloads: list[object] = []
    page.on("download", lambda download: downloads.append(download))
    try:
        page.goto(f"{served.base}/documents/{served.ids['perwali_spbe.pdf']}/file#page=2", timeout=15_000)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and not any(f.url.startswith(PDF_VIEWER) for f in page.frames):
            page.wait_for_timeout(200)  # lets Playwright take in the frame events (time.sleep would not)
        assert any(f.url.startswith(PDF_VIEWER) for f in page.frames), [f.url for f in page.frames]
        assert page.evaluate("document.contentType") == "application/pdf"
        assert not downloads
    finally:
        context.close()
