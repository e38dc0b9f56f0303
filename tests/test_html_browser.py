"""Hidden HTML text as a browser computes it: 25 ways to hide text from a reader, each with its own canary, none
of which may be ingested as visible text; text a reader does see (white on dark, below the fold, under a
transparent overlay) stays; without a browser the CSS rules decide and the warnings say so.

The real loader, in the real isolated parse worker (with its memory limit), with the system's Chromium.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from core.settings import Settings
from ingest.loaders import load_document
from ingest.loaders.html_browser import browser_path
from ingest.workers import map_isolated
from testing.corpus import make_settings
from testing.html_hiding import HIDING_METHODS, PAGE, SEEN, canary, page

pytestmark = pytest.mark.skipif(browser_path("/usr/bin/chromium") is None, reason="Chromium is not installed")


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """Every fixture page, one hiding method per page, loaded by the isolated worker."""
    folder = tmp_path_factory.mktemp("html-browser")
    settings = make_settings(folder / "data")
    paths = {}
    for i, (name, method) in enumerate(HIDING_METHODS):
        path = folder / f"hidden_{i:02d}.html"
        path.write_text(PAGE.format(body=method.format(c=canary("HIDE", i))), encoding="utf-8")
        paths[path] = name
    seen = folder / "seen.html"
    seen.write_text(page("SEEN", SEEN), encoding="utf-8")
    paths[seen] = "seen"
    results = dict(map_isolated(load_document, list(paths), workers=2, timeout_s=120, memory_mb=2048,
                                args=(settings,)))
    return {paths[p]: r for p, r in results.items()}


def test_no_hiding_method_gets_its_text_ingested(loaded: dict[str, object]) -> None:
    assert len(HIDING_METHODS) >= 20
    leaked = []
    for name, _ in HIDING_METHODS:
        document = loaded[name]
        assert not isinstance(document, BaseException), f"{name}: {document!r}"
        text = document.pages[0].text  # type: ignore[attr-defined]
        assert "Pemerintah Kota Tarakan mengelola sampah" in text, name
        if re.search(r"HIDE-\d\d", text):
            leaked.append(name)
    assert leaked == [], f"{len(leaked)} of {len(HIDING_METHODS)} hiding methods got through: {leaked}"


def test_hidden_text_is_named_in_the_warnings(loaded: dict[str, object]) -> None:
    document = loaded["off-screen absolute"]
    assert any("cannot see" in w for w in document.warnings)  # type: ignore[attr-defined]


def test_text_a_reader_sees_is_kept(loaded: dict[str, object]) -> None:
    document = loaded["seen"]
    assert not isinstance(document, BaseException), repr(document)
    text = document.pages[0].text  # type: ignore[attr-defined]
    missing = [name for i, (name, _) in enumerate(SEEN) if canary("SEEN", i) not in text]
    assert missing == [], missing
    assert not any("cannot see" in w for w in document.warnings)  # type: ignore[attr-defined]


def _settings(tmp_path: Path, **ingest: object) -> Settings:
    settings = make_settings(tmp_path / "data")
    return settings.model_copy(update={"ingest": settings.ingest.model_copy(update=ingest)})


def test_without_a_browser_the_css_rules_decide_and_the_warning_says_so(tmp_path: Path) -> None:
    path = tmp_path / "portal.html"
    path.write_text(page("HIDE", HIDING_METHODS), encoding="utf-8")
    document = load_document(path, _settings(tmp_path, browser_executable=str(tmp_path / "no-chromium")))
    text = document.pages[0].text
    assert canary("HIDE", 3) not in text  # display:none: the CSS rules catch it
    assert canary("HIDE", 0) in text  # off-screen: only layout shows it, so the fallback keeps it ...
    assert any("CSS rules only" in w and "Install Chromium" in w for w in document.warnings)  # ... and says so


def test_the_css_setting_skips_the_browser_without_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "portal.html"
    path.write_text(page("HIDE", HIDING_METHODS[:4]), encoding="utf-8")
    document = load_document(path, _settings(tmp_path, html_visibility="css"))
    assert canary("HIDE", 0) in document.pages[0].text and document.warnings == ()
