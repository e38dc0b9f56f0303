"""Rendering helpers for the web app: answers with citation markers, sources, quotes in context, the
regulation matrix and the timeline.

Everything that comes from a document (passages, quotes, titles, answer sentences) is untrusted and is made
inert before it reaches the page, whatever the markdown parser: link and image syntax (inline and reference
style, autolinks, link definitions) is stripped, every line ending (``\r``, ``\r\n``, U+2028 ...) becomes
one, and then every ASCII punctuation character is escaped — as an HTML character reference inside our own
HTML (a reference is literal text to a CommonMark parser, never syntax) and with a backslash where Streamlit
renders markdown. The only markup added is our own (``<mark>``, ``<sup>``, table tags), emitted as one HTML
block with no line break at all, so no document text can end the block and be parsed as markdown.
"""

from __future__ import annotations

import html
import re
import string
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TypeVar
from urllib.parse import urlencode

import altair as alt
import pandas as pd
import streamlit as st

from core.types import AnswerSentence, Citation, Comparison, Region, RegulationRef, TimelineEntry
from ui.client import ApiClient, ApiError, ApiUnreachable
from ui.i18n import aspect_name, current_language, localize_label, t

T = TypeVar("T")

API_URL_KEY = "api_url"

# CommonMark ends a line at \n, \r\n or a bare \r; Python's str.splitlines adds \v, \f, \x1c-\x1e, \x85,
# U+2028 and U+2029. All of them become \n before anything else looks at the text.
_LINE_ENDS = re.compile(r"\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]")
_IMAGE = re.compile(r"!\[([^\]\n]*)\](?:\([^)\n]*\)|\[[^\]\n]*\])")
# A reference-style link "[text][ref]", but not a run of citation markers "[1][2]".
_LINK = re.compile(r"\[([^\]\n]*)\](?:\([^)\n]*\)|\[(?!\d{1,3}\])[^\]\n]*\])")
_REFERENCE_DEF = re.compile(r"^[ \t]*\[[^\]\n]+\]:[ \t]*\S+.*$", re.MULTILINE)
_AUTOLINK = re.compile(r"<((?:[a-z][a-z0-9+.\-]{1,31}):[^>\s]*|[^>\s@]+@[^>\s@]+)>", re.IGNORECASE)
_MARKER = re.compile(r"\[(\d{1,3})\]")
_ESCAPED_MARKER = re.compile(r"&#91;(\d{1,3})&#93;")
# Every ASCII punctuation character, as a reference inside HTML (&, <, >, quotes included) ...
_HTML_INERT = str.maketrans({ch: f"&#{ord(ch)};" for ch in string.punctuation} | {"\n": "<br>"})
# ... and backslash-escaped where markdown is rendered (CommonMark lets any of them be escaped).
_MD_SPECIAL = re.compile(r"([!\"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~])")

CSS = """
<style>
.bk-text {line-height: 1.6;}
.bk-cite {font-size: 0.72em; font-weight: 600; color: #1f5fa8; margin-left: 1px;}
.bk-quote {border-left: 3px solid #d0d7e2; padding: 0.4em 0.8em; margin: 0.3em 0 0.6em 0;
  color: #333; background: #f7f9fc; border-radius: 0 4px 4px 0; font-size: 0.93em; line-height: 1.55;}
.bk-quote mark {background: #ffe58f; padding: 0 1px;}
.bk-muted {color: #6b7280; font-size: 0.88em;}
.bk-city {font-size: 1.15em; font-weight: 700; margin-bottom: 0.2em;}
.bk-none {color: #8a5a00; background: #fff7e6; border-radius: 4px; padding: 0.5em 0.7em;}
table.bk-matrix {border-collapse: collapse; width: 100%; font-size: 0.9em;}
table.bk-matrix th, table.bk-matrix td {border: 1px solid #e3e7ee; padding: 0.45em 0.6em; vertical-align: top;
  text-align: left;}
table.bk-matrix th {background: #f3f6fa;}
table.bk-matrix ul {margin: 0; padding-left: 1.1em;}
.bk-source {line-height: 1.65; padding: 0.6em 0.9em; border: 1px solid #e3e7ee;
  border-radius: 4px; font-size: 0.93em;}
.bk-source .bk-passage {background: #eef4ff; border-radius: 3px;}
.bk-source mark {background: #ffe58f; padding: 0 1px;}
.bk-wording {font-size: 0.9em; line-height: 1.55; background: #f7f9fc; padding: 0.5em 0.8em; border-radius: 4px;}
table.bk-docs {border-collapse: collapse; width: 100%; font-size: 0.9em;}
table.bk-docs th, table.bk-docs td {border-bottom: 1px solid #e3e7ee; padding: 0.4em 0.5em; vertical-align: top;
  text-align: left;}
table.bk-docs th {background: #f3f6fa;}
table.bk-docs td.bk-title {min-width: 22em; white-space: normal;}
a.bk-link {text-decoration: none; padding: 0.25em 0.6em; border: 1px solid #d0d7e2; border-radius: 4px;
  display: inline-block; margin: 0.1em 0;}
ul.bk-links {list-style: none; padding-left: 0; margin: 0;}
</style>
"""


# --- pure text functions -------------------------------------------------------------------------------------

def normalise_lines(text: str) -> str:
    return _LINE_ENDS.sub("\n", text)


def strip_markup(text: str) -> str:
    """Document text without markdown images, links (inline and reference style), link definitions or
    autolinks (their words stay), with every line ending as ``\n``."""
    text = normalise_lines(text)
    previous = None
    # Removing one link can form another ("[[a](b)](c)"), so strip until nothing changes.
    while text != previous:
        previous = text
        text = _IMAGE.sub(lambda m: m.group(1), text)
        text = _LINK.sub(lambda m: m.group(1), text)
        text = _REFERENCE_DEF.sub("", text)
        text = _AUTOLINK.sub(lambda m: m.group(1), text)
    return text


def safe_html(text: str) -> str:
    """Untrusted text as inert HTML on one line: markup stripped, punctuation escaped, line ends as ``<br>``."""
    return strip_markup(text).translate(_HTML_INERT)


def escape_markdown(text: str) -> str:
    """Untrusted text for places Streamlit renders as markdown (expander labels, captions): shown literally,
    on one line."""
    flat = " ".join(strip_markup(text).split())
    return _MD_SPECIAL.sub(r"\\\1", flat)


def markers_html(markers: Iterable[int]) -> str:
    return "".join(f'<sup class="bk-cite">[{int(n)}]</sup>' for n in markers)


def answer_html(text: str, known_markers: Iterable[int]) -> str:
    """An answer with its [n] markers shown as citation superscripts (only markers that have a citation)."""
    known = {int(n) for n in known_markers}
    escaped = safe_html(text)
    return _ESCAPED_MARKER.sub(
        lambda m: markers_html([int(m.group(1))]) if int(m.group(1)) in known else m.group(0), escaped)


def sentence_html(sentence: AnswerSentence) -> str:
    """One answer sentence followed by its citation markers (markers already written in the text are kept once)."""
    text = sentence.text.rstrip()
    trailing = [int(n) for n in _MARKER.findall(text)]
    missing = [n for n in sentence.citations if n not in trailing]
    return answer_html(text, sentence.citations) + markers_html(missing)


def highlight_html(before: str, quote: str, after: str) -> str:
    """The quote marked inside its surrounding text."""
    return (f'<div class="bk-quote">{safe_html(before)}<mark>{safe_html(quote)}</mark>'
            f"{safe_html(after)}</div>")


def link_html(label: str, url_path: str, params: Mapping[str, str]) -> str:
    """A link to one of the app's pages with its URL state. ``st.page_link`` cannot go from a page to itself
    with other parameters (the viewer's next passage, a related regulation): a plain link reloads the page, and
    the page rebuilds itself from its URL."""
    href = html.escape(f"{url_path}?{urlencode(params)}", quote=True)
    return f'<a class="bk-link" href="{href}" target="_self">{safe_html(label)}</a>'


def quote_html(quote: str) -> str:
    return f'<div class="bk-quote">{safe_html(quote)}</div>'


def instrument_text(ref: RegulationRef) -> str:
    """'Perwali No. 31/2020 — tentang ...': type, number/year and subject, as a lawyer would list it."""
    subject = f" — {ref.subject}" if ref.subject else ""
    if not ref.number:  # UUD 1945
        return f"{ref.instrument} {ref.year or ''}".strip() + subject
    year = f"/{ref.year}" if ref.year else ""
    return f"{ref.instrument} No. {ref.number}{year}{subject}"


def shorten(text: str, limit: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rsplit(" ", 1)[0] + "…"


def citation_title(citation: Citation, page_label: str) -> str:
    """One-line provenance of a citation (plain text; escape before rendering); the full title is inside.

    A lawyer-style label ('Pasal 12 ayat (3), Perda ...') is kept; a paper's label begins with its (often long)
    title, so the page and section are put before the title is cut."""
    # The quote's opening words come first: a comparison cites one paper many times, and its citations must
    # be told apart before they are opened.
    opening = f"“{shorten(' '.join(citation.quote.split()), 70)}” — "
    if citation.label and not citation.label.startswith(citation.title):
        return f"[{citation.marker}] {opening}{shorten(localize_label(citation.label, current_language()), 90)}"
    parts = [shorten(citation.title, 50), page_label]
    if citation.section:
        parts.append(shorten(citation.section.split("›")[-1], 40))
    return f"[{citation.marker}] {opening}" + ", ".join(parts)


def filled_aspects(comparison: Comparison) -> list[str]:
    """Aspects for which at least one city has an instrument or a citation (the rows worth a table line)."""
    filled = {cell.aspect for cell in comparison.matrix if cell.instruments or cell.citations}
    return [aspect for aspect in comparison.aspects if aspect in filled]


def matrix_html(comparison: Comparison, aspects: Sequence[str], city_names: Mapping[str, str],
                aspect_label: str) -> str:
    """Aspect × city table; each cell lists instruments with their citation markers."""
    cells = {(cell.aspect, cell.city): cell for cell in comparison.matrix}
    cities = [region.code for region in comparison.cities]
    head = "".join(f"<th>{safe_html(city_names.get(code, code))}</th>" for code in cities)
    rows = []
    for aspect in aspects:
        tds = []
        for code in cities:
            cell = cells.get((aspect, code))
            tds.append(f"<td>{_cell_html(cell.instruments, cell.citations) if cell else '—'}</td>")
        rows.append(f"<tr><th>{safe_html(aspect_name(aspect, current_language()))}</th>{''.join(tds)}</tr>")
    return (f'<table class="bk-matrix"><thead><tr><th>{safe_html(aspect_label)}</th>{head}</tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table>")


def _cell_html(instruments: Sequence[RegulationRef], citations: Sequence[Citation]) -> str:
    markers = markers_html(sorted({c.marker for c in citations}))
    if not instruments:
        return f"—{markers}" if markers else "—"
    items = "".join(f"<li>{safe_html(instrument_text(ref))}</li>" for ref in instruments)
    return f"<ul>{items}</ul>{markers}"


def timeline_frame(timeline: Sequence[TimelineEntry], city_names: Mapping[str, str]) -> pd.DataFrame:
    """Rows (city, year, regulation) for the timeline chart."""
    rows = [
        {"city": city_names.get(item.city, item.city), "year": item.year,
         "regulation": strip_markup(item.label or item.key)}
        for item in timeline
    ]
    return pd.DataFrame(rows, columns=["city", "year", "regulation"])


def timeline_chart(frame: pd.DataFrame, *, city_title: str, year_title: str, regulation_title: str) -> alt.Chart:
    base = alt.Chart(frame).encode(
        x=alt.X("year:O", title=year_title, axis=alt.Axis(labelAngle=0)),
        y=alt.Y("city:N", title=city_title),
        color=alt.Color("city:N", legend=None),
        tooltip=[alt.Tooltip("city:N", title=city_title), alt.Tooltip("year:O", title=year_title),
                 alt.Tooltip("regulation:N", title=regulation_title)],
    )
    points = base.mark_circle(size=420, opacity=0.85)
    counts = (
        alt.Chart(frame).transform_aggregate(n="count()", groupby=["city", "year"])
        .encode(x="year:O", y="city:N", text="n:Q")
        .mark_text(color="white", fontWeight="bold", fontSize=12)
    )
    # A step per city keeps rows apart however many cities are compared.
    return (points + counts).properties(height=alt.Step(56)).configure_axis(labelFontSize=13, titleFontSize=13)


# --- Streamlit pieces ------------------------------------------------------------------------------------------

def inject_css() -> None:
    st.markdown(CSS, unsafe_allow_html=True)


def html_block(markup: str) -> None:
    """Show markup built by the functions above (all document text in it is already escaped)."""
    st.markdown(markup, unsafe_allow_html=True)


def session_client() -> ApiClient:
    """The API client for this browser session (tests point it elsewhere through session state); it asks the API
    for its sentences in the interface's language."""
    return ApiClient(st.session_state.get(API_URL_KEY), language=current_language())


def source_params(citation: Citation) -> dict[str, str]:
    """The source viewer's URL parameters for a citation: the passage, the quote's span, the language."""
    return {"doc": citation.doc_id, "passage": citation.passage_id, "start": str(citation.start),
            "end": str(citation.end), "lang": current_language()}


CLIENT_ERRORS = {"bad_response": "api.bad_response", "http_error": "api.http_error"}
SOURCE_PAGE = "views/source.py"
REGULATION_PAGE = "views/regulation.py"


@st.cache_data(ttl=60, show_spinner=False)
def cached_regions(base_url: str) -> list[tuple[Region, int, int]]:
    """(region, documents, passages) per city; cached briefly because every page and rerun needs them."""
    return ApiClient(base_url).cities()


def show_api_error(error: ApiUnreachable | ApiError) -> None:
    if isinstance(error, ApiUnreachable):
        st.error(f"{t('api.unreachable', url=error.url)}  \n{t('api.unreachable_hint')}", icon=":material/power_off:")
        return
    if error.code == "timeout":
        st.error(t("api.timeout", seconds=session_client().timeout_s), icon=":material/timer:")
        return
    if error.code in CLIENT_ERRORS:
        # Raised by this app's client, not sent by the API: said in the interface's language.
        st.error(t(CLIENT_ERRORS[error.code], status=error.status, detail=escape_markdown(error.message)),
                 icon=":material/error:")
        return
    message = t("api.error", code=escape_markdown(error.code), message=escape_markdown(error.message))
    st.error(message, icon=":material/error:")
    if error.hint:
        st.caption(t("api.hint", hint=escape_markdown(error.hint)))


def call_api(action: Callable[[], T]) -> T | None:
    """Run one API call; on failure show what went wrong (with the API's hint) and return None."""
    try:
        return action()
    except (ApiUnreachable, ApiError) as error:
        show_api_error(error)
        return None


def acronyms_caption(acronyms: Sequence[str]) -> None:
    """What the acronyms of a quote or passage stand for, as its document defined them; nothing when none."""
    if acronyms:
        st.caption(t("acronyms_note", acronyms="; ".join(escape_markdown(a) for a in acronyms)))


def render_citation(citation: Citation, client: ApiClient, *, with_context: bool = False) -> None:
    """One source: provenance, the quote (inside its surrounding text when asked) and a link to the page."""
    with st.expander(escape_markdown(citation_title(citation, t("page_n", page=citation.page)))):
        details = [escape_markdown(citation.title), t("page_n", page=citation.page)]
        if citation.section:
            details.append(escape_markdown(citation.section))
        st.caption(" · ".join(details))
        if with_context:
            _render_context(citation, client)
        else:
            html_block(quote_html(citation.quote))
        acronyms_caption(citation.acronyms)
        if citation.ocr_confidence is not None:
            st.caption(t("ocr_note", confidence=citation.ocr_confidence))
        viewer, original = st.columns(2)
        with viewer:
            st.page_link(SOURCE_PAGE, label=t("source.open_viewer"), icon=":material/find_in_page:",
                         query_params=source_params(citation))
        with original:
            st.link_button(t("open_source", page=citation.page), client.file_url(citation.doc_id, citation.page))


def _render_context(citation: Citation, client: ApiClient) -> None:
    try:
        context = client.context(citation.doc_id, citation.start, citation.end)
    except (ApiUnreachable, ApiError) as error:
        st.caption(t("ask.context_failed", message=escape_markdown(str(error))))
        html_block(quote_html(citation.quote))
        return
    html_block(highlight_html(context.before, context.quote, context.after))


def region_choices(regions: Sequence[tuple[Region, int, int]]) -> dict[str, str]:
    """Region code → picker label: regions holding documents first (most documents first) with their count, then
    the regions only mentioned, by name (the picker's search finds them)."""
    ordered = sorted(regions, key=lambda item: (-item[1], item[0].official))
    return {region.code: t("picker.city_docs_one" if docs == 1 else "picker.city_docs", name=region.official, n=docs)
            if docs else region.official
            for region, docs, _passages in ordered}


def uploader_css(drop: str, limit: str, browse: str) -> str:
    """Streamlit writes its file uploader's instructions and button in English; these rules hide them and show
    ours (interface strings, never document text) in their place."""
    quoted = [s.replace("\\", "\\\\").replace('"', '\\"') for s in (drop, limit, browse)]
    return (
        "<style>"
        '[data-testid="stFileUploaderDropzoneInstructions"] > div > span,'
        '[data-testid="stFileUploaderDropzoneInstructions"] > div > small {display: none;}'
        f'[data-testid="stFileUploaderDropzoneInstructions"] > div::before {{content: "{quoted[0]}";'
        " display: block; margin-bottom: 0.2em;}"
        f'[data-testid="stFileUploaderDropzoneInstructions"] > div::after {{content: "{quoted[1]}";'
        " display: block; font-size: 0.85em; color: #6b7280;}"
        '[data-testid="stFileUploaderDropzone"] button {font-size: 0 !important;}'
        f'[data-testid="stFileUploaderDropzone"] button::after {{content: "{quoted[2]}"; font-size: 0.9rem;}}'
        "</style>"
    )
