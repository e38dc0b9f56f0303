"""clean_pages: the clean text every offset refers to, and where its pages lie."""

from __future__ import annotations

import re
import time
from functools import cache

import pypdf
from hypothesis import given, settings
from hypothesis import strategies as st

from core.settings import PROJECT_ROOT
from core.types import CleanDocument, Page
from ingest.cleaning import clean_pages

PAPERS = PROJECT_ROOT / "documents" / "papers"
REGULATIONS = PROJECT_ROOT / "documents" / "regulations"


@cache
def paper(name: str) -> str:
    return next(PAPERS.glob(f"{name}_*.txt")).read_text(encoding="utf-8")


@cache
def pdf_pages(name: str, count: int) -> tuple[Page, ...]:
    """The first pages of a bundled regulation, as its text layer reads."""
    reader = pypdf.PdfReader(next(REGULATIONS.glob(f"{name}*.pdf")))
    return tuple(Page(number=i + 1, text=reader.pages[i].extract_text() or "") for i in range(count))


def clean_text(*texts: str) -> str:
    return clean_pages([Page(number=i + 1, text=t) for i, t in enumerate(texts)]).text


def assert_spans_cover(doc: CleanDocument, page_count: int) -> None:
    assert len(doc.pages) == page_count
    cursor = 0
    for span in doc.pages:
        assert span.start == cursor and span.end >= span.start
        cursor = span.end
    assert cursor == len(doc.text)


# --- the two-column Indonesian paper (a line break every few words, a blank line after each) ---


def test_sentences_broken_across_column_lines_are_rejoined_on_one_line():
    raw = paper("002")
    sentence = "Kota Balikpapan meraih juara ke 2 setelah kota Yogyakarta."
    assert sentence not in raw.replace("\n\n", "\n")  # the extraction really broke it
    lines = clean_text(raw).split("\n")
    assert any(sentence in line for line in lines)
    opening = "Inovasi daerah melalui penerapan smart city pada penyelenggaraan pemerintahan di daerah"
    assert any(line.startswith(opening) for line in lines)


def test_paragraph_breaks_survive_where_a_short_line_ends_a_sentence():
    text = clean_text(paper("002"))
    assert "(Guzel Ishkineeva dkk 2015).\n\nHal ini diperlukan pemerintah" in text
    assert "\n\nPENDAHULUAN\n\nInovasi daerah" in text


def test_heading_split_over_two_lines_is_one_line():
    assert "\nHASIL PENELITIAN DAN PEMBAHASAN\n" in clean_text(paper("002"))


def test_capitalised_word_continuing_a_sentence_is_not_made_a_heading():
    # "terdiri atas SIMONTEPPA dan \n\nSIMTARU" in the source
    assert "terdiri atas SIMONTEPPA dan SIMTARU" in clean_text(paper("002"))


def test_reduplicated_word_split_at_its_hyphen_keeps_the_hyphen():
    raw = paper("002")
    assert "sekolah-\n\nsekolah" in raw
    assert "beberapa sekolah-sekolah." in clean_text(raw)


def test_one_paragraph_per_line_papers_keep_their_paragraphs():
    raw = paper("000")
    text = clean_text(raw)
    first = "Digital transformation in governance is not merely a technological phenomenon"
    second = "The experience of various countries, as illustrated in the literature"
    assert re.search(re.escape(first) + r"[^\n]*\n\n" + re.escape(second), text)


def test_paragraph_broken_by_a_page_break_in_the_source_is_rejoined():
    # 000 continues "... Presidential Regulation" after a blank line with a lower-case "of Presidential ..."
    raw = paper("000")
    assert "\n\nof Presidential Regulation Number 95 of 2018" in raw
    assert "\n\nof Presidential Regulation" not in clean_text(raw)
    assert " of Presidential Regulation Number 95 of 2018" in clean_text(raw)


# --- repairs on synthetic pages ---


def test_words_hyphenated_at_line_ends_are_joined():
    text = clean_text(
        "Penyelenggaraan pemerin-\ntahan daerah dilakukan sesuai peraturan perundang-\nundangan dan\n"
        "Undang-\nUndang yang berlaku."
    )
    assert "pemerintahan daerah" in text
    assert "perundang-undangan" in text
    assert "Undang-Undang yang berlaku" in text


BODIES = [
    "Isi halaman pertama membahas pelayanan publik secara rinci.",
    "Bagian kedua menguraikan pengelolaan arsip daerah.",
    "Halaman ketiga menjelaskan peran perangkat daerah.",
    "Uraian keempat memuat tata kerja sekretariat.",
    "Penutup kelima berisi ketentuan peralihan.",
    "Lampiran keenam memuat bagan organisasi.",
]


def test_page_number_lines_are_dropped():
    pages = [f"- {n} -\n{BODIES[n - 1]}" if n % 2 else f"{BODIES[n - 1]}\nHalaman {n} dari 4" for n in range(1, 5)]
    pages.append(f"Page 5\n{BODIES[4]}\n5")
    text = clean_text(*pages)
    assert all(body in text for body in BODIES[:5])
    assert not re.search(r"- \d -|Halaman \d|Page \d|^\d$", text, re.MULTILINE)


def test_sentences_recurring_at_page_edges_are_kept():
    body = "Laporan ini disusun oleh Bagian Hukum."
    text = clean_text(*(f"{body}\n{other}" for other in BODIES))
    assert text.count(body) == len(BODIES)


def test_running_heads_and_e_signature_footers_are_dropped():
    head = "JURNAL ILMU PEMERINTAHAN Vol. 5 No. 2 Tahun 2021 hal. {n}"
    foot = (
        "Dokumen ini telah ditandatangani secara elektronik menggunakan sertifikat elektronik\n"
        "yang diterbitkan oleh Balai Sertifikasi Elektronik (BSrE), BSSN"
    )
    text = clean_text(*(f"{head.format(n=n)}\n{b}\n{foot}" for n, b in enumerate(BODIES)))
    assert all(b in text for b in BODIES)
    assert "JURNAL" not in text and "BSrE" not in text and "ditandatangani" not in text


def test_ocr_variants_of_a_running_head_and_catchwords_are_dropped():
    pages = pdf_pages("perpres_82_2023", 6)
    assert "REPUALIK INDONESIA" in pages[1].text and "(5) Dalam . . ." in pages[4].text
    text = clean_pages(pages).text
    assert "REPUALIK" not in text and "SK No" not in text
    assert "(5) Dalam . . ." not in text
    assert "Pasal 3\n(1) Pemerintah sebagaimana dimaksud dalam Pasal 2 ayat (1) menugaskan Perum Peruri" in text


def test_ocr_misread_page_numbers_and_running_head_fragments_are_dropped():
    pages = pdf_pages("perpres_82_2023", 13)
    assert "\n_10_\n" in pages[9].text and "\n-t2-\n" in pages[11].text and "\nK INDONESIA\n" in pages[5].text
    text = clean_pages(pages).text
    assert not re.search(r"^(?:_10_|-t2-|K INDONESIA)$", text, re.MULTILINE)
    assert "bidang badan usaha milik negara:" in text  # the page under the "_10_" is all there


def test_catchword_repeating_the_next_page_is_dropped_even_above_ocr_debris():
    # Perpres page 9 ends "Pasal 12.. ." then three OCR fragments of its own text; page 10 opens "Pasal 12".
    pages = pdf_pages("perpres_82_2023", 13)
    assert "\nPasal 12.. .\nfungsi\nAplikasi SPBE\nf.\n" in pages[8].text
    text = clean_pages(pages).text
    assert "Pasal 12.. ." not in text
    assert "fungsi Aplikasi SPBE f.\nPasal 12\nMenteri yang menyelenggarakan" in text


def test_catchword_not_repeating_the_next_page_is_kept_when_not_at_the_foot():
    body = ["Isi baris pertama halaman ini.", "Rincian sebagaimana tercantum berikut ...", *BODIES[:3]]
    text = clean_text("\n".join(body), "Halaman berikutnya dimulai di sini.")
    assert "Rincian sebagaimana tercantum berikut ..." in text


def test_title_page_letterhead_extracted_under_the_text_is_dropped():
    # The Kepgub's and Surabaya's letterheads come out of the text layer at the foot of page 1, in Mengingat.
    kepgub = clean_pages(pdf_pages("kepgub_kalbar", 3)).text
    assert "Nomor 6780);\n7. Peraturan Pemerintah Nomor 18 Tahun 2016" in kepgub
    assert "\nGUBERNUR KALIMANTAN BARAT,\n" in kepgub  # the issuer line and the signature stay
    surabaya = clean_pages(pdf_pages("perwali_surabaya", 13)).text
    assert "WALIKOTA SURABAYA\nPROVINSI JAWA TIMUR" not in surabaya
    assert "Nomor 5494);\n4. Undang-Undang Nomor 23 Tahun 2014" in surabaya
    assert "\nWALIKOTA SURABAYA,\n" in surabaya and "\nWALIKOTA SURABAYA\n" in surabaya  # preamble, signature


def test_letterhead_above_the_title_and_issuer_lines_elsewhere_are_kept():
    title = "WALIKOTA SINGKAWANG\nPERATURAN WALIKOTA SINGKAWANG\nNOMOR 3 TAHUN 2020\nIsi pertama.\nWALIKOTA SINGKAWANG,"
    text = clean_text(title, "Isi kedua.\nDitetapkan di Singkawang\nWALIKOTA SINGKAWANG")
    assert text.startswith("WALIKOTA SINGKAWANG\n") and text.endswith("WALIKOTA SINGKAWANG")
    assert "WALIKOTA SINGKAWANG," in text


def test_regulation_structure_keeps_its_lines():
    text = clean_pages(pdf_pages("perwako_singkawang", 5)).text
    assert text.startswith("WALIKOTA SINGKAWANG\n")  # the page number "1" above it is gone
    assert "\nBAB I\nKETENTUAN UMUM\nPasal 1\nDalam Peraturan Walikota ini yang dimaksud dengan :\n1. Daerah" in text
    assert re.search(r"\n\(2\) PPID sebagaimana dimaksud ?pada ayat \(1\) melekat pada pejabat struktural", text)


def test_table_rows_stay_one_line_each_with_their_tabs():
    raw = paper("000")
    rows = [line.strip(" ") for line in raw.splitlines() if line.startswith("2019\t3.17")]
    assert rows
    assert "\n" + rows[0] + "\n" in clean_text(raw)


def test_runs_of_whitespace_collapse():
    raw = "Kota   Balikpapan\u00a0 menerapkan \u200bsmart  city."
    assert clean_text(raw) == "Kota Balikpapan menerapkan smart city."


# --- page spans ---


def test_page_spans_map_offsets_to_pages_and_carry_ocr_facts():
    pages = [
        Page(number=1, text="Halaman pertama berisi pembukaan."),
        Page(number=2, text="", source="none"),
        Page(number=3, text="Halaman ketiga dibaca dengan OCR.", source="ocr", ocr_confidence=71.5),
    ]
    doc = clean_pages(pages)
    assert_spans_cover(doc, 3)
    assert doc.pages[1].start == doc.pages[1].end
    assert doc.page_at(doc.text.index("ketiga")) == 3
    assert doc.page_at(doc.text.index("pertama")) == 1
    assert doc.pages[2].source == "ocr" and doc.pages[2].ocr_confidence == 71.5


def test_document_without_text_has_empty_spans():
    doc = clean_pages([Page(number=1, text=" \n\n"), Page(number=2, text="")])
    assert doc.text == ""
    assert [(s.start, s.end) for s in doc.pages] == [(0, 0), (0, 0)]


def test_fifty_megabytes_on_one_line_clean_in_seconds():
    line = "Pemerintah kota menerapkan tata kelola cerdas untuk pelayanan publik yang lebih baik. " * 600_000
    started = time.perf_counter()
    doc = clean_pages([Page(number=1, text=line)])
    assert time.perf_counter() - started < 20
    assert len(doc.text) == len(line) - 1


# --- properties ---

WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=9)
LINE = st.lists(WORD, min_size=1, max_size=8).map(" ".join)
RAW_PAGE = st.lists(st.one_of(LINE, st.just(""), LINE.map(lambda s: s + ".")), max_size=12).map("\n".join)


@settings(max_examples=150, deadline=None)
@given(st.lists(RAW_PAGE, min_size=1, max_size=6))
def test_spans_cover_the_text_and_no_word_is_lost(raw_pages):
    doc = clean_pages([Page(number=i + 1, text=t) for i, t in enumerate(raw_pages)])
    assert_spans_cover(doc, len(raw_pages))

    def key(line: str) -> str:
        return line.replace(" ", "").rstrip(".")

    on_pages = [{key(line) for line in text.splitlines()} for text in raw_pages]
    words = set(re.findall(r"[a-z]+", doc.text))
    for text in raw_pages:
        for line in text.splitlines():
            # Lines on many pages are running heads; a lone "iv" is a page number.
            if sum(key(line) in keys for keys in on_pages) < 3 and not re.fullmatch(r"[ivx]+", line):
                assert set(re.findall(r"[a-z]+", line)) <= words, line


@settings(max_examples=150, deadline=None)
@given(st.lists(st.text(max_size=300), min_size=0, max_size=5))
def test_any_text_cleans_to_tidy_lines_with_covering_spans(raw_pages):
    doc = clean_pages([Page(number=i + 1, text=t) for i, t in enumerate(raw_pages)])
    assert_spans_cover(doc, len(raw_pages))
    assert "\n\n\n" not in doc.text
    assert not re.search(r" \n|\n |  ", doc.text)
    assert "\r" not in doc.text
