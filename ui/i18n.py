"""Interface strings in Indonesian and English; every label the web app shows goes through here.

``translate`` is pure (testable without Streamlit); ``t`` reads the language chosen in the sidebar.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Literal

import streamlit as st

logger = logging.getLogger(__name__)

UiLanguage = Literal["id", "en"]
LANGUAGES: tuple[UiLanguage, ...] = ("id", "en")
DEFAULT_LANGUAGE: UiLanguage = "id"
LANGUAGE_KEY = "ui_language"

STRINGS: dict[str, dict[UiLanguage, str]] = {
    # shell
    "app.title": {"id": "Banding Kota", "en": "Banding Kota"},
    "app.tagline": {
        "id": "Bandingkan kebijakan kota-kota Indonesia, dengan sumber.",
        "en": "Compare Indonesian cities' policies, with sources.",
    },
    "lang.label": {"id": "Bahasa antarmuka", "en": "Interface language"},
    "lang.id": {"id": "Bahasa Indonesia", "en": "Bahasa Indonesia"},
    "lang.en": {"id": "English", "en": "English"},
    "page.compare": {"id": "Bandingkan", "en": "Compare"},
    "page.ask": {"id": "Tanya", "en": "Ask"},
    "page.library": {"id": "Pustaka", "en": "Library"},
    "api.connected": {"id": "API tersambung: {documents} dokumen, {passages} bagian", "en":
                      "API connected: {documents} documents, {passages} passages"},
    "api.unreachable": {
        "id": "API tidak dapat dihubungi di {url}.",
        "en": "The API cannot be reached at {url}.",
    },
    "api.unreachable_hint": {
        "id": "Jalankan `bash scripts/run.sh`, atau periksa alamat API di BK_UI__API_URL.",
        "en": "Start it with `bash scripts/run.sh`, or check the API address in BK_UI__API_URL.",
    },
    "api.error": {"id": "Permintaan gagal ({code}): {message}", "en": "The request failed ({code}): {message}"},
    "api.timeout": {
        "id": "API tidak menjawab dalam {seconds:.0f} detik. Coba lagi, atau persempit pertanyaan.",
        "en": "The API did not answer within {seconds:.0f} s. Try again, or narrow the question.",
    },
    "api.hint": {"id": "Saran: {hint}", "en": "Hint: {hint}"},
    # shared
    "working": {"id": "Sedang bekerja…", "en": "Working…"},
    "sources": {"id": "Sumber", "en": "Sources"},
    "open_source": {"id": "Buka sumber di halaman {page}", "en": "Open source at page {page}"},
    "page_n": {"id": "hlm. {page}", "en": "p. {page}"},
    "section": {"id": "Bagian", "en": "Section"},
    "ocr_note": {"id": "Teks hasil OCR (keyakinan {confidence:.0f}%)", "en": "OCR text (confidence {confidence:.0f}%)"},
    "any": {"id": "Semua", "en": "Any"},
    "none": {"id": "—", "en": "—"},
    "doc_type.paper": {"id": "Makalah", "en": "Paper"},
    "doc_type.regulation": {"id": "Peraturan", "en": "Regulation"},
    "doc_type.plan": {"id": "Rencana", "en": "Plan"},
    "doc_type.report": {"id": "Laporan", "en": "Report"},
    "doc_type.other": {"id": "Lainnya", "en": "Other"},
    "language.id": {"id": "Indonesia", "en": "Indonesian"},
    "language.en": {"id": "Inggris", "en": "English"},
    # compare
    "compare.title": {"id": "Bandingkan kota", "en": "Compare cities"},
    "compare.intro": {
        "id": "Pilih 2–4 kota dan satu topik. Setiap jawaban menunjuk ke kutipan persis di dokumen sumber.",
        "en": "Choose 2–4 cities and a topic. Every answer points at the exact quote in a source document.",
    },
    "compare.cities": {"id": "Kota", "en": "Cities"},
    "compare.cities_help": {"id": "Pilih 2 sampai 4 kota.", "en": "Choose 2 to 4 cities."},
    "compare.topic_mode": {"id": "Topik", "en": "Topic"},
    "compare.mode_aspect": {"id": "Aspek matriks regulasi", "en": "Regulation-matrix aspect"},
    "compare.mode_free": {"id": "Pertanyaan bebas", "en": "Free question"},
    "compare.aspect": {"id": "Aspek", "en": "Aspect"},
    "compare.question": {"id": "Pertanyaan", "en": "Question"},
    "compare.question_placeholder": {
        "id": "Misalnya: Bagaimana kota mengatur keamanan informasi?",
        "en": "For example: How do the cities regulate information security?",
    },
    "compare.submit": {"id": "Bandingkan", "en": "Compare"},
    "compare.need_cities": {"id": "Pilih 2 sampai 4 kota.", "en": "Choose between 2 and 4 cities."},
    "compare.need_topic": {"id": "Tulis topik atau pertanyaan.", "en": "Write a topic or a question."},
    "compare.answers": {"id": "Jawaban per kota", "en": "Answers by city"},
    "compare.no_evidence": {
        "id": "Korpus tidak memuat bukti tentang topik ini untuk {city}.",
        "en": "The corpus holds no evidence on this topic for {city}.",
    },
    "compare.evidence": {"id": "Bukti", "en": "Evidence"},
    "compare.matrix": {"id": "Matriks regulasi", "en": "Regulation matrix"},
    "compare.matrix_empty": {
        "id": "Tidak ada instrumen hukum yang ditemukan untuk aspek-aspek ini.",
        "en": "No legal instruments were found for these aspects.",
    },
    "compare.matrix_rest": {
        "id": "Tanpa instrumen di kota mana pun: {aspects}.",
        "en": "No instrument in any of these cities: {aspects}.",
    },
    "compare.matrix_evidence": {"id": "Bukti untuk matriks", "en": "Evidence for the matrix"},
    "compare.matrix_aspect": {"id": "Aspek", "en": "Aspect"},
    "compare.targets": {"id": "Target rencana", "en": "Plan targets"},
    "compare.targets_caption": {
        "id": "Indikator × kota × tahun dari tabel target dokumen rencana; [n] menunjuk kutipannya.",
        "en": "Indicator × city × year from the plans' target tables; [n] points to its quote.",
    },
    "compare.targets_evidence": {"id": "Bukti untuk target", "en": "Evidence for the targets"},
    "compare.indicator": {"id": "Indikator", "en": "Indicator"},
    "compare.timeline": {"id": "Lini masa regulasi", "en": "Regulation timeline"},
    "compare.timeline_empty": {
        "id": "Belum ada regulasi bertahun untuk kota-kota ini.",
        "en": "No dated regulations for these cities yet.",
    },
    "compare.year": {"id": "Tahun", "en": "Year"},
    "compare.city": {"id": "Kota", "en": "City"},
    "compare.regulation": {"id": "Regulasi", "en": "Regulation"},
    "compare.no_cities": {
        "id": "Belum ada kota di korpus. Tambahkan dokumen di halaman Pustaka.",
        "en": "The corpus has no cities yet. Add documents on the Library page.",
    },
    # ask
    "ask.title": {"id": "Tanya korpus", "en": "Ask the corpus"},
    "ask.question": {"id": "Pertanyaan", "en": "Question"},
    "ask.placeholder": {
        "id": "Misalnya: Peraturan apa yang mengatur SPBE di Balikpapan?",
        "en": "For example: Which regulation governs SPBE in Balikpapan?",
    },
    "ask.city": {"id": "Kota", "en": "City"},
    "ask.doc_type": {"id": "Jenis dokumen", "en": "Document type"},
    "ask.year_from": {"id": "Dari tahun", "en": "From year"},
    "ask.year_to": {"id": "Sampai tahun", "en": "To year"},
    "ask.filters": {"id": "Saring", "en": "Filters"},
    "ask.submit": {"id": "Tanya", "en": "Ask"},
    "ask.need_question": {"id": "Tulis pertanyaan.", "en": "Write a question."},
    "ask.answer": {"id": "Jawaban", "en": "Answer"},
    "ask.not_covered": {
        "id": "Korpus tidak memuat bukti yang cukup untuk menjawab pertanyaan ini.",
        "en": "The corpus holds no sufficient evidence to answer this question.",
    },
    "ask.searched": {"id": "Yang dicari: {searched}", "en": "What was searched: {searched}"},
    "ask.nearest": {"id": "Dokumen terdekat", "en": "Nearest documents"},
    "ask.notes": {"id": "Catatan", "en": "Notes"},
    "ask.dropped": {
        "id": "Kalimat tanpa dukungan sumber yang dihapus",
        "en": "Sentences removed for lack of support",
    },
    "ask.engine": {"id": "Mesin jawaban: {engine}", "en": "Answer engine: {engine}"},
    "ask.context_failed": {
        "id": "Konteks tidak dapat dimuat: {message}",
        "en": "Context could not be loaded: {message}",
    },
    # library
    "library.title": {"id": "Pustaka dokumen", "en": "Document library"},
    "library.stats": {"id": "Statistik korpus", "en": "Corpus statistics"},
    "library.documents": {"id": "Dokumen", "en": "Documents"},
    "library.passages": {"id": "Bagian teks", "en": "Passages"},
    "library.cities": {"id": "Kota", "en": "Cities"},
    "library.model": {"id": "Model embedding", "en": "Embedding model"},
    "library.store": {"id": "Penyimpanan", "en": "Store"},
    "library.ocr": {"id": "OCR", "en": "OCR"},
    "library.llm": {"id": "LLM", "en": "LLM"},
    "library.yes": {"id": "tersedia", "en": "available"},
    "library.no": {"id": "tidak tersedia", "en": "not available"},
    "library.city_table": {"id": "Dokumen per kota", "en": "Documents per city"},
    "library.filter_city": {"id": "Kota", "en": "City"},
    "library.filter_type": {"id": "Jenis", "en": "Type"},
    "library.filter_year": {"id": "Tahun", "en": "Year"},
    "library.filter_language": {"id": "Bahasa", "en": "Language"},
    "library.count": {"id": "{n} dokumen", "en": "{n} documents"},
    "library.empty": {"id": "Tidak ada dokumen yang cocok.", "en": "No documents match."},
    "col.title": {"id": "Judul", "en": "Title"},
    "col.type": {"id": "Jenis", "en": "Type"},
    "col.cities": {"id": "Kota", "en": "Cities"},
    "col.year": {"id": "Tahun", "en": "Year"},
    "col.language": {"id": "Bahasa", "en": "Language"},
    "col.passages": {"id": "Bagian", "en": "Passages"},
    "col.pages": {"id": "Halaman", "en": "Pages"},
    "col.id": {"id": "ID", "en": "ID"},
    "library.upload": {"id": "Tambah dokumen", "en": "Add a document"},
    "library.upload_help": {
        "id": "PDF (teks atau pindaian), DOCX, TXT, MD atau HTML.",
        "en": "PDF (text or scanned), DOCX, TXT, MD or HTML.",
    },
    "library.upload_submit": {"id": "Unggah dan proses", "en": "Upload and ingest"},
    "library.upload_pick": {"id": "Pilih berkas dulu.", "en": "Choose a file first."},
    "library.job_status": {"id": "{filename}: {status}", "en": "{filename}: {status}"},
    "job.queued": {"id": "menunggu antrean", "en": "queued"},
    "job.running": {"id": "sedang diproses", "en": "processing"},
    "job.done": {"id": "selesai", "en": "done"},
    "job.failed": {"id": "gagal", "en": "failed"},
    "library.job_slow": {
        "id": "Pemrosesan masih berjalan setelah {seconds:.0f} detik; periksa pustaka lagi nanti.",
        "en": "Processing is still running after {seconds:.0f} s; check the library again later.",
    },
    "outcome.added": {
        "id": "{filename} ditambahkan: {passages} bagian dari {pages} halaman ({seconds:.1f} detik).",
        "en": "{filename} added: {passages} passages from {pages} pages ({seconds:.1f} s).",
    },
    "outcome.replaced": {
        "id": "{filename} diperbarui: {passages} bagian dari {pages} halaman ({seconds:.1f} detik).",
        "en": "{filename} replaced: {passages} passages from {pages} pages ({seconds:.1f} s).",
    },
    "outcome.unchanged": {
        "id": "{filename} sudah ada di pustaka; tidak ada yang berubah.",
        "en": "{filename} is already in the library; nothing changed.",
    },
    "outcome.failed": {
        "id": "{filename} tidak dapat diproses: {error}",
        "en": "{filename} could not be ingested: {error}",
    },
    "library.delete": {"id": "Hapus dokumen", "en": "Delete a document"},
    "library.delete_pick": {"id": "Dokumen", "en": "Document"},
    "library.delete_confirm": {
        "id": "Saya paham: bagian teks, indeks dan berkasnya ikut terhapus.",
        "en": "I understand: its passages, index entries and stored file are removed too.",
    },
    "library.delete_submit": {"id": "Hapus", "en": "Delete"},
    "library.delete_need_confirm": {"id": "Centang konfirmasi dulu.", "en": "Tick the confirmation first."},
    "library.deleted": {"id": "Dihapus: {title}", "en": "Deleted: {title}"},
}


def translate(key: str, lang: UiLanguage, /, **values: object) -> str:
    """The string for ``key`` in ``lang``, formatted with ``values``; an unknown key shows itself, not a crash."""
    entry = STRINGS.get(key)
    if entry is None:
        logger.warning("missing UI string %r", key)
        return key
    template = entry.get(lang) or entry[DEFAULT_LANGUAGE]
    return template.format(**values) if values else template


def current_language() -> UiLanguage:
    lang = st.session_state.get(LANGUAGE_KEY, DEFAULT_LANGUAGE)
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def t(key: str, /, **values: object) -> str:
    return translate(key, current_language(), **values)


def option_labels(options: Iterable[str], prefix: str, *, blank: str = "any") -> dict[str, str]:
    """Widget option labels computed now, in the session's language. Streamlit may call ``format_func`` outside
    the script run, where session state (hence the language) cannot be read, so it must be a plain lookup."""
    return {option: t(f"{prefix}{option}") if option else t(blank) for option in options}
