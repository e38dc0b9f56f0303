"""A regulation converted to Markdown by a PDF converter (Marker-style marks) outlines like the PDF itself."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from core.gazetteer import Gazetteer
from core.settings import PROJECT_ROOT, Settings
from ingest.cleaning import clean_pages
from ingest.legal import outline_counts, parse_legal
from ingest.loaders import load_document
from ingest.loaders.converted import plain_layout

PDF = (PROJECT_ROOT / "tests" / "devset" / "regulations"
       / "perda_kab_pinrang_4_2013_pedoman_pembentukan_peraturan_daerah.pdf")


def _settings(data_dir: Path) -> Settings:
    base = Settings()
    return base.model_copy(update={"store": base.store.model_copy(update={"data_dir": data_dir})})


def marker_style(text: str) -> str:
    """The regulation's text as Marker writes it: BAB headings at varying levels, Pasal numbers as
    superscripts or glued, image placeholders and page numbers in the flow, a table."""
    out = []
    n = 0
    for line in text.split("\n"):
        stripped = line.strip()
        if re.fullmatch(r"BAB [IVXLC]+", stripped):
            n += 1
            out.append(("# " if n % 2 else "#### ") + stripped)
        elif m := re.fullmatch(r"Pasal (\d+)", stripped):
            n += 1
            out.append(f"## Pasal <sup>{m.group(1)}</sup>" if n % 3 else f"Pasal{m.group(1)}")
        elif stripped.startswith("(2)") and n % 4 == 0:
            out.append(f"{stripped[:40]} - {n % 30 + 2} - {stripped[40:]}")
        else:
            out.append(line)
        if n and n % 7 == 0 and stripped.startswith("Pasal"):
            out.append(f"\n![](_page_{n}_Picture_0.jpeg)\n")
    out.append("\n| Jenis | Jumlah |\n|---|---:|\n| Perda | 4 |\n")
    return "\n".join(out)


@pytest.fixture(scope="module")
def pdf_text(tmp_path_factory: pytest.TempPathFactory) -> str:
    return clean_pages(load_document(PDF, _settings(tmp_path_factory.mktemp("md"))).pages).text


def test_a_marker_conversion_outlines_the_same_bab_and_pasal_as_the_pdf(pdf_text: str, tmp_path: Path) -> None:
    markdown = marker_style(pdf_text)
    assert "<sup>" in markdown and re.search(r"^Pasal\d", markdown, re.M) and "_Picture_" in markdown
    path = tmp_path / "perda_pinrang_4_2013.md"
    path.write_text(markdown, encoding="utf-8")
    md_text = clean_pages(load_document(path, _settings(tmp_path)).pages).text
    gazetteer = Gazetteer.default()
    from_pdf = outline_counts(parse_legal(pdf_text, gazetteer))
    from_md = outline_counts(parse_legal(md_text, gazetteer))
    assert from_pdf["bab"] == 13 and from_pdf["pasal"] == 54
    assert (from_md["bab"], from_md["pasal_numbers"]) == (from_pdf["bab"], from_pdf["pasal_numbers"])
    ref = parse_legal(md_text, gazetteer).regulation
    assert ref is not None and (ref.instrument, ref.number, ref.year) == ("Perda", "4", 2013)


def test_converter_marks_are_dropped_and_tables_kept_as_rows() -> None:
    text = ("#### BAB II\n## Pasal <sup>3</sup>\nPasal24\n![](_page_3_Picture_0.jpeg)\n"
            "(1) Biaya - 3 - dibebankan pada APBD.\n**Pasal 5**\n| a | b |\n|---|---|\n| 1 | 2 |\n")
    assert plain_layout(text) == "BAB II\nPasal 3\nPasal 24\n\n(1) Biaya dibebankan pada APBD.\nPasal 5\na\tb\n1\t2\n"
