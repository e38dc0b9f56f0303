"""find_sections: headed sections of papers and plans, with nested paths."""

from __future__ import annotations

from functools import cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.settings import PROJECT_ROOT
from core.types import Page, Section
from ingest.cleaning import clean_pages
from ingest.structure import find_sections

PAPERS = PROJECT_ROOT / "documents" / "papers"


@cache
def paper_text(name: str) -> str:
    raw = next(PAPERS.glob(f"{name}_*.txt")).read_text(encoding="utf-8")
    return clean_pages([Page(number=1, text=raw)]).text


def main_headings(sections: list[Section]) -> list[str]:
    return list(dict.fromkeys(s.path[0] for s in sections if s.path))


def assert_covering(text: str, sections: list[Section]) -> None:
    assert sections[0].start == 0 and sections[-1].end == len(text)
    for before, after in zip(sections, sections[1:], strict=False):
        assert before.end == after.start and before.start < before.end


# Headings as printed in each paper, in the order they appear.
PAPER_HEADINGS = {
    "000": ["ABSTRACT", "INTRODUCTION", "RESEARCH METHOD", "RESULTS AND DISCUSSION", "CONCLUSION", "REFERENCES"],
    "001": ["Abstract", "Introduction", "Literature Review", "Research Method", "Results", "Conclusion", "References"],
    "002": [
        "ABSTRACT",
        "PENDAHULUAN",
        "KAJIAN PUSTAKA",
        "METODE PENELITIAN",
        "HASIL PENELITIAN DAN PEMBAHASAN",
        "KESIMPULAN",
    ],
    "003": [
        "ABSTRACT",
        "1. INTRODUCTION",
        "2. METHODOLOGY",
        "3. RESULTS AND DISCUSSIONS",
        "4. CONCLUSION",
        "REFERENCES",
    ],
    "004": [
        "Abstrak",
        "Abstract",
        "Pendahuluan",
        "Metode Penelitian",
        "Hasil dan Pembahasan",
        "Kesimpulan",
        "Daftar Pustaka",
    ],
}


@pytest.mark.parametrize("name", sorted(PAPER_HEADINGS))
def test_paper_main_headings_are_found_in_order_and_sections_cover_the_text(name):
    text = paper_text(name)
    sections = find_sections(text)
    assert main_headings(sections) == PAPER_HEADINGS[name]
    assert_covering(text, sections)
    for section in sections:
        if section.path:  # each section opens with its own heading (maybe under an empty parent heading)
            assert section.path[-1] in text[section.start : section.start + 400].replace("*", "")


def test_title_case_lines_standing_alone_are_subsections_of_their_chapter():
    sections = find_sections(paper_text("000"))
    paths = [s.path for s in sections]
    chapter = "RESULTS AND DISCUSSION"
    assert (chapter, "Regulation: Two Faces of Implementation from One National Mandate") in paths
    assert (chapter, "Institutions: Sectoral Ego versus Collaboration in Digital Transformation") in paths
    # captions and sources under figures are not headings
    assert not any(part.startswith(("Table", "Figure", "Source")) for path in paths for part in path)


def test_numbered_subheadings_nest_by_their_numbers():
    paths = [s.path for s in find_sections(paper_text("003"))]
    chapter = "3. RESULTS AND DISCUSSIONS"
    parent = "3.3 Innovation in Smart Governance development in Malang City"
    assert (chapter, parent, "3.3.2 Human resources") in paths
    assert (chapter, "3.4 Analysis of Smart Governance development and digitalization process") in paths


def test_keywords_after_a_lead_in_are_not_a_heading():
    paths = [s.path for s in find_sections(paper_text("003"))]
    assert not any(part.startswith("Smart City, Smart Governance") for path in paths for part in path)


def test_markdown_levels_do_not_outrank_known_chapter_names():
    sections = find_sections(paper_text("004"))
    paths = [s.path for s in sections]
    assert ("Hasil dan Pembahasan", "Faktor Pendorong dan Hambatan Kolaborasi") in paths
    assert ("Hasil dan Pembahasan", "Bentuk dan Mekanisme Collaborative Governance") in paths
    assert ("Hasil dan Pembahasan", "Dampak terhadap Transformasi Layanan Publik") in paths
    # "### Hasil dan Pembahasan" sits right above "#### Bentuk ...": its line joins that section
    first = next(s for s in sections if s.path and s.path[-1] == "Bentuk dan Mekanisme Collaborative Governance")
    assert paper_text("004")[first.start :].startswith("### Hasil dan Pembahasan")


def test_front_matter_and_references_have_their_own_kinds():
    sections = find_sections(paper_text("001"))
    assert sections[0].kind == "title" and sections[0].path == ()
    assert paper_text("001")[: sections[0].end].startswith("Smart Governance Implementation in Balikpapan City")
    assert sections[-1].kind == "references" and sections[-1].path == ("References",)


def test_list_items_in_the_body_are_not_headings():
    paths = [s.path for s in find_sections(paper_text("001"))]
    assert not any("Regional Government Sector" in part for path in paths for part in path)


def test_roman_and_chapter_headings_of_plans():
    text = (
        "RENCANA PEMBANGUNAN\n\nBAB I\nPENDAHULUAN\n\n1.1 Latar Belakang\n\n"
        + "Kalimat latar belakang. " * 10
        + "\n\n1.2 Maksud dan Tujuan\n\n"
        + "Kalimat tujuan. " * 10
        + "\n\nBAB II\nGAMBARAN UMUM KONDISI DAERAH\n\n"
        + "Kalimat gambaran. " * 10
        + "\n\nII. METODE\n\n"
        + "Kalimat metode. " * 10
    )
    paths = [s.path for s in find_sections(text)]
    assert ("BAB I PENDAHULUAN", "1.2 Maksud dan Tujuan") in paths
    assert ("BAB II GAMBARAN UMUM KONDISI DAERAH",) in paths
    assert ("II. METODE",) in paths


def test_text_without_headings_is_one_section():
    text = "Sebuah catatan pendek tanpa judul bagian.\n\nParagraf kedua."
    assert find_sections(text) == [Section(path=(), start=0, end=len(text), kind="text")]
    assert find_sections("  \n ") == []


LINES = st.lists(
    st.one_of(
        st.sampled_from(
            [
                "ABSTRACT",
                "## Pendahuluan",
                "2. METHODS",
                "2.1 Data Sources",
                "HASIL DAN PEMBAHASAN",
                "Regulation: Two Faces of One Mandate",
                "REFERENCES",
                "",
                "BAB IV",
                "**Bold Heading**",
            ]
        ),
        st.text(max_size=200),
    ),
    max_size=30,
)


@settings(max_examples=200, deadline=None)
@given(LINES)
def test_sections_always_cover_any_text_in_order(lines):
    text = "\n".join(lines)
    sections = find_sections(text)
    if not text.strip():
        assert sections == []
        return
    assert_covering(text, sections)
