"""Document text rendered by the web app is inert under a real CommonMark parser (markdown-it-py with raw HTML
on, as Streamlit renders ``unsafe_allow_html`` blocks): no link, image or tag from a document can appear,
whatever its line endings — reference-style images and links with their definitions, autolinks, raw HTML and
inline links, each after \\n, \\r\\n, a bare \\r, \\r\\r, U+2028 and the other line ends."""

from __future__ import annotations

import html
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from core.types import AnswerSentence
from ui import render

COMMONMARK = MarkdownIt("commonmark", {"html": True})
# What CommonMark (\n, \r) or anything downstream (str.splitlines) could take for the end of a line.
ANY_LINE_END = re.compile(r"[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]")
LINE_ENDS = ["\n", "\r\n", "\r", "\r\r", "\n\r", "\u2028", "\u2029", "\x0b", "\x0c", "\x85", "\x1c"]
PAYLOADS = [
    "Lihat peta.{nl}{nl}![peta][r]{nl}{nl}[r]: https://evil.example/r.png",
    "Lihat ![peta][r] di sini.{nl}{nl}[r]: https://evil.example/r.png",
    "[r]: https://evil.example/x.png{nl}![x][r] dan [klik][r]",
    "Teks.{nl}{nl}![x][]{nl}{nl}[x]: https://evil.example/c.png",
    "Teks.{nl}{nl}![x]{nl}{nl}[x]: <https://evil.example/s.png> \"judul\"",
    "Teks.{nl}{nl}Klik [di sini][r].{nl}   [r]: javascript:alert(1)",
    "Teks.{nl}{nl}<img src=\"https://evil.example/r.png\">",
    "Teks.{nl}{nl}<a href='https://evil.example'>laporan</a>{nl}<script>alert(1)</script>",
    "Teks.{nl}{nl}![x](https://evil.example/x.png) [klik](https://evil.example)",
    "Teks.{nl}{nl}[![ikon](https://evil.example/i.png)](https://evil.example)",
    "Teks.{nl}{nl}<https://evil.example/> <mailto:a@evil.example> <javascript:alert(1)> <a@evil.example>",
    "Teks.{nl}{nl}&lt;img src=x&gt; &#60;img src=https://evil.example/e.png&#62;",
    "Teks.{nl}{nl}<div>{nl}<img src=https://evil.example/d.png>{nl}</div>",
]
CASES = [template.format(nl=end) for template in PAYLOADS for end in LINE_ENDS]
# A real tag (escaped text reads "&lt;img ..."), or a real tag carrying a link.
_LIVE = re.compile(r"<(?:img|a|script|iframe|object|embed|svg|link|meta|style)\b|<[a-z][^>]*\b(?:href|src)\s*=",
                   re.IGNORECASE)


def renderings(text: str) -> list[str]:
    """Every way the web app shows document text that may hold markup of ours, as the page would get it."""
    return [
        render.quote_html(text),
        render.highlight_html(text, text, text),
        render.answer_html(f"{text} [1]", [1]),
        render.sentence_html(AnswerSentence(text=text, citations=(1, 2))),
        f'<div class="bk-city">{render.safe_html(text)}</div>',
    ]


def assert_inert(markup: str, source: str) -> None:
    rendered = COMMONMARK.render(markup)
    own = re.sub(r'<(?:/?(?:div|mark|p|br|sup)(?: class="bk-[a-z]+")?)>', "", rendered)
    assert not _LIVE.search(own), f"{source!r} rendered as {rendered!r}"


@pytest.mark.parametrize("text", CASES)
def test_document_text_in_our_html_never_renders_a_link_image_or_tag(text: str) -> None:
    for markup in renderings(text):
        assert_inert(markup, text)
        assert not ANY_LINE_END.search(markup), "a line end would let another markdown parser end our HTML block"


@pytest.mark.parametrize("text", CASES)
def test_document_text_in_markdown_labels_never_renders_a_link_image_or_tag(text: str) -> None:
    label = render.escape_markdown(text)
    assert not ANY_LINE_END.search(label)
    assert_inert(label, text)
    shown = html.unescape(re.sub(r"<[^>]+>", "", COMMONMARK.render(label))).strip()
    assert shown == " ".join(render.strip_markup(text).split()), "the label must show the text literally"


def test_citation_markers_survive_the_escaping() -> None:
    markup = render.answer_html("Kota Tarakan mengelola bank sampah [1][2]; lihat juga [7].", [1, 2])
    assert markup.count('<sup class="bk-cite">') == 2
    shown = html.unescape(re.sub(r"<[^>]+>", "", COMMONMARK.render(markup)))
    assert "sampah [1][2]; lihat juga [7]." in shown  # a marker without a citation stays literal text


untrusted = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=200)


@given(untrusted)
def test_any_text_renders_inert(text: str) -> None:
    for markup in renderings(text):
        assert not ANY_LINE_END.search(markup)
        assert_inert(markup, text)
    assert_inert(render.escape_markdown(text), text)
