"""Every user-facing sentence the API writes (refusals, what was searched, a city without evidence, the error
envelope's messages), in Indonesian and English.

The language comes from the request: a ``lang`` field in the body wins, then the ``Accept-Language`` header, then
English (the API's language before it spoke two, so existing clients see no change).
"""

from __future__ import annotations

import logging
import re
from typing import Literal

logger = logging.getLogger(__name__)

Lang = Literal["id", "en"]
LANGS: tuple[Lang, ...] = ("id", "en")
DEFAULT_LANG: Lang = "en"

MESSAGES: dict[str, dict[Lang, str]] = {
    # answers
    "answer.not_covered": {
        "id": "Korpus tidak mencakup pertanyaan ini: tidak ada bagian teks yang cukup dekat untuk menjawabnya.",
        "en": "The corpus does not cover this question: no passage found is close enough to answer it.",
    },
    "answer.city_no_passage": {
        "id": "Korpus tidak memuat bagian teks tentang {city} yang menjawab pertanyaan ini.",
        "en": "The corpus holds no passage about {city} that answers this question.",
    },
    "answer.llm_unavailable": {
        "id": "Mesin generatif tidak tersedia ({reason}); jawaban ini dikutip langsung dari dokumen.",
        "en": "The generative engine was unavailable ({reason}); this answer was extracted from the documents.",
    },
    "answer.llm_unsupported": {
        "id": "Jawaban yang dihasilkan tidak memiliki kalimat yang didukung kutipannya; jawaban ini dikutip langsung.",
        "en": "The generated answer had no sentence supported by its citations; this answer was extracted instead.",
    },
    "answer.this_city": {"id": "kota ini", "en": "this"},
    "searched.query": {"id": "Korpus ditelusuri untuk “{question}”", "en": 'Searched the corpus for "{question}"'},
    "searched.cities": {"id": "dalam bagian teks tentang {cities}", "en": "in passages about {cities}"},
    "searched.within": {"id": "di dalam {documents}", "en": "within {documents}"},
    "searched.filters": {"id": "dengan saringan {filters}", "en": "with filters {filters}"},
    # error envelope: generic per code, used when an error carries no sentence of its own
    "error.invalid_request": {"id": "Permintaan tidak valid — {details}", "en": "Invalid request — {details}"},
    "error.invalid_request.hint": {
        "id": "Periksa isi permintaan terhadap kontrak API (GET /docs).",
        "en": "Check the request body against the API contract (GET /docs).",
    },
    "error.internal_error": {
        "id": "Server gagal saat menangani permintaan ini.",
        "en": "The server failed while handling this request.",
    },
    "error.internal_error.hint": {
        "id": "Coba lagi; jika tetap gagal, log server memuat rinciannya.",
        "en": "Try again; if it persists, the server log has the details.",
    },
    "error.not_found": {"id": "Tidak ditemukan.", "en": "Not found."},
    "error.method_not_allowed": {"id": "Metode ini tidak diizinkan di alamat ini.",
                                 "en": "This method is not allowed here."},
    "error.request_too_large": {
        "id": "Isi permintaan melebihi batas {kb} KB untuk alamat ini.",
        "en": "The request body is larger than the {kb} KB limit for this endpoint.",
    },
    "error.request_too_large.hint": {
        "id": "Kirim permintaan yang lebih pendek; dokumen diunggah sebagai berkas ke POST /documents.",
        "en": "Send a shorter request; documents are uploaded as files to POST /documents.",
    },
    "error.http_error": {"id": "Permintaan gagal.", "en": "Request failed."},
    "error.unauthorized": {"id": "Alamat ini memerlukan kunci API yang sah.",
                           "en": "This endpoint needs a valid API key."},
    "error.unauthorized.hint": {"id": "Kirim kunci di header X-API-Key.", "en": "Send it in the X-API-Key header."},
    "error.read_only": {
        "id": "Server ini membuka penyimpanan hanya-baca karena proses lain sedang menulis ke dalamnya.",
        "en": "This server opened the store read-only because another process is writing to it.",
    },
    "error.read_only.hint": {
        "id": "Tunggu sampai proses ingest lain selesai, lalu jalankan ulang API.",
        "en": "Wait for the other ingest to finish and restart the API.",
    },
    "error.rate_limited": {
        "id": "Terlalu banyak permintaan dari klien ini; coba lagi dalam {seconds} detik.",
        "en": "Too many requests from this client; try again in {seconds} s.",
    },
    "error.rate_limited.hint": {
        "id": "Batasnya {limit} jawaban per menit per klien.",
        "en": "The limit is {limit} answers per minute per client.",
    },
    "error.regulation_not_found": {"id": "Tidak ada regulasi dengan kunci {key}.",
                                   "en": "No regulation with key {key}."},
    "error.regulation_not_found.hint": {"id": "GET /regulations mencantumkan kunci-kuncinya.",
                                        "en": "GET /regulations lists the keys."},
    "error.text_missing": {"id": "Teks dokumen {doc_id} tidak ada.", "en": "The text of document {doc_id} is missing."},
    "error.text_missing.hint": {"id": "Proses ulang (ingest) dokumennya.", "en": "Re-ingest the document."},
    "error.span_outside": {
        "id": "Rentang {start}..{end} tidak berada di dalam dokumen (teksnya {length} karakter).",
        "en": "The span {start}..{end} is not inside the document (its text has {length} characters).",
    },
    "error.span_outside.hint": {"id": "Gunakan awal dan akhir sebuah kutipan.",
                                "en": "Use the start and end of a citation."},
    "error.passage_not_found": {"id": "Dokumen {doc_id} tidak memiliki bagian teks {passage_id}.",
                                "en": "Document {doc_id} has no passage {passage_id}."},
    "error.passage_not_found.hint": {"id": "Gunakan passage_id dari sebuah kutipan.",
                                     "en": "Use the passage_id of a citation."},
    "error.page_not_found": {"id": "Dokumen {doc_id} tidak memiliki halaman {page} (jumlahnya {pages}).",
                             "en": "Document {doc_id} has no page {page} (it has {pages})."},
    "error.page_not_found.hint": {"id": "Halaman dihitung dari 1.", "en": "Pages are numbered from 1."},
    "error.not_a_pdf": {"id": "Dokumen {doc_id} bukan PDF; halamannya tidak dapat digambar.",
                        "en": "Document {doc_id} is not a PDF; its pages cannot be rendered."},
    "error.not_a_pdf.hint": {"id": "Tampilkan teksnya dengan GET /documents/{doc_id}/passages/{{passage_id}}.",
                             "en": "Show its text with GET /documents/{doc_id}/passages/{{passage_id}}."},
    "error.job_not_found": {"id": "Tidak ada pekerjaan dengan id {job_id}.", "en": "No job with id {job_id}."},
    "error.job_not_found.hint": {"id": "Pekerjaan disimpan di memori sampai server dijalankan ulang.",
                                 "en": "Jobs are kept in memory until the server restarts."},
    # typed errors of the lower layers, by code: their own sentence names a file and a reason in English, so an
    # Indonesian envelope says what happened in Indonesian and keeps that sentence as the technical detail
    "error.document_unreadable": {"id": "Berkas tidak dapat dibaca.", "en": "The file could not be read."},
    "error.unsupported_format": {"id": "Format berkas ini tidak dapat dibaca Banding Kota.",
                                 "en": "Banding Kota does not read this file format."},
    "error.file_too_large": {"id": "Berkas melebihi batas ukuran unggahan.",
                             "en": "The file is larger than the upload limit."},
    "error.encrypted_document": {"id": "Berkas terenkripsi dan tidak dapat dibaca.",
                                 "en": "The file is encrypted and cannot be read."},
    "error.empty_document": {"id": "Berkas tidak memuat teks yang dapat dibaca.",
                             "en": "The file holds no readable text."},
    "error.unknown_city": {"id": "Kota tidak dikenal.", "en": "Unknown city."},
    "error.error": {"id": "Permintaan tidak dapat diselesaikan.", "en": "The request could not be completed."},
    "error.detail": {"id": "Rincian teknis (bahasa Inggris): {detail}", "en": "{detail}"},
}

# "id" is the ISO 639-1 code; "in" is its withdrawn predecessor, still sent by some older Android browsers.
_ALIASES: dict[str, Lang] = {"id": "id", "in": "id", "en": "en"}
_RANGE = re.compile(r"^\s*([A-Za-z]{1,8})(?:-[A-Za-z0-9]{1,8})*\s*(?:;\s*q\s*=\s*([01](?:\.\d{0,3})?))?\s*$")


def message(key: str, lang: Lang, /, **values: object) -> str:
    """The sentence for ``key`` in ``lang`` with ``values`` filled in; an unknown key is logged and shown."""
    entry = MESSAGES.get(key)
    if entry is None:
        logger.warning("missing API message %r", key)
        return key
    template = entry.get(lang) or entry[DEFAULT_LANG]
    return template.format(**values) if values else template


def has_message(key: str) -> bool:
    return key in MESSAGES


def language_of(accept_language: str | None, explicit: str | None = None) -> Lang:
    """The answer language: ``explicit`` (a ``lang`` field) when it is one we speak, else the preferred language
    of an ``Accept-Language`` header (``id-ID,id;q=0.9,en;q=0.8``) among ours, else English."""
    if explicit and explicit.lower() in _ALIASES:
        return _ALIASES[explicit.lower()]
    best: tuple[float, int, Lang] | None = None
    for position, part in enumerate((accept_language or "").split(",")):
        match = _RANGE.match(part)
        if not match:
            continue
        lang = _ALIASES.get(match.group(1).lower())
        quality = float(match.group(2)) if match.group(2) else 1.0
        if lang is None or quality <= 0:
            continue
        # Higher quality first; among equals, the one listed first.
        if best is None or (quality, -position) > (best[0], best[1]):
            best = (quality, -position, lang)
    return best[2] if best else DEFAULT_LANG
