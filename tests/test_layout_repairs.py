"""Damage the real regulations' text layers and scans carry, repaired at ingest: each test writes a PDF that
prints the damage as the devset's documents do and reads it through the real pipeline (``process_file``).

- a Keputusan's diktum labels read as a column of their own, before their texts (Kepmenristekdikti
  228/KPT/I/2017, Kepbup Pinrang 521/1/2015 and 700/2020, the Tulang Bawang Barat decree);
- page furniture: a verification footer printed on every page among the text's lines (Perda Kab. Magelang
  4/2022), a printer's error report scanned above the title (Perpres 161/2015);
- the signature block joined to the last article's sentence (Pergub DKI Jakarta 41/2022).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from core.settings import Settings
from core.types import Page, Passage, PassageRole
from ingest.cleaning import clean_pages
from ingest.pipeline import process_file
from testing.filemakers import PlacedLine, placed_pdf

LINE = 14


def _settings(tmp_path: Path) -> Settings:
    base = Settings()
    return base.model_copy(update={"store": base.store.model_copy(update={"data_dir": tmp_path / "data"})})


def _stacked(lines: Sequence[str], *, x: float = 72, top: float = 60) -> list[PlacedLine]:
    return [(x, top + n * LINE, line) for n, line in enumerate(lines)]


def _passages(tmp_path: Path, pages: Sequence[Sequence[PlacedLine]]) -> list[Passage]:
    pdf = placed_pdf(tmp_path / "regulation.pdf", pages)
    return process_file(pdf, _settings(tmp_path), None).passages


def _diktum(passages: Sequence[Passage]) -> dict[str, str]:
    texts: dict[str, str] = {}
    for p in passages:
        if p.kind == "diktum":
            label = p.section.removeprefix("Diktum ")
            texts[label] = f"{texts.get(label, '')}\n{p.text}".strip()
    return texts


_DECREE_HEAD = (
    "KEPUTUSAN BUPATI PINRANG",
    "NOMOR 700 TAHUN 2020",
    "TENTANG",
    "HONORARIUM PENANGGUNG JAWAB TIM PENGAWASAN",
    "BUPATI PINRANG,",
    "Menimbang : a. bahwa untuk kelancaran kegiatan pengawasan perlu diberikan honorarium;",
    "Mengingat : 1. Undang-Undang Nomor 23 Tahun 2014 tentang Pemerintahan Daerah;",
)
_CLOSING = ("Ditetapkan di Pinrang", "pada tanggal 2 Januari 2020", "BUPATI PINRANG,", "ANDI IRWAN HAMID")
_TEXTS = {
    "KESATU": ("Honorarium penanggung jawab tim diberikan untuk setiap obyek pengawasan",
               "pada Inspektorat Kabupaten Pinrang."),
    "KEDUA": ("Besaran honorarium sebagaimana dimaksud dalam Diktum KESATU adalah",
              "Rp1.700.000,00 per tim pengawasan dan audit."),
    "KETIGA": ("Biaya yang timbul dibebankan pada Anggaran Pendapatan dan Belanja",
               "Daerah Kabupaten Pinrang Tahun Anggaran 2020."),
}


def _decree(text_column: Sequence[str]) -> list[list[PlacedLine]]:
    """Page 1 prints the labels beside their texts; the text layer reads the label column first."""
    head = _stacked(_DECREE_HEAD)
    top = 60 + (len(_DECREE_HEAD) + 1) * LINE
    labels = _stacked(["Menetapkan", "KESATU", "KEDUA", "KETIGA"], top=top)
    texts = _stacked(text_column, x=170, top=top)
    tail_top = top + (len(text_column) + 1) * LINE
    tail = _stacked(["KEEMPAT : Keputusan ini mulai berlaku pada tanggal ditetapkan.", *_CLOSING], top=tail_top)
    return [[*head, *labels, *texts, *tail]]


def test_diktum_labels_read_before_colon_led_texts_each_get_their_own_text(tmp_path: Path) -> None:
    column = ["MEMUTUSKAN:"]
    for first, second in _TEXTS.values():
        column += [f": {first}", second]
    diktum = _diktum(_passages(tmp_path, _decree(column)))
    assert list(diktum)[:4] == ["KESATU", "KEDUA", "KETIGA", "KEEMPAT"]
    for label, (first, _) in _TEXTS.items():
        assert diktum[label].startswith(label)
        assert first[:40] in diktum[label]
        assert all(other[:40] not in diktum[label] for name, (other, _) in _TEXTS.items() if name != label)


def test_diktum_labels_read_before_the_text_column_find_their_texts_after_what_else_it_holds(
        tmp_path: Path) -> None:
    """As OCR reads a scan: the column holds the end of the Mengingat list and the decision's title first, and
    the texts have no colon; a text with a list keeps its items."""
    column = ["2. Peraturan Daerah Kabupaten Pinrang Nomor 10 Tahun 2019 tentang Anggaran",
              "Pendapatan dan Belanja Daerah Tahun Anggaran 2020;",
              "MEMUTUSKAN:",
              "KEPUTUSAN BUPATI TENTANG HONORARIUM PENANGGUNG JAWAB TIM.",
              *_TEXTS["KESATU"],
              "Besaran honorarium sebagaimana dimaksud dalam Diktum KESATU adalah:",
              "a. Rp1.700.000,00 per tim pengawasan dan audit; dan",
              "b. Rp900.000,00 per tim pemantauan.",
              *_TEXTS["KETIGA"]]
    diktum = _diktum(_passages(tmp_path, _decree(column)))
    assert diktum["KESATU"].startswith("KESATU") and _TEXTS["KESATU"][0] in diktum["KESATU"]
    assert "Besaran honorarium" in diktum["KEDUA"] and "b. Rp900.000,00" in diktum["KEDUA"]
    assert _TEXTS["KETIGA"][0] in diktum["KETIGA"] and "Besaran" not in diktum["KETIGA"]
    assert all("MEMUTUSKAN" not in text and "Peraturan Daerah" not in text for text in diktum.values())


def test_a_diktum_label_whose_colon_ocr_misread_still_heads_its_diktum(tmp_path: Path) -> None:
    """Kepka LAPAN 028/2006's scan reads "KEDUA :" as "KEDUA 1": the label must still open KEDUA, or KEDUA and
    every later diktum stay in KESATU's passage."""
    texts = {"KESATU": "KESATU : Membentuk Unit Akuntansi Instansi di lingkungan Pemerintah Kabupaten Pinrang.",
             "KEDUA": "KEDUA 1 Mengangkat pegawai yang namanya tersebut dalam Lampiran Keputusan ini.",
             "KETIGA": "KETIGA : Segala biaya yang timbul dibebankan pada Anggaran Pendapatan dan Belanja Daerah."}
    page = _stacked([*_DECREE_HEAD, "MEMUTUSKAN:", "Menetapkan : KEPUTUSAN BUPATI TENTANG UNIT AKUNTANSI.",
                     *texts.values(), *_CLOSING])
    diktum = _diktum(_passages(tmp_path, [page]))
    assert {label: text.strip() for label, text in diktum.items()} == texts


# Bulleted, as Magelang's footer is (a bullet makes a line a list item, which the running-head rule spares).
_FOOTER = ("- Salinan elektronik ini dapat diverifikasi melalui laman jaringan dokumentasi hukum",
           "- Dokumen elektronik dan hasil cetaknya merupakan alat bukti hukum yang sah")
_ARTICLES = (
    ("Pasal 1", "Dalam Peraturan Daerah ini yang dimaksud dengan Daerah adalah Kabupaten Magelang."),
    ("Pasal 2", "Retribusi Persetujuan Bangunan Gedung dipungut atas pelayanan penerbitan persetujuan."),
    ("Pasal 3", "Tarif retribusi ditetapkan berdasarkan luas bangunan dan indeks terintegrasi."),
    ("Pasal 4", "Retribusi dipungut di wilayah Daerah tempat pelayanan diberikan oleh Pemerintah Daerah."),
)


def _perda_pages(first_lines: Sequence[str] = ()) -> list[list[PlacedLine]]:
    head = ["PERATURAN DAERAH KABUPATEN MAGELANG", "NOMOR 4 TAHUN 2022", "TENTANG",
            "RETRIBUSI PERSETUJUAN BANGUNAN GEDUNG", "BUPATI MAGELANG,",
            "Menimbang : a. bahwa retribusi perlu diatur dengan Peraturan Daerah;",
            "Mengingat : 1. Undang-Undang Nomor 28 Tahun 2009 tentang Pajak Daerah dan Retribusi Daerah;",
            "MEMUTUSKAN:", "Menetapkan : PERATURAN DAERAH TENTANG RETRIBUSI PERSETUJUAN BANGUNAN GEDUNG."]
    pages = []
    for n, (pasal, text) in enumerate(_ARTICLES, start=1):
        # the footer sits under the page number, among the text's first lines, where running heads are not sought
        lines = [*first_lines] if n == 1 else []
        lines += [f"- {n} -", *_FOOTER, *(head if n == 1 else []), pasal, text,
                  "Ketentuan lebih lanjut mengenai pelaksanaan Pasal ini diatur dengan Peraturan Bupati.",
                  "Peraturan Bupati sebagaimana dimaksud ditetapkan paling lama 1 (satu) tahun.",
                  "Pemerintah Daerah melaksanakan pembinaan dan pengawasan atas pelaksanaannya."]
        pages.append(_stacked(lines))
    return pages


def test_a_footer_printed_on_every_page_among_the_text_leaves_no_passage(tmp_path: Path) -> None:
    passages = _passages(tmp_path, _perda_pages())
    joined = "\n".join(p.text for p in passages)
    assert "diverifikasi" not in joined and "alat bukti" not in joined
    assert all(text in joined for _, text in _ARTICLES)


def test_a_printer_error_report_above_the_title_is_dropped(tmp_path: Path) -> None:
    report = ["PCL XL error", "Subsystem: GE_VECTOR", "Error: GEEmptyClipPath", "Warning: IllegalTag"]
    passages = _passages(tmp_path, _perda_pages(report))
    title = next(p for p in passages if p.role == PassageRole.TITLE)
    assert title.text.startswith("PERATURAN DAERAH KABUPATEN MAGELANG")
    assert not any("PCL XL" in p.text or "GE_VECTOR" in p.text for p in passages)


def test_a_phrase_a_table_repeats_on_its_pages_is_not_furniture() -> None:
    """Words a table prints in many rows come back several times on a page; a footer comes once a page."""
    prose = "\n".join(f"Kalimat {k} halaman ini menjelaskan susunan keanggotaan forum." for k in range(3))
    rows = "\n".join(f"{k} Dinas {k}\nProvinsi Kalimantan Barat Produsen" for k in range(2))
    pages = [Page(number=n, text=f"{prose}\n{rows}\n{prose}") for n in range(1, 5)]
    assert clean_pages(pages).text.count("Provinsi Kalimantan Barat Produsen") == 8


_LAST_ARTICLE = (
    "Peraturan Gubernur ini mulai berlaku pada tanggal diundangkan Agar setiap orang mengetahuinya, "
    "memerintahkan pengundangan Peraturan Gubernur ini dengan penempatannya dalam Berita Daerah Provinsi "
    "Daerah Khusus Ibukota Jakarta Ditetapkan di Jakarta pada tanggal 24 Agustus 2022 GUBERNUR DAERAH KHUSUS "
    "IBUKOTA JAKARTA, ttd ANIES RASYID BASWEDAN Diundangkan di Jakarta pada tanggal 26 Agustus 2022"
)


@pytest.mark.parametrize("width", [80, 95])
def test_a_signature_block_joined_to_the_last_article_is_the_closing(tmp_path: Path, width: int) -> None:
    words, lines, line = _LAST_ARTICLE.split(), [], ""
    for word in words:  # one paragraph broken at the column's width, no sentence ending a line
        if len(line) + len(word) + 1 > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    page = ["PERATURAN GUBERNUR DAERAH KHUSUS IBUKOTA JAKARTA", "NOMOR 41 TAHUN 2022", "TENTANG",
            "INSENTIF PEMUNGUTAN PAJAK DAERAH", "GUBERNUR DAERAH KHUSUS IBUKOTA JAKARTA,",
            "Menimbang : a. bahwa insentif pemungutan pajak daerah perlu diatur;",
            "Mengingat : 1. Undang-Undang Nomor 28 Tahun 2009 tentang Pajak Daerah dan Retribusi Daerah;",
            "MEMUTUSKAN:", "Menetapkan : PERATURAN GUBERNUR TENTANG INSENTIF PEMUNGUTAN PAJAK DAERAH.",
            "Pasal 1", "Insentif diberikan kepada instansi yang melaksanakan pemungutan pajak daerah.",
            "Pasal 2", *lines, line]
    passages = _passages(tmp_path, [_stacked(page)])
    last = [p for p in passages if p.pasal == "2"]
    assert last and all("Ditetapkan" not in p.text and "BASWEDAN" not in p.text for p in last)
    assert "mulai berlaku pada tanggal diundangkan" in last[0].text
    closing = [p for p in passages if "Ditetapkan di Jakarta" in p.text]
    assert closing and all(p.role == PassageRole.CLOSING for p in closing)


def test_a_lampiran_heading_behind_an_ocr_speck_still_opens_the_lampiran(tmp_path: Path) -> None:
    """Kepbup Pinrang 521/1/2015's scan reads a speck before its Lampiran's heading as a quote."""
    decree = _stacked([*_DECREE_HEAD, "MEMUTUSKAN:", "Menetapkan : KEPUTUSAN BUPATI TENTANG HONORARIUM.",
                       "KESATU : Honorarium tim pengawasan tercantum dalam Lampiran Keputusan ini.",
                       "KEDUA : Keputusan ini mulai berlaku pada tanggal ditetapkan.", *_CLOSING])
    lampiran = _stacked(['" LAMPIRAN KEPUTUSAN BUPATI PINRANG', "NOMOR 700 TAHUN 2020",
                         "DAFTAR PENERIMA HONORARIUM TIM PENGAWASAN", "1. Inspektur Kabupaten Pinrang"])
    passages = _passages(tmp_path, [decree, lampiran])
    assert any(p.kind == "lampiran" and "Inspektur Kabupaten Pinrang" in p.text for p in passages)
    assert not any(p.role == PassageRole.CLOSING and "LAMPIRAN" in p.text for p in passages)
