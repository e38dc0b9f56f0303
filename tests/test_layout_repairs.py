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
