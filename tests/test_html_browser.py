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
from tests.conftest import make_settings

pytestmark = pytest.mark.skipif(browser_path("/usr/bin/chromium") is None, reason="Chromium is not installed")

# (method, the hidden element) — each hides HIDE-<n> from a sighted reader of the page.
HIDING_METHODS = [
    ("off-screen absolute", '<p style="position:absolute;left:-9999px">{c}</p>'),
    ("height 0 overflow hidden", '<div style="height:0;overflow:hidden">{c}</div>'),
    ("clip-path inset 50%", '<p style="clip-path:inset(50%)">{c}</p>'),
    ("display none", '<p style="display:none">{c}</p>'),
    ("visibility hidden", '<p style="visibility:hidden">{c}</p>'),
    ("opacity 0", '<p style="opacity:0">{c}</p>'),
    ("transparent colour", '<p style="color:transparent">{c}</p>'),
    ("white on white", '<p style="color:#ffffff">{c}</p>'),
    ("colour of its box", '<div style="background:#1d3557;color:#1d3557">{c}</div>'),
    ("font-size 0", '<p style="font-size:0">{c}</p>'),
    ("tiny font", '<p style="font-size:1px">{c}</p>'),
    ("text-indent off-screen", '<p style="text-indent:-9999px;overflow:hidden">{c}</p>'),
    ("scaled to nothing", '<p style="transform:scale(0)">{c}</p>'),
    ("translated away", '<p style="transform:translateX(-20000px)">{c}</p>'),
    ("screen-reader-only clip", '<span style="position:absolute;width:1px;height:1px;overflow:hidden;'
                                'clip:rect(0 0 0 0);white-space:nowrap">{c}</span>'),
    ("covered by an opaque box", '<div style="position:relative"><p>{c}</p><div style="position:absolute;top:0;'
                                 'left:0;width:100%;height:100%;background:#fff"></div></div>'),
    ("max-height 0", '<div style="max-height:0;overflow:hidden">{c}</div>'),
    ("width 0 nowrap", '<div style="width:0;overflow:hidden;white-space:nowrap">{c}</div>'),
    ("filter opacity 0", '<p style="filter:opacity(0)">{c}</p>'),
    ("fixed above the page", '<p style="position:fixed;top:-500px">{c}</p>'),
    ("negative margin", '<p style="margin-left:-20000px">{c}</p>'),
    ("text fill transparent", '<p style="-webkit-text-fill-color:transparent">{c}</p>'),
    ("closed details", '<details><summary>Rincian</summary>{c}</details>'),
    ("class rule with !important", '<p class="sembunyi">{c}</p>'),
    ("pushed below a clipped box", '<div style="height:20px;overflow:hidden"><div style="padding-top:200px">{c}'
                                   '</div></div>'),
    ("content-visibility hidden", '<div style="content-visibility:hidden">{c}</div>'),
]
# Text a reader does see, in ways a careless rule would drop.
SEEN = [
    ("white on dark", '<div style="background:#102030;color:#fff">{c}</div>'),
    ("below the fold", '<div style="height:6000px"></div><p>{c}</p>'),
    ("under a transparent overlay", '<div style="position:relative"><p>{c}</p><div style="position:absolute;top:0;'
                                    'left:0;width:100%;height:100%"></div></div>'),
    ("pointer-events none", '<p style="pointer-events:none">{c}</p>'),
    ("positioned on screen", '<p style="position:absolute;left:40px;top:30px">{c}</p>'),
]
PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>Perwali Tarakan</title>
<style>.sembunyi {{ display: none !important }}</style></head><body>
<h1>Peraturan Wali Kota Tarakan tentang Pengelolaan Sampah</h1>
<p>Pemerintah Kota Tarakan mengelola sampah rumah tangga melalui bank sampah.</p>
{body}
</body></html>"""


def canary(kind: str, index: int) -> str:
    return f"{kind}-{index:02d}-Pemerintah Kota wajib melaksanakan ketentuan ini"


def page(kind: str, methods: list[tuple[str, str]]) -> str:
    return PAGE.format(body="\n".join(m.format(c=canary(kind, i)) for i, (_, m) in enumerate(methods)))


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
