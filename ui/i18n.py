"""Interface strings in Indonesian and English; every label the web app shows goes through here.

``translate`` is pure (testable without Streamlit); ``t`` reads the language chosen in the sidebar.
"""

from __future__ import annotations

import logging
import re
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
    "page.source": {"id": "Sumber", "en": "Source"},
    "page.regulation": {"id": "Regulasi", "en": "Regulations"},
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
    "api.bad_response": {"id": "Jawaban API tidak dapat dibaca aplikasi ini; periksa versi API dan aplikasi.",
                         "en": "This app cannot read the API's answer; check that the API and app versions match."},
    "api.http_error": {"id": "API menjawab dengan galat HTTP {status}.",
                       "en": "The API answered with HTTP error {status}."},
    # shared
    "working": {"id": "Sedang bekerja…", "en": "Working…"},
    "sources": {"id": "Sumber", "en": "Sources"},
    "open_source": {"id": "Buka sumber di halaman {page}", "en": "Open source at page {page}"},
    "page_n": {"id": "hlm. {page}", "en": "p. {page}"},
    "section": {"id": "Bagian", "en": "Section"},
    "acronyms_note": {"id": "Singkatan menurut dokumen: {acronyms}", "en": "Acronyms as the document defines them: "
                      "{acronyms}"},
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
        "en": "The corpus does not hold enough evidence to answer this question.",
    },
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
    "library.cities_with_documents": {"id": "Kota dengan dokumen", "en": "Cities with documents"},
    "library.upload_label": {"id": "Berkas untuk ditambahkan", "en": "Files to add"},
    "library.upload_drop": {"id": "Seret dan lepas berkas di sini", "en": "Drag and drop files here"},
    "library.upload_limit": {"id": "PDF, DOCX, TXT, MD atau HTML", "en": "PDF, DOCX, TXT, MD or HTML"},
    "library.upload_browse": {"id": "Pilih berkas", "en": "Browse files"},
    "library.upload_summary": {"id": "Hasil unggahan", "en": "Upload results"},
    "library.open_source": {"id": "Buka", "en": "Open"},
    "library.open_regulation": {"id": "Regulasi", "en": "Regulation"},
    # the comparison matrix's standard aspects (api/engine/aspects.py names them in English)
    "aspect.SPBE": {"id": "SPBE", "en": "SPBE"},
    "aspect.One Data / Satu Data": {"id": "Satu Data", "en": "One Data"},
    "aspect.Information security": {"id": "Keamanan informasi", "en": "Information security"},
    "aspect.Smart city masterplan": {"id": "Rencana induk kota cerdas", "en": "Smart city masterplan"},
    "aspect.RPJMD": {"id": "RPJMD", "en": "RPJMD"},
    "aspect.Budget": {"id": "Anggaran", "en": "Budget"},
    "aspect.Human resources": {"id": "Sumber daya manusia", "en": "Human resources"},
    "aspect.Public participation": {"id": "Partisipasi publik", "en": "Public participation"},
    "aspect.Institutions": {"id": "Kelembagaan", "en": "Institutions"},
    "engine.extractive": {"id": "ekstraktif (kutipan langsung)", "en": "extractive (direct quotes)"},
    "engine.generative": {"id": "generatif (model bahasa, diperiksa terhadap kutipan)",
                          "en": "generative (language model, checked against its citations)"},
    "store.embedded": {"id": "tertanam", "en": "embedded"},
    "store.server": {"id": "server Chroma", "en": "Chroma server"},
    # pickers (Streamlit's own placeholders are English)
    "picker.choose_one": {"id": "Pilih satu", "en": "Choose one"},
    "picker.choose_many": {"id": "Pilih kota", "en": "Choose cities"},
    "picker.no_match": {"id": "Tidak ada yang cocok", "en": "No match"},
    "picker.city_docs": {"id": "{name} · {n} dokumen", "en": "{name} · {n} documents"},
    "picker.city_docs_one": {"id": "{name} · {n} dokumen", "en": "{name} · {n} document"},
    "picker.city_help": {
        "id": "Kota yang memiliki dokumen di korpus tampil lebih dulu, dengan jumlahnya; ketik untuk mencari "
              "kabupaten/kota lain.",
        "en": "Cities with documents in the corpus come first, with their counts; type to search any other "
              "regency or city.",
    },
    "compare.aspect_help": {
        "id": "Aspek dari registri regulasi: kolom matriks dan jawaban per kota membahas aspek ini.",
        "en": "An aspect from the regulation registry: the matrix and the per-city answers cover it.",
    },
    "compare.question_help": {
        "id": "Pertanyaan ini dijawab untuk setiap kota; matriks memakai aspek yang disebut di dalamnya.",
        "en": "This question is answered for each city; the matrix uses the aspects it names.",
    },
    "compare.already_cited": {
        "id": "Penanda lainnya di matriks merujuk ke kutipan yang sudah tercantum di jawaban per kota di atas.",
        "en": "The matrix's other markers point at quotes already listed under the city answers above.",
    },
    "compare.share": {"id": "Tautan ke tampilan ini", "en": "Link to this view"},
    # exports
    "export.title": {"id": "Ekspor", "en": "Export"},
    "export.markdown": {"id": "Unduh Markdown", "en": "Download Markdown"},
    "export.csv": {"id": "Unduh CSV", "en": "Download CSV"},
    "export.docx": {"id": "Unduh DOCX", "en": "Download DOCX"},
    "export.comparison_title": {"id": "Perbandingan: {topic}", "en": "Comparison: {topic}"},
    "export.answer_title": {"id": "Pertanyaan: {question}", "en": "Question: {question}"},
    "export.citations": {"id": "Kutipan", "en": "Citations"},
    "export.kind": {"id": "Jenis", "en": "Kind"},
    "export.kind_answer": {"id": "jawaban", "en": "answer"},
    "export.kind_matrix": {"id": "matriks", "en": "matrix"},
    "export.kind_citation": {"id": "kutipan", "en": "citation"},
    "export.text": {"id": "Teks", "en": "Text"},
    "export.marker": {"id": "Penanda", "en": "Marker"},
    "export.label": {"id": "Rujukan", "en": "Reference"},
    "export.quote": {"id": "Kutipan", "en": "Quote"},
    "export.generated": {"id": "Dibuat oleh Banding Kota dari korpus pada {date}.",
                         "en": "Made by Banding Kota from the corpus on {date}."},
    # source viewer
    "source.title": {"id": "Sumber", "en": "Source"},
    "source.pick_document": {"id": "Dokumen", "en": "Document"},
    "source.pick_passage": {"id": "Bagian", "en": "Passage"},
    "source.none": {"id": "Pilih dokumen untuk dibaca, atau buka kutipan dari halaman Bandingkan atau Tanya.",
                    "en": "Choose a document to read, or open a citation from the Compare or Ask page."},
    "source.previous": {"id": "← Bagian sebelumnya", "en": "← Previous passage"},
    "source.next": {"id": "Bagian berikutnya →", "en": "Next passage →"},
    "source.open_file": {"id": "Buka berkas asli, hlm. {page}", "en": "Open the original file, p. {page}"},
    "source.download_file": {"id": "Unduh berkas asli", "en": "Download the original file"},
    "source.page_of": {"id": "Halaman {page} dari {pages}", "en": "Page {page} of {pages}"},
    "source.page_pick": {"id": "Halaman", "en": "Page"},
    "source.highlighted": {"id": "Kutipan ditandai kuning di halaman ini.",
                           "en": "The quote is highlighted in yellow on this page."},
    "source.not_highlighted": {
        "id": "Lapisan teks halaman ini tidak memuat kutipan persisnya; kutipan ditandai pada teks di sebelah.",
        "en": "This page's text layer does not hold the exact quote; it is marked in the text beside it.",
    },
    "source.text": {"id": "Teks bersih", "en": "Clean text"},
    "source.scan": {"id": "Halaman pindaian, dibaca dengan OCR.", "en": "A scanned page, read by OCR."},
    "source.regulation_link": {"id": "Lihat halaman regulasi", "en": "Open the regulation page"},
    "source.open_viewer": {"id": "Lihat di sumber", "en": "Show in source"},
    "source.section": {"id": "Letak", "en": "Location"},
    # regulation page
    "reg.title": {"id": "Regulasi", "en": "Regulations"},
    "reg.pick": {"id": "Instrumen", "en": "Instrument"},
    "reg.pick_help": {"id": "Semua instrumen di registri; ketik untuk mencari.",
                      "en": "Every instrument in the registry; type to search."},
    "reg.none": {"id": "Registri belum memuat regulasi.", "en": "The registry holds no regulations yet."},
    "reg.identity": {"id": "Identitas", "en": "Identity"},
    "reg.instrument": {"id": "Jenis", "en": "Type"},
    "reg.number": {"id": "Nomor", "en": "Number"},
    "reg.year": {"id": "Tahun", "en": "Year"},
    "reg.region": {"id": "Daerah", "en": "Region"},
    "reg.subject": {"id": "Tentang", "en": "Subject"},
    "reg.key": {"id": "Kunci registri", "en": "Registry key"},
    "reg.national": {"id": "Nasional", "en": "National"},
    "reg.in_corpus": {"id": "Teksnya ada di korpus.", "en": "Its text is in the corpus."},
    "reg.not_in_corpus": {"id": "Hanya disebut di korpus; teksnya sendiri tidak ada.",
                          "en": "Only mentioned in the corpus; its own text is not there."},
    "reg.amended_warning": {"id": "Regulasi ini telah diubah oleh: {by}.",
                            "en": "This regulation is amended by: {by}."},
    "reg.revoked_warning": {"id": "Regulasi ini dicabut oleh: {by}.", "en": "This regulation is revoked by: {by}."},
    "reg.outline": {"id": "Kerangka (BAB → Pasal)", "en": "Outline (BAB → Pasal)"},
    "reg.outline_empty": {"id": "Tidak ada kerangka: teks regulasi ini tidak ada di korpus.",
                          "en": "No outline: this regulation's text is not in the corpus."},
    "reg.relations": {"id": "Hubungan", "en": "Relations"},
    "reg.relations_empty": {"id": "Tidak ada hubungan yang tercatat.", "en": "No relations recorded."},
    "reg.out": {"id": "Regulasi ini …", "en": "This regulation …"},
    "reg.in": {"id": "… terhadap regulasi ini", "en": "… this regulation"},
    "rel.out.amends": {"id": "mengubah", "en": "amends"},
    "rel.out.revokes": {"id": "mencabut", "en": "revokes"},
    "rel.out.cites": {"id": "merujuk", "en": "cites"},
    "rel.in.amends": {"id": "diubah oleh", "en": "is amended by"},
    "rel.in.revokes": {"id": "dicabut oleh", "en": "is revoked by"},
    "rel.in.cites": {"id": "dirujuk oleh", "en": "is cited by"},
    "reg.changes": {"id": "Pasal yang diubah regulasi ini", "en": "Articles this regulation changes"},
    "reg.changed": {"id": "Pasal regulasi ini yang diubah", "en": "Articles of this regulation changed"},
    "reg.change_head": {"id": "{unit} {action} oleh {by}", "en": "{unit} {action} by {by}"},
    "reg.change_made": {"id": "{unit} {target}: {action}", "en": "{unit} of {target}: {action}"},
    "reg.side_empty": {"id": "Tidak ada.", "en": "None."},
    "action.diubah": {"id": "diubah", "en": "amended"},
    "action.disisipkan": {"id": "disisipkan", "en": "inserted"},
    "action.dihapus": {"id": "dihapus", "en": "deleted"},
    "reg.directive": {"id": "Perintah perubahan", "en": "Amending directive"},
    "reg.old_wording": {"id": "Bunyi lama", "en": "Former wording"},
    "reg.new_wording": {"id": "Bunyi baru", "en": "New wording"},
    "reg.wording_missing": {"id": "Tidak ada di korpus.", "en": "Not in the corpus."},
    "reg.mentions": {"id": "Bagian teks yang menyebutnya ({n})", "en": "Passages that mention it ({n})"},
    "reg.mentions_empty": {"id": "Tidak ada bagian teks yang menyebutnya.", "en": "No passage mentions it."},
    "reg.mention_row": {"id": "{title}, hlm. {page}", "en": "{title}, p. {page}"},
    "reg.open": {"id": "Buka halaman regulasi", "en": "Open the regulation page"},
    "reg.graph": {"id": "Grafik hubungan", "en": "Relation graph"},
}

# The API's citation labels end in "p. 9" and may add "(OCR, confidence 88%)" (core.citation_labels.citation_label);
# the interface says them in its own language.
_PAGE_IN_LABEL = re.compile(r"(?<![\w.])p\. (\d+)")
_OCR_IN_LABEL = re.compile(r"\(OCR, confidence (\d+)%\)")


def localize_label(label: str, lang: UiLanguage) -> str:
    """A citation label with its page and OCR note in ``lang``."""
    if lang == "en":
        return label
    label = _PAGE_IN_LABEL.sub(lambda m: translate("page_n", lang, page=m.group(1)), label)
    return _OCR_IN_LABEL.sub(lambda m: f"(OCR, keyakinan {m.group(1)}%)", label)


def aspect_name(aspect: str, lang: UiLanguage) -> str:
    """A standard aspect in ``lang``; a user's own topic as written."""
    return translate(f"aspect.{aspect}", lang) if f"aspect.{aspect}" in STRINGS else aspect


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
