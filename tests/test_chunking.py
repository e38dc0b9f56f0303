"""split_passages: passages follow sections and paragraphs, Pasal by Pasal, and lose nothing."""

from __future__ import annotations

from functools import cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.settings import PROJECT_ROOT
from core.types import CleanDocument, Page, PageSpan, Section
from ingest.chunking import Chunk, section_label, split_passages
from ingest.cleaning import clean_pages
from ingest.structure import find_sections

PAPERS = PROJECT_ROOT / "documents" / "papers"
SMALL = {"target_chars": 60, "max_chars": 100, "overlap_chars": 15}


def doc_of(text: str) -> CleanDocument:
    return CleanDocument(text=text, pages=(PageSpan(number=1, start=0, end=len(text)),))


@cache
def paper(name: str) -> CleanDocument:
    raw = next(PAPERS.glob(f"{name}_*.txt")).read_text(encoding="utf-8")
    return clean_pages([Page(number=1, text=raw)])


def assert_passage_invariants(text: str, chunks: list[Chunk], tops: list[tuple[int, int]], max_chars: int) -> None:
    covered = bytearray(len(text))
    for chunk in chunks:
        piece = text[chunk.start : chunk.end]
        assert 0 <= chunk.start < chunk.end <= len(text)
        assert piece == piece.strip() and piece
        assert len(piece) <= max_chars
        covered[chunk.start : chunk.end] = b"\x01" * len(piece)
        for start, end in tops:  # never across a top-level boundary
            assert not (chunk.start < start < chunk.end or chunk.start < end < chunk.end)
    assert [c.start for c in chunks] == sorted(c.start for c in chunks)
    lost = [i for i, char in enumerate(text) if not char.isspace() and not covered[i]]
    assert not lost, f"uncovered text at {lost[:5]}"


# --- properties ---

TOKENS = st.one_of(
    st.text(alphabet="abcdefghij", min_size=1, max_size=12),
    st.sampled_from([" ", " ", " ", "\n", "\n\n", ". ", ", ", "; ", "\t", " \n \n", "Pasal 1", "(2) "]),
    st.text(alphabet="xyz", min_size=90, max_size=250),  # longer than any passage, with nowhere to cut
)
TEXT = st.lists(TOKENS, max_size=120).map("".join)


@st.composite
def text_and_sections(draw: st.DrawFn) -> tuple[str, list[Section]]:
    """Leaf sections with gaps between them; some are Pasal with ayat sections nested inside."""
    text = draw(TEXT)
    points = sorted(set(draw(st.lists(st.integers(0, len(text)), max_size=12))))
    sections = []
    for i, (start, end) in enumerate(zip(points[::2], points[1::2], strict=False)):
        if end <= start:
            continue
        if draw(st.booleans()):
            path = ("BAB I", f"Pasal {i + 1}")
            sections.append(Section(path=path, start=start, end=end, kind="pasal"))
            inner = sorted(set(draw(st.lists(st.integers(start, end), max_size=4))))
            for n, (a, b) in enumerate(zip(inner, inner[1:], strict=False)):
                if b > a:
                    sections.append(
                        Section(path=("BAB I", f"Pasal {i + 1} ayat ({n + 1})"), start=a, end=b, kind="ayat")
                    )
        else:
            sections.append(Section(path=(f"Heading {i}",), start=start, end=end, kind="text"))
    return text, sections


@settings(max_examples=300, deadline=None)
@given(text_and_sections())
def test_passages_are_exact_trimmed_bounded_ordered_and_lose_nothing(case):
    text, sections = case
    chunks = split_passages(doc_of(text), sections, **SMALL)
    tops = [(s.start, s.end) for s in sections if s.kind != "ayat"]
    assert_passage_invariants(text, chunks, tops, SMALL["max_chars"])


HEADED_LINES = st.lists(
    st.one_of(
        st.sampled_from(
            [
                "ABSTRACT",
                "1. INTRODUCTION",
                "1.1 Data Sources",
                "HASIL DAN PEMBAHASAN",
                "",
                "",
                "Regulation: Two Faces of One Mandate",
                "REFERENCES",
            ]
        ),
        TEXT,
    ),
    max_size=25,
)


@settings(max_examples=200, deadline=None)
@given(HEADED_LINES)
def test_passages_follow_the_sections_found_in_the_text(lines):
    text = "\n\n".join(lines)
    sections = find_sections(text)
    chunks = split_passages(doc_of(text), sections, **SMALL)
    assert_passage_invariants(text, chunks, [(s.start, s.end) for s in sections], SMALL["max_chars"])
    for chunk in chunks:
        owner = next(s for s in sections if s.start <= chunk.start < s.end)
        assert chunk.section == section_label(owner.path)


# --- regulations: one Pasal, one passage; a long Pasal splits at its ayat ---

AYAT = [
    "(1) Pemerintah Daerah wajib menyediakan informasi publik yang berada di bawah kewenangannya. ",
    "(2) Informasi publik sebagaimana dimaksud pada ayat (1) disediakan melalui PPID dan sarana elektronik. ",
    "(3) Ketentuan lebih lanjut mengenai tata cara penyediaan informasi diatur dengan Keputusan Wali Kota. ",
]


def pasal_doc(repeat: int) -> tuple[str, list[Section]]:
    """'BAB III / Bagian Kedua' then 'Pasal 12' with three ayat, each ayat ``repeat`` sentences long."""
    heading = "BAB III\nPELAYANAN INFORMASI\nBagian Kedua\nKewajiban\n"
    text = heading + "Pasal 12\n"
    ayat_spans = []
    for sentence in AYAT:
        start = len(text)
        text += (sentence * repeat).strip() + "\n"
        ayat_spans.append((start, len(text) - 1))
    pasal = Section(path=("BAB III", "Bagian Kedua", "Pasal 12"), start=len(heading), end=len(text), kind="pasal")
    ayat = [
        Section(path=("BAB III", "Bagian Kedua", f"Pasal 12 ayat ({n})"), start=s, end=e, kind="ayat")
        for n, (s, e) in enumerate(ayat_spans, start=1)
    ]
    return text, [pasal, *ayat]


def test_a_pasal_that_fits_is_one_passage():
    text, sections = pasal_doc(1)
    chunks = split_passages(doc_of(text), sections)
    pasal_chunks = [c for c in chunks if c.kind == "pasal"]
    assert len(pasal_chunks) == 1
    only = pasal_chunks[0]
    assert text[only.start : only.end].startswith("Pasal 12\n(1)") and text[only.end - 1] == "."
    assert only.pasal == "12" and only.section == "BAB III › Bagian Kedua › Pasal 12"


def test_text_outside_any_section_is_still_chunked_as_headings():
    text, sections = pasal_doc(1)
    chunks = split_passages(doc_of(text), sections)
    assert chunks[0].section == "" and text[chunks[0].start : chunks[0].end].startswith("BAB III")
    assert chunks[0].kind == "heading"


def test_a_long_pasal_splits_at_its_ayat():
    text, sections = pasal_doc(7)
    chunks = split_passages(doc_of(text), sections)
    ayat_chunks = [c for c in chunks if c.kind == "ayat"]
    assert [c.section.rsplit(" › ", 1)[-1] for c in ayat_chunks] == [f"Pasal 12 ayat ({n})" for n in (1, 2, 3)]
    assert all(c.pasal == "12" for c in ayat_chunks)
    assert text[ayat_chunks[0].start :].startswith("Pasal 12\n(1)")  # the Pasal's heading stays with ayat (1)
    assert text[ayat_chunks[1].start :].startswith("(2)")
    assert all(a.end <= b.start for a, b in zip(ayat_chunks, ayat_chunks[1:], strict=False))  # no overlap


def test_short_ayat_share_a_passage_named_by_their_range():
    text, sections = pasal_doc(7)
    short = "(4) Ketentuan ini berlaku.\n(5) Cukup jelas."
    pasal = sections[0].model_copy(update={"end": len(text) + len(short)})
    fourth = Section(path=("BAB III", "Bagian Kedua", "Pasal 12 ayat (4)"), start=len(text), end=len(text) + 26,
                     kind="ayat")
    fifth = Section(path=("BAB III", "Bagian Kedua", "Pasal 12 ayat (5)"), start=len(text) + 27,
                    end=len(text) + len(short), kind="ayat")
    text += short
    chunks = split_passages(doc_of(text), [pasal, *sections[1:], fourth, fifth])
    labels = [c.section.rsplit(" › ", 1)[-1] for c in chunks if c.kind == "ayat"]
    assert labels == ["Pasal 12 ayat (1)", "Pasal 12 ayat (2)", "Pasal 12 ayat (3)–(5)"]
    last = next(c for c in chunks if c.section.endswith("(3)–(5)"))
    assert text[last.start : last.end].startswith("(3)") and text[last.start : last.end].endswith("Cukup jelas.")


def test_an_amended_article_is_filed_under_the_amending_article():
    # Perwali 19/2024 has no Pasal 11: the new wording of Pasal 11 of Perwali 48/2021 is its Pasal I.
    text = "Pasal I\nKetentuan Pasal 11 diubah sehingga berbunyi sebagai berikut:\nPasal 11\nData dikelola."
    sections = [Section(path=("Pasal I", "Pasal 11 (diubah)"), start=0, end=len(text), kind="pasal")]
    (chunk,) = split_passages(doc_of(text), sections)
    assert (chunk.section, chunk.pasal) == ("Pasal I › Pasal 11 (diubah)", "I")


def test_an_ayat_too_long_is_cut_with_overlap_at_sentence_ends():
    text, sections = pasal_doc(25)
    chunks = split_passages(doc_of(text), sections, target_chars=1000, max_chars=1600, overlap_chars=150)
    second = [c for c in chunks if c.section.endswith("Pasal 12 ayat (2)")]
    assert len(second) >= 2
    assert all(c.end - c.start <= 1600 for c in second)
    assert all(b.start < a.end for a, b in zip(second, second[1:], strict=False))  # overlapping cuts
    assert all(text[c.end - 1] == "." for c in second)


def test_whole_paragraphs_are_packed_without_overlap():
    paragraphs = [f"Paragraf {n} membahas pelayanan publik. " * 8 for n in range(8)]
    text = "\n\n".join(p.strip() for p in paragraphs)
    chunks = split_passages(doc_of(text), [Section(path=("PENDAHULUAN",), start=0, end=len(text))])
    assert len(chunks) > 1
    for chunk in chunks:
        assert chunk.start == 0 or text[chunk.start - 2 : chunk.start] == "\n\n"
        assert chunk.end == len(text) or text[chunk.end : chunk.end + 2] == "\n\n"
        assert chunk.end - chunk.start <= 1000
    assert all(a.end < b.start for a, b in zip(chunks, chunks[1:], strict=False))


def test_paper_passages_carry_their_section_paths():
    doc = paper("000")
    sections = find_sections(doc.text)
    chunks = split_passages(doc, sections)
    labels = {c.section for c in chunks}
    assert "RESULTS AND DISCUSSION › Regulation: Two Faces of Implementation from One National Mandate" in labels
    assert_passage_invariants(doc.text, chunks, [(s.start, s.end) for s in sections], 1600)
    references = [c for c in chunks if c.section == "REFERENCES"]
    assert references and all(c.kind == "references" for c in references)


def test_fifty_megabytes_on_one_line_chunk_in_seconds():
    text = "Pemerintah kota menerapkan tata kelola cerdas untuk pelayanan publik yang lebih baik. " * 600_000
    text = text.strip()
    chunks = split_passages(doc_of(text), [])
    assert chunks[0].start == 0 and chunks[-1].end == len(text)
    assert max(c.end - c.start for c in chunks) <= 1600


def test_section_label_joins_the_path():
    path = ("BAB III", "Bagian Kedua", "Pasal 12 ayat (3)")
    assert section_label(path) == "BAB III › Bagian Kedua › Pasal 12 ayat (3)"
    assert section_label(()) == ""


@pytest.mark.parametrize("sizes", [(0, 100, 10), (200, 100, 10), (100, 200, 100), (100, 200, -1)])
def test_inconsistent_sizes_are_refused(sizes):
    target, maximum, overlap = sizes
    with pytest.raises(ValueError):
        split_passages(doc_of("text"), [], target_chars=target, max_chars=maximum, overlap_chars=overlap)
