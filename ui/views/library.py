"""Library page: corpus statistics, the documents table with filters, upload (with job progress) and delete."""

from __future__ import annotations

import time
from typing import Any

import pandas as pd
import streamlit as st

from core.types import DocType, DocumentMeta, Region
from ui.client import ApiClient, ApiError, ApiUnreachable
from ui.i18n import option_labels, t
from ui.render import cached_regions, call_api, escape_markdown, session_client, show_api_error

DOC_TYPES: tuple[DocType, ...] = ("regulation", "paper", "plan", "report", "other")
UPLOAD_TYPES = ["pdf", "docx", "txt", "md", "markdown", "html", "htm"]
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
    cols[0].metric(t("library.documents"), health.get("documents", 0))
    cols[1].metric(t("library.passages"), health.get("passages", 0))
    cols[2].metric(t("library.cities"), len(regions))
    flags = [
        f"{t('library.model')}: {escape_markdown(str(health.get('embedding_model', '')))}",
        f"{t('library.store')}: {health.get('store', '')}",
        f"{t('library.ocr')}: {t('library.yes') if health.get('ocr_available') else t('library.no')}",
        f"{t('library.llm')}: {t('library.yes') if health.get('llm_configured') else t('library.no')}",
    ]
    st.caption(" · ".join(flags))
    if regions:
        with st.expander(t("library.city_table")):
            frame = pd.DataFrame([{t("col.cities"): r.official, t("library.documents"): docs,
                                   t("library.passages"): passages} for r, docs, passages in regions])
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


def show_documents(client: ApiClient, names: dict[str, str]) -> list[DocumentMeta]:
    st.subheader(t("library.documents"))
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
    documents = call_api(lambda: client.documents(city=city, doc_type=doc_type, year=year, language=language))
    if documents is None:
        return []
    if not documents:
        st.info(t("library.empty"))
        return []
    st.caption(t("library.count", n=len(documents)))
    st.dataframe(documents_frame(documents, names), hide_index=True,
                 column_config={t("col.year"): st.column_config.NumberColumn(format="%d")})
    return documents


def wait_for_job(client: ApiClient, job_id: str, filename: str) -> dict[str, Any] | None:
    """Poll the ingestion job with a progress bar until it is done or failed (or the wait limit passes)."""
    progress = st.progress(0.0, text=t("library.job_status", filename=filename, status=t("job.queued")))
    deadline = time.monotonic() + JOB_WAIT_S
    while time.monotonic() < deadline:
        job = client.job(job_id)
        status = str(job.get("status", "queued"))
        progress.progress(JOB_PROGRESS.get(status, 0.3),
                          text=t("library.job_status", filename=filename, status=t(f"job.{status}")))
        if status in ("done", "failed"):
            return job
        time.sleep(POLL_INTERVAL_S)
    st.warning(t("library.job_slow", seconds=JOB_WAIT_S))
    return None


def show_outcome(job: dict[str, Any], filename: str) -> None:
    outcome = job.get("outcome") or {}
    status = outcome.get("status") or ("failed" if job.get("status") == "failed" else "added")
    error = outcome.get("error") or job.get("message") or ""
    text = t(f"outcome.{status}", filename=escape_markdown(filename), passages=outcome.get("passages", 0),
             pages=outcome.get("pages", 0), seconds=float(outcome.get("seconds") or 0.0),
             error=escape_markdown(str(error)))
    if status == "failed":
        st.error(text)
    else:
        st.success(text)


def upload_section(client: ApiClient) -> None:
    st.subheader(t("library.upload"))
    with st.form("upload_form", clear_on_submit=True):
        uploaded = st.file_uploader(t("library.upload_help"), type=UPLOAD_TYPES, key="lib_upload")
        submitted = st.form_submit_button(t("library.upload_submit"), type="primary")
    if not submitted:
        return
    if uploaded is None:
        st.warning(t("library.upload_pick"))
        return
    try:
        queued = client.upload(uploaded.name, uploaded.getvalue(), uploaded.type or "application/octet-stream")
        job = wait_for_job(client, str(queued["job_id"]), uploaded.name)
    except (ApiUnreachable, ApiError) as error:
        show_api_error(error)
        return
    if job is not None:
        cached_regions.clear()
        st.session_state["lib_outcome"] = (job, uploaded.name)
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
    outcome = st.session_state.pop("lib_outcome", None)
    if outcome:
        show_outcome(*outcome)
    regions = call_api(lambda: cached_regions(client.base_url))
    if regions is None:
        return
    show_statistics(client, regions)
    names = {r.code: r.official for r, _docs, _passages in regions}
    documents = show_documents(client, names)
    upload_section(client)
    delete_section(client, documents)


main()
