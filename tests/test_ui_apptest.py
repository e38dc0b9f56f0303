"""The web app's pages, run by Streamlit's AppTest against the real API over the sample corpus, plus the
rendering helpers that keep document text inert."""

from __future__ import annotations

import html
import json
import re

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from core.settings import PROJECT_ROOT
from testing.servers import free_port
from ui.i18n import STRINGS, translate
from ui.render import API_URL_KEY, citation_title, escape_markdown, highlight_html, safe_html, strip_markup

APP = PROJECT_ROOT / "ui" / "app.py"
MANIFEST = json.loads((PROJECT_ROOT / "documents" / "manifest.json").read_text(encoding="utf-8"))["documents"]
# Answering runs retrieval and embedding in the API process; on 2 busy CI cores that can take a while.
RUN_TIMEOUT_S = 120


def titles_about(city: str) -> set[str]:
    return {d["title"] for d in MANIFEST if f"Kota {city}" in d.get("cities", [])}


def open_app(api_url: str, lang: str = "en") -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=RUN_TIMEOUT_S)
    at.session_state[API_URL_KEY] = api_url
    at.query_params["lang"] = lang
    return at.run()


def unescape_markdown(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def block_text(block) -> str:
    """Everything a block shows as markdown/caption/expander label, with our escaping undone."""
    parts = [m.value for m in block.markdown] + [c.value for c in block.caption] + [e.label for e in block.expander]
    return unescape_markdown("\n".join(parts))


def markers_in(text: str) -> set[int]:
    return {int(n) for n in re.findall(r'class="bk-cite">\[(\d+)\]', text)}


@pytest.fixture(scope="module")
def compared(api_server: str) -> AppTest:
    at = open_app(api_server)
    assert not at.exception
    at.button[0].click().run()  # the form opens on Balikpapan + Samarinda and the SPBE aspect
    assert not at.exception, at.exception
    return at


def test_compare_shows_one_cited_column_per_city_for_balikpapan_and_samarinda(compared: AppTest) -> None:
    assert not compared.error, [e.value for e in compared.error]
    columns = {}
    for column in compared.columns:
        text = block_text(column)
        for city in ("Balikpapan", "Samarinda"):
            if f'<div class="bk-city">Kota {city}</div>' in text:
                columns[city] = (column, text)
    assert set(columns) == {"Balikpapan", "Samarinda"}
    for city, (column, text) in columns.items():
        markers = markers_in(text)
        assert markers, f"{city}: the answer carries no citation markers"
        # every marker has its evidence one click away: an expander labelled with the same [n]
        labelled = {int(m) for e in column.expander for m in re.findall(r"^\[(\d+)\]", unescape_markdown(e.label))}
        assert markers <= labelled, (city, markers, labelled)
        # the evidence comes from documents the curators list as being about that city
        assert any(title in text for title in titles_about(city)), (city, text[:2000])
        for link in column.link_button:
            assert re.fullmatch(r"http://127\.0\.0\.1:\d+/documents/\w+/file#page=\d+", link.proto.url)


def test_compare_shows_matrix_and_timeline_sections(compared: AppTest) -> None:
    headings = [s.value for s in compared.subheader]
    for key in ("compare.answers", "compare.matrix", "compare.timeline"):
        assert translate(key, "en") in headings


def test_compare_source_link_opens_the_cited_document(compared: AppTest, api_server: str) -> None:
    url = compared.link_button[0].proto.url
    response = httpx.get(url.split("#")[0], timeout=30)
    assert response.status_code == 200 and len(response.content) > 0


@pytest.fixture(scope="module")
def singkawang_code(api_server: str) -> str:
    cities = httpx.get(f"{api_server}/cities", timeout=30).json()["cities"]
    return next(c["region"]["code"] for c in cities if c["region"]["name"] == "Singkawang")


def test_ask_renders_answer_and_sources_with_the_quote_highlighted_in_context(
    api_server: str, singkawang_code: str
) -> None:
    at = open_app(api_server).switch_page("views/ask.py").run()
    at.text_area(key="ask_question").input("Siapa yang bertugas memberikan layanan informasi publik?")
    at.selectbox(key="ask_city").set_value(singkawang_code)
    at.button[0].click().run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    answer = at.session_state["ask_result"]
    assert answer.covered and answer.citations
    page_text = block_text(at.main)
    assert markers_in(page_text) & {c.marker for c in answer.citations}
    singkawang_title = next(d["title"] for d in MANIFEST if "Kota Singkawang" in d["cities"])
    assert singkawang_title in page_text  # the only document about Singkawang is the one cited
    marked = [html.unescape(m) for m in re.findall(r"<mark>(.*?)</mark>", page_text, flags=re.DOTALL)]
    quotes = {" ".join(c.quote.split()) for c in answer.citations}
    assert marked and all(" ".join(m.replace("<br>", "\n").split()) in quotes for m in marked)
    links = [b.proto.url for b in at.link_button]
    assert any(url.endswith(f"#page={c.page}") and c.doc_id in url for c in answer.citations for url in links)
    # "PPID Utama bertugas …": the SOP defined PPID in its Pasal 1, and the source says what it stands for.
    explained = [a for c in answer.citations for a in c.acronyms]
    assert explained and all(a in page_text for a in explained)


def test_the_source_viewer_says_what_the_passages_acronyms_stand_for(api_server: str) -> None:
    answer = httpx.post(f"{api_server}/ask", json={"question": "Siapa yang bertugas memberikan layanan informasi "
                        "publik?", "filters": {"cities": ["Singkawang"]}}, timeout=300).json()
    cited = next(c for c in answer["citations"] if c["acronyms"])
    at = AppTest.from_file(str(APP), default_timeout=RUN_TIMEOUT_S)
    at.session_state[API_URL_KEY] = api_server
    for name, value in {"lang": "en", "doc": cited["doc_id"], "passage": cited["passage_id"]}.items():
        at.query_params[name] = value
    at.switch_page("views/source.py").run()
    assert not at.exception, at.exception
    captions = " ".join(unescape_markdown(c.value) for c in at.caption)
    assert "PPID: Pejabat Pengelola Informasi dan Dokumentasi" in captions


def test_ask_without_evidence_says_so_and_shows_what_was_searched(api_server: str) -> None:
    at = open_app(api_server).switch_page("views/ask.py").run()
    at.text_area(key="ask_question").input("What is the penguin population of Antarctica's Ross Ice Shelf?")
    at.button[0].click().run()
    assert not at.exception, at.exception
    answer = at.session_state["ask_result"]
    assert not answer.covered
    assert translate("ask.not_covered", "en") in [w.value for w in at.warning]


def test_library_lists_the_sample_documents(api_server: str) -> None:
    at = open_app(api_server).switch_page("views/library.py").run()
    assert not at.exception, at.exception
    tables = [m.value for m in at.markdown if 'class="bk-docs"' in m.value]
    assert len(tables) == 1
    # every title whole, in a cell that wraps (a long title is never cut at the column edge)
    shown = {html.unescape(t.replace("<br>", "\n")) for t in re.findall(r'<td class="bk-title">(.*?)</td>', tables[0])}
    assert {d["title"] for d in MANIFEST} <= shown
    assert len(shown) == len(MANIFEST) == 12


def test_library_upload_then_delete_round_trip(api_server: str) -> None:
    text = ("Peraturan Wali Kota Bontang tentang Rumah Kompos Warga.\n\n"
            "Pasal 1\nSetiap kelurahan di Kota Bontang menyediakan satu rumah kompos warga.\n")
    at = open_app(api_server).switch_page("views/library.py").run()
    at.file_uploader(key="lib_upload").upload("rumah_kompos_bontang.txt", text.encode(), "text/plain")
    at.button[0].click().run()
    assert not at.exception, at.exception
    outcomes = [unescape_markdown(s.value) for s in at.success]
    assert any("rumah_kompos_bontang.txt" in o for o in outcomes), [e.value for e in at.error]
    docs = httpx.get(f"{api_server}/documents", timeout=30).json()["documents"]
    added = next(d for d in docs if d["filename"] == "rumah_kompos_bontang.txt")
    # deleting needs the confirmation tick
    at.selectbox(key="lib_delete_doc").set_value(added["doc_id"])
    next(b for b in at.button if b.label == translate("library.delete_submit", "en")).click().run()
    assert translate("library.delete_need_confirm", "en") in [w.value for w in at.warning]
    at.selectbox(key="lib_delete_doc").set_value(added["doc_id"])
    at.checkbox(key="lib_delete_confirm").check()
    next(b for b in at.button if b.label == translate("library.delete_submit", "en")).click().run()
    assert not at.exception, at.exception
    remaining = httpx.get(f"{api_server}/documents", timeout=30).json()["documents"]
    assert added["doc_id"] not in {d["doc_id"] for d in remaining}


@pytest.mark.parametrize("page", [None, "views/ask.py", "views/library.py", "views/regulation.py",
                                  "views/source.py"])
def test_unreachable_api_shows_a_clear_message(page: str | None) -> None:
    closed = f"http://127.0.0.1:{free_port()}"
    at = open_app(closed)
    if page:
        at.switch_page(page).run()
    assert not at.exception, at.exception
    errors = [e.value for e in at.error] + [e.value for e in at.sidebar.error]
    assert any(closed in message for message in errors), errors


def test_city_picker_lists_regions_with_documents_first_with_their_counts(api_server: str) -> None:
    at = open_app(api_server)
    picker = at.multiselect(key="compare_cities")
    cities = httpx.get(f"{api_server}/cities", timeout=30).json()["cities"]
    with_documents = sum(1 for c in cities if c["documents"])
    labels = [str(option) for option in picker.options]
    assert 0 < with_documents < len(labels) == len(cities)
    assert all(" documents" in label or " document" in label for label in labels[:with_documents])
    assert not any(" document" in label for label in labels[with_documents:])
    counts = [int(re.search(r"· (\d+) document", label).group(1)) for label in labels[:with_documents]]  # type: ignore[union-attr]
    assert counts == sorted(counts, reverse=True)


def test_topic_input_follows_the_mode_and_a_link_reproduces_the_comparison(api_server: str) -> None:
    at = AppTest.from_file(str(APP), default_timeout=RUN_TIMEOUT_S)
    at.session_state[API_URL_KEY] = api_server
    cities = httpx.get(f"{api_server}/cities", timeout=30).json()["cities"]
    codes = [c["region"]["code"] for c in cities if c["region"]["name"] in ("Balikpapan", "Samarinda")
             and c["region"]["kind"] == "kota"]
    for name, value in {"lang": "en", "cities": ",".join(codes), "mode": "free",
                        "q": "How do the cities regulate information security?"}.items():
        at.query_params[name] = value
    at.run()
    assert not at.exception, at.exception
    # the free-question mode shows the question and no aspect list: no field is silently ignored
    assert [w.key for w in at.text_input] == ["compare_question"]
    assert not [w for w in at.selectbox if w.key == "compare_aspect"]
    comparison, _timeline = at.session_state["compare_result"]
    assert comparison.topic == "How do the cities regulate information security?"
    assert {r.code for r in comparison.cities} == set(codes)


def test_language_switch_changes_labels(api_server: str) -> None:
    at = open_app(api_server, lang="id")
    assert at.title[0].value == translate("compare.title", "id")
    at.sidebar.selectbox[0].set_value("en").run()
    assert at.title[0].value == translate("compare.title", "en") != translate("compare.title", "id")
    assert at.button[0].label == translate("compare.submit", "en")
    at.switch_page("views/library.py").run()
    assert at.title[0].value == translate("library.title", "en")


def test_every_ui_string_exists_in_both_languages() -> None:
    for key, entry in STRINGS.items():
        assert set(entry) == {"id", "en"} and all(entry.values()), key
        placeholders = [set(re.findall(r"{(\w+)", entry[lang])) for lang in ("id", "en")]
        assert placeholders[0] == placeholders[1], key


def test_pages_only_talk_to_the_api_over_http() -> None:
    for path in (PROJECT_ROOT / "ui").rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        assert not re.search(r"^\s*(from|import)\s+(api|ingest|vectorstore)\b", source, re.MULTILINE), path
        assert "unsafe_allow_html=True" not in source or path.name == "render.py", path


# --- rendering helpers: document text can never become markup ------------------------------------------------

untrusted = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=300) | st.sampled_from([
    "![x](http://evil.example/a.png)", "[click](javascript:alert(1))", "<img src=x onerror=alert(1)>",
    "<script>alert(1)</script>", "<https://evil.example>", "[ref]: http://evil.example\n", "$x^2$ :smile:",
])


@given(untrusted)
def test_safe_html_never_emits_tags_of_its_own(text: str) -> None:
    out = safe_html(text)
    assert re.sub(r"<br>", "", out).count("<") == 0
    assert "\n" not in out  # one HTML block: a blank line would hand the rest back to the markdown parser


@given(untrusted)
def test_strip_markup_leaves_no_link_or_image_syntax(text: str) -> None:
    out = strip_markup(text)
    assert not re.search(r"!?\[[^\]\n]*\]\([^)\n]*\)", out)
    assert not re.search(r"<(https?|javascript|data):", out, re.IGNORECASE)


@given(untrusted, untrusted, untrusted)
def test_highlight_marks_exactly_the_quote(before: str, quote: str, after: str) -> None:
    out = highlight_html(before, quote, after)
    assert out.count("<mark>") == 1
    found = re.search(r"<mark>(.*)</mark>", out, re.DOTALL)
    assert found is not None
    marked = found.group(1)
    assert html.unescape(marked.replace("<br>", "\n")) == strip_markup(quote).replace("\r\n", "\n")


@given(untrusted)
def test_escape_markdown_leaves_no_active_markdown(text: str) -> None:
    out = escape_markdown(text)
    assert not re.search(r"(?<!\\)[\[\]()<>*_`!$]", out)



def test_citations_of_one_paper_are_told_apart_before_they_are_opened():
    from core.types import Citation

    def cite(marker: int, quote: str) -> Citation:
        return Citation(marker=marker, passage_id="p", doc_id="d", title="Sectoral Ego Versus Collaboration", page=1,
                        section="RESULTS › Regulation", start=0, end=len(quote), quote=quote,
                        label="Sectoral Ego Versus Collaboration, p. 1, Regulation")

    first = citation_title(cite(1, "Mayor's Regulation 31/2020: Implementation of SPBE"), "p. 1")
    second = citation_title(cite(2, "Mayor's Regulation 14/2022: Implementation of SPBE"), "p. 1")
    assert first.startswith("[1] ") and second.startswith("[2] ")
    assert "31/2020" in first and "14/2022" in second and "p. 1" in first
