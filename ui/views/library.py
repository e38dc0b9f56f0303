"""Library page: corpus statistics, the documents table with filters, upload (with job progress) and delete."""

from __future__ import annotations

import time

import pandas as pd
import streamlit as st

from core.api_models import Job
from core.types import SUPPORTED_SUFFIXES, DocType, DocumentMeta, Region
from ui.client import ApiClient, ApiError, ApiUnreachable
from ui.i18n import option_labels, t
from ui.render import (
    cached_regions,
    call_api,
    escape_markdown,
    html_block,
    region_choices,
    safe_html,
    session_client,
    show_api_error,
    uploader_css,
)
from ui.state import keep_in_url, parse_int, seed_from_url

DOC_TYPES: tuple[DocType, ...] = ("regulation", "paper", "plan", "report", "other")
UPLOAD_TYPES = [suffix.lstrip(".") for suffix in SUPPORTED_SUFFIXES]
POLL_INTERVAL_S = 0.5
# OCR of a long scan can take minutes; past this the page stops waiting and says so instead of hanging.
JOB_WAIT_S = 600.0
JOB_PROGRESS = {"queued": 0.1, "running": 0.5, "done": 1.0, "failed": 1.0}
ANY = ""


def show_statistics(client: ApiClient, regions: list[tuple[Region, int, int]]) -> None:
    health = call_api(client.health)
    if health is None:
        return
    st.subheader(t("library.stats"))
    cols = st.columns(3)
    cols[0].metric(t("library.documents"), health.documents)
    cols[1].metric(t("library.passages"), health.passages)
    # Regions only mentioned in passages are not the corpus's cities: count those holding documents.
    cols[2].metric(t("library.cities_with_documents"), sum(1 for _r, docs, _p in regions if docs))
    flags = [
        f"{t('library.model')}: {escape_markdown(health.embedding_model)}",
        f"{t('library.store')}: {t('store.' + health.store)}",
        f"{t('library.ocr')}: {t('library.yes') if health.ocr_available else t('library.no')}",
        f"{t('library.llm')}: {t('library.yes') if health.llm_configured else t('library.no')}",
    ]
    st.caption(" · ".join(flags))
    if regions:
        with st.expander(t("library.city_table")):
            ordered = sorted(regions, key=lambda item: (-item[1], item[0].official))
            frame = pd.DataFrame([{t("col.cities"): r.official, t("library.documents"): docs,
                                   t("library.passages"): passages} for r, docs, passages in ordered])
            st.dataframe(frame, hide_index=True)


def region_name(doc: DocumentMeta, code: str, names: dict[str, str]) -> str:
    """A region's name: /cities lists kabupaten and kota only, so a province is named by the document itself."""
    if code in names:
        return names[code]
    ref = doc.regulation
    return ref.region_name if ref and ref.region_code == code and ref.region_name else code


def documents_frame(documents: list[DocumentMeta], names: dict[str, str]) -> pd.DataFrame:
    rows = [
        {
            t("col.title"): doc.title,
            t("col.type"): t(f"doc_type.{doc.doc_type}"),
            t("col.cities"): ", ".join(region_name(doc, code, names) for code in doc.cities),
            t("col.year"): doc.year,
            t("col.language"): t(f"language.{doc.language}"),
            t("col.passages"): doc.passage_count,
            t("col.pages"): doc.page_count,
            t("col.id"): doc.doc_id,
        }
        for doc in documents
    ]
    return pd.DataFrame(rows)


def documents_html(frame: pd.DataFrame) -> str:
    """The documents as a table whose cells wrap: a long title is read whole, never cut at the column edge."""
    title = t("col.title")
    head = "".join(f"<th>{safe_html(str(c))}</th>" for c in frame.columns)
    rows = []
    for _, row in frame.iterrows():
        cells = []
        for column in frame.columns:
            value = row[column]
            text = "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)
            if column == t("col.year") and text.endswith(".0"):
                text = text[:-2]
            css = ' class="bk-title"' if column == title else ""
            cells.append(f"<td{css}>{safe_html(text)}</td>")
        rows.append(f"<tr>{''.join(cells)}</tr>")
    return f'<table class="bk-docs"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'


def show_documents(client: ApiClient, names: dict[str, str], official: dict[str, str]) -> list[DocumentMeta]:
    """The filters (cities labelled with their counts) and the documents (cities by their names)."""
    st.subheader(t("library.documents"))
    seed_from_url("library", {
        "lib_city": ("city", lambda raw: raw if raw in names else None),
        "lib_type": ("type", lambda raw: raw if raw in DOC_TYPES else None),
        "lib_year": ("year", parse_int),
        "lib_language": ("language", lambda raw: raw if raw in ("id", "en") else None),
    })
    city_col, type_col, year_col, lang_col = st.columns(4)
    city_labels = {ANY: t("any"), **names}
    type_labels = option_labels([ANY, *DOC_TYPES], "doc_type.")
    language_labels = option_labels([ANY, "id", "en"], "language.")
    city = city_col.selectbox(t("library.filter_city"), list(city_labels), key="lib_city",
                              format_func=city_labels.__getitem__)
    doc_type = type_col.selectbox(t("library.filter_type"), list(type_labels), key="lib_type",
                                  format_func=type_labels.__getitem__)
    year = year_col.number_input(t("library.filter_year"), min_value=1945, max_value=2100, value=None, step=1,
                                 key="lib_year")
    language = lang_col.selectbox(t("library.filter_language"), list(language_labels), key="lib_language",
                                  format_func=language_labels.__getitem__)
    keep_in_url(city=city, type=doc_type, year=year, language=language)
    documents = call_api(lambda: client.documents(city=city, doc_type=doc_type, year=year, language=language))
    if documents is None:
        return []
    if not documents:
        st.info(t("library.empty"))
        return []
    st.caption(t("library.count", n=len(documents)))
    html_block(documents_html(documents_frame(documents, official)))
    return documents


def wait_for_job(client: ApiClient, job_id: str, filename: str) -> Job | None:
    """Poll the ingestion job with a progress bar until it is done or failed (or the wait limit passes)."""
    progress = st.progress(0.0, text=t("library.job_status", filename=filename, status=t("job.queued")))
    deadline = time.monotonic() + JOB_WAIT_S
    while time.monotonic() < deadline:
        job = client.job(job_id)
        status = job.status
        progress.progress(JOB_PROGRESS.get(status, 0.3),
                          text=t("library.job_status", filename=filename, status=t(f"job.{status}")))
        if status in ("done", "failed"):
            return job
        time.sleep(POLL_INTERVAL_S)
    st.warning(t("library.job_slow", seconds=JOB_WAIT_S))
    return None


def outcome_text(job: Job, filename: str) -> tuple[str, bool]:
    """What happened to one file, in words, and whether it failed."""
    outcome = job.outcome
    status = outcome.status if outcome else ("failed" if job.status == "failed" else "added")
    error = (outcome.error if outcome else None) or job.message
    text = t(f"outcome.{status}", filename=escape_markdown(filename), passages=outcome.passages if outcome else 0,
             pages=outcome.pages if outcome else 0, seconds=outcome.seconds if outcome else 0.0,
             error=escape_markdown(error))
    return text, status == "failed"


def show_outcomes(outcomes: list[tuple[str, bool]]) -> None:
    st.markdown(f"**{t('library.upload_summary')}**")
    for text, failed in outcomes:
        if failed:
            st.error(text)
        else:
            st.success(text)


def upload_one(client: ApiClient, name: str, data: bytes, media_type: str) -> tuple[str, bool] | None:
    try:
        queued = client.upload(name, data, media_type)
        job = wait_for_job(client, queued.job_id, name)
    except (ApiUnreachable, ApiError) as error:
        show_api_error(error)
        return (t("outcome.failed", filename=escape_markdown(name), error=escape_markdown(error.message
                if isinstance(error, ApiError) else error.reason)), True)
    return outcome_text(job, name) if job is not None else None


def upload_section(client: ApiClient) -> None:
    st.subheader(t("library.upload"))
    html_block(uploader_css(t("library.upload_drop"), t("library.upload_limit"), t("library.upload_browse")))
    with st.form("upload_form", clear_on_submit=True):
        uploaded = st.file_uploader(t("library.upload_label"), type=UPLOAD_TYPES, key="lib_upload",
                                    accept_multiple_files=True, help=t("library.upload_help"))
        submitted = st.form_submit_button(t("library.upload_submit"), type="primary")
    if not submitted:
        return
    if not uploaded:
        st.warning(t("library.upload_pick"))
        return
    outcomes = []
    for file in uploaded:
        result = upload_one(client, file.name, file.getvalue(), file.type or "application/octet-stream")
        if result is not None:
            outcomes.append(result)
    cached_regions.clear()
    st.session_state["lib_outcomes"] = outcomes
    st.rerun()


def delete_section(client: ApiClient, documents: list[DocumentMeta]) -> None:
    if not documents:
        return
    st.subheader(t("library.delete"))
    titles = {doc.doc_id: doc.title for doc in documents}
    with st.form("delete_form", clear_on_submit=True):
        doc_id = st.selectbox(t("library.delete_pick"), list(titles), format_func=lambda d: titles[d],
                              key="lib_delete_doc")
        confirmed = st.checkbox(t("library.delete_confirm"), key="lib_delete_confirm")
        submitted = st.form_submit_button(t("library.delete_submit"))
    if not submitted:
        return
    if not confirmed:
        st.warning(t("library.delete_need_confirm"))
        return
    if call_api(lambda: client.delete_document(doc_id)):
        cached_regions.clear()
        st.session_state["lib_deleted"] = titles[doc_id]
        st.rerun()


def main() -> None:
    st.title(t("library.title"))
    client = session_client()
    deleted = st.session_state.pop("lib_deleted", None)
    if deleted:
        st.success(t("library.deleted", title=escape_markdown(deleted)))
    outcomes = st.session_state.pop("lib_outcomes", None)
    if outcomes:
        show_outcomes(outcomes)
    regions = call_api(lambda: cached_regions(client.base_url))
    if regions is None:
        return
    show_statistics(client, regions)
    documents = show_documents(client, region_choices(regions), {r.code: r.official for r, _d, _p in regions})
    upload_section(client)
    delete_section(client, documents)


main()
