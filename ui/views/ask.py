"""Ask page: one question (optionally narrowed by city, document type and years), a cited answer and its sources,
each quote shown inside its surrounding text with a link to the page it sits on."""

from __future__ import annotations

import streamlit as st

from core.types import Answer, DocType, Region, SearchFilters
from ui.client import ApiClient
from ui.exports import answer_markdown
from ui.i18n import current_language, option_labels, t
from ui.render import (
    answer_html,
    cached_regions,
    call_api,
    escape_markdown,
    html_block,
    region_choices,
    render_citation,
    session_client,
)
from ui.state import keep_in_url, parse_int, seed_from_url

RESULT_KEY = "ask_result"
DOC_TYPES: tuple[DocType, ...] = ("regulation", "paper", "plan", "report", "other")
ANY = ""


def build_filters(city: str, doc_type: str, year_from: int | None, year_to: int | None) -> SearchFilters:
    return SearchFilters(cities=[city] if city else [], doc_types=[doc_type] if doc_type else [],  # type: ignore[list-item]
                         year_from=year_from or None, year_to=year_to or None)


def ask_form(client: ApiClient, regions: list[tuple[Region, int, int]]) -> None:
    names = region_choices(regions)
    first_visit = "ask_visited" not in st.session_state
    st.session_state["ask_visited"] = True
    seed_from_url("ask", {
        "ask_question": ("q", str),
        "ask_city": ("city", lambda raw: raw if raw in names else None),
        "ask_doc_type": ("type", lambda raw: raw if raw in DOC_TYPES else None),
        "ask_year_from": ("from", parse_int),
        "ask_year_to": ("to", parse_int),
    })
    with st.form("ask_form"):
        question = st.text_area(t("ask.question"), placeholder=t("ask.placeholder"), height=90, key="ask_question")
        city_col, type_col, from_col, to_col = st.columns([2, 2, 1, 1])
        city_labels = {ANY: t("any"), **names}
        type_labels = option_labels([ANY, *DOC_TYPES], "doc_type.")
        city = city_col.selectbox(t("ask.city"), list(city_labels), key="ask_city", format_func=city_labels.__getitem__)
        doc_type = type_col.selectbox(t("ask.doc_type"), list(type_labels), key="ask_doc_type",
                                      format_func=type_labels.__getitem__)
        year_from = from_col.number_input(t("ask.year_from"), min_value=1945, max_value=2100, value=None, step=1,
                                          key="ask_year_from")
        year_to = to_col.number_input(t("ask.year_to"), min_value=1945, max_value=2100, value=None, step=1,
                                      key="ask_year_to")
        submitted = st.form_submit_button(t("ask.submit"), type="primary")
    keep_in_url(q=question.strip(), city=city, type=doc_type, **{"from": year_from, "to": year_to})
    # A shared link with a question shows its answer at once, on the session's first visit.
    if not submitted and not (first_visit and question.strip()):
        return
    if not question.strip():
        st.warning(t("ask.need_question"))
        return
    filters = build_filters(city, doc_type, year_from, year_to)
    with st.spinner(t("working")):
        st.session_state[RESULT_KEY] = call_api(lambda: client.ask(question.strip(), filters,
                                                                    lang=current_language()))


def show_not_covered(answer: Answer) -> None:
    st.warning(t("ask.not_covered"), icon=":material/search_off:")
    if answer.searched:
        st.caption(escape_markdown(answer.searched))
    if answer.nearest_documents:
        st.markdown(f"**{t('ask.nearest')}**")
        for doc in answer.nearest_documents:
            st.markdown(f"- {escape_markdown(doc.title)}")


def show_answer(answer: Answer, client: ApiClient) -> None:
    st.subheader(t("ask.answer"))
    if not answer.covered:
        show_not_covered(answer)
        return
    html_block(f'<div class="bk-text">{answer_html(answer.text, [c.marker for c in answer.citations])}</div>')
    st.caption(t("ask.engine", engine=t(f"engine.{answer.engine}")))
    for note in answer.notes:
        st.caption(escape_markdown(note))
    if answer.dropped_sentences:
        with st.expander(t("ask.dropped")):
            for sentence in answer.dropped_sentences:
                st.text(sentence)
    if answer.citations:
        st.subheader(t("sources"))
    for citation in answer.citations:
        render_citation(citation, client, with_context=True)
    st.download_button(t("export.markdown"), answer_markdown(answer, current_language()), "banding-kota-answer.md",
                       "text/markdown", key="export_answer_md", on_click="ignore")


def main() -> None:
    st.title(t("ask.title"))
    client = session_client()
    regions = call_api(lambda: cached_regions(client.base_url))
    ask_form(client, regions or [])
    answer = st.session_state.get(RESULT_KEY)
    if answer is not None:
        show_answer(answer, client)


main()
