"""Source viewer: a cited passage in its place. A PDF page is shown rendered with the quote highlighted on it; the
clean text beside it marks the passage and the quote (the only view for TXT, Markdown, DOCX and HTML). The section
path, the previous and next passages and the original file are one click away.

The URL holds the view: ``?doc=ID&passage=PID&start=N&end=M`` (the quote's span in the clean text, optional)."""

from __future__ import annotations

import streamlit as st

from core.api_models import PassageView
from core.types import DocumentMeta
from ui.client import ApiClient
from ui.i18n import current_language, t
from ui.render import (
    REGULATION_PAGE,
    acronyms_caption,
    call_api,
    escape_markdown,
    html_block,
    link_html,
    safe_html,
    session_client,
)
from ui.state import keep_in_url, url_param

PAGE_WIDTH_PX = 1100
# Enough text around the passage to read it in place, little enough that the passage is on screen at once.
CONTEXT_CHARS = 500


def passage_html(view: PassageView, start: int | None, end: int | None) -> str:
    """The clean text around the passage, the passage marked, and inside it the quote marked more strongly."""
    text, offset = view.text, view.start
    lo = hi = None
    if start is not None and end is not None:
        lo, hi = max(0, start - offset), min(len(text), end - offset)
    if lo is not None and hi is not None and lo < hi:
        inner = (f"{safe_html(text[:lo])}<mark>{safe_html(text[lo:hi])}</mark>{safe_html(text[hi:])}")
    else:
        inner = f"<mark>{safe_html(text)}</mark>"
    return (f'<div class="bk-source"><span class="bk-muted">{safe_html(view.before)}</span> '
            f'<span class="bk-passage">{inner}</span> '
            f'<span class="bk-muted">{safe_html(view.after)}</span></div>')


def _int(name: str) -> int | None:
    raw = url_param(name)
    return int(raw) if raw and raw.isdigit() else None


def pick_document(client: ApiClient) -> None:
    """Without a passage in the URL: choose a document and a passage by its section."""
    documents: list[DocumentMeta] = call_api(client.documents) or []
    if not documents:
        st.info(t("source.none"))
        return
    st.caption(t("source.none"))
    titles = {d.doc_id: d.title for d in documents}
    doc_id = st.selectbox(t("source.pick_document"), list(titles), format_func=titles.__getitem__,
                          key="source_doc", index=None, placeholder=t("picker.choose_one"))
    if not doc_id:
        return
    passages = call_api(lambda: client.passages(doc_id)) or []
    if not passages:
        return
    labels = {p.passage_id: f"{t('page_n', page=p.page)} · {p.section or '—'}" for p in passages}
    pid = st.selectbox(t("source.pick_passage"), list(labels), format_func=labels.__getitem__, key="source_pid")
    if st.button(t("source.open_viewer"), icon=":material/find_in_page:", key="source_open"):
        # The viewer is drawn from its URL: the chosen passage goes there.
        st.query_params.update({"doc": doc_id, "passage": pid})
        st.rerun()


def neighbours(view: PassageView) -> None:
    links = [link_html(t(label), "source", {"doc": view.doc_id, "passage": neighbour, "lang": current_language()})
             for neighbour, label in ((view.previous_id, "source.previous"), (view.next_id, "source.next"))
             if neighbour]
    if links:
        html_block('<div class="bk-neighbours">' + " ".join(links) + "</div>")


def pdf_page(client: ApiClient, view: PassageView, start: int | None, end: int | None) -> None:
    first, last = view.page, view.page_end
    page = first
    if last > first:
        page = st.radio(t("source.page_pick"), list(range(first, last + 1)), horizontal=True, key="source_page",
                        format_func=lambda n: t("page_n", page=n))
    span = (start, end) if start is not None and end is not None else (view.start, view.end)
    result = call_api(lambda: client.page_image(view.doc_id, page, *span, width=PAGE_WIDTH_PX))
    if result is None:
        return
    png, boxes = result
    st.caption(t("source.page_of", page=page, pages=view.page_count) + " · "
               + (t("source.highlighted") if boxes else t("source.not_highlighted")))
    st.image(png, width="stretch")


def show_passage(client: ApiClient, doc_id: str, passage_id: str) -> None:
    start, end = _int("start"), _int("end")
    view = call_api(lambda: client.passage(doc_id, passage_id, window=CONTEXT_CHARS))
    if view is None:
        return
    st.subheader(escape_markdown(view.title))
    location = [t("page_n", page=view.page)]
    if view.section:
        location.append(escape_markdown(view.section))
    st.markdown(f"**{t('source.section')}:** " + " › ".join([location[0], *location[1:]]))
    if view.page_source == "ocr":
        st.caption(t("source.scan"))
    acronyms_caption(view.acronyms)
    links = st.columns(3)
    with links[0]:
        st.link_button(t("source.open_file", page=view.page), client.file_url(doc_id, view.page),
                       icon=":material/open_in_new:")
    if view.regulation_key:
        with links[1]:
            st.page_link(REGULATION_PAGE, label=t("source.regulation_link"), icon=":material/gavel:",
                         query_params={"key": view.regulation_key, "lang": current_language()})
    neighbours(view)
    if view.is_pdf:
        image_col, text_col = st.columns([3, 2])
        with image_col:
            pdf_page(client, view, start, end)
        with text_col:
            st.markdown(f"**{t('source.text')}**")
            html_block(passage_html(view, start, end))
    else:
        st.markdown(f"**{t('source.text')}**")
        html_block(passage_html(view, start, end))


def main() -> None:
    st.title(t("source.title"))
    client = session_client()
    doc_id, passage_id = url_param("doc"), url_param("passage")
    keep_in_url(doc=doc_id, passage=passage_id, start=url_param("start"), end=url_param("end"))
    if doc_id and passage_id:
        show_passage(client, doc_id, passage_id)
    else:
        pick_document(client)


main()
