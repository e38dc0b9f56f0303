"""Exports of a comparison and an answer (Markdown, CSV, DOCX): the answers, the matrix and every citation with its
label and quote, in the interface's language, with document text kept as text."""

from __future__ import annotations

import csv
import io
from datetime import date

from docx import Document

from core.types import Answer, AnswerSentence, Citation, CityAnswer, Comparison, MatrixCell, Region, RegulationRef
from ui.exports import answer_markdown, comparison_csv, comparison_docx, comparison_markdown

BPN = Region(code="64.71", name="Balikpapan", kind="kota", official="Kota Balikpapan", province="Kalimantan Timur")
SMD = Region(code="64.72", name="Samarinda", kind="kota", official="Kota Samarinda", province="Kalimantan Timur")
NAMES = {BPN.code: BPN.official, SMD.code: SMD.official}
PERWALI = RegulationRef(instrument="Perwali", number="31", year=2020, region_code="64.71",
                        region_name="Kota Balikpapan", subject="Penyelenggaraan SPBE")
CITE = Citation(marker=1, passage_id="p1", doc_id="d1", title="Sectoral Ego", page=9, section="Pasal 2",
                start=0, end=40, quote="Mayor's Regulation 31/2020 on *SPBE* | [link](http://x)", city="64.71",
                label="Pasal 2, Perwali Kota Balikpapan No. 31 Tahun 2020, p. 9")
COMPARISON = Comparison(
    topic="SPBE", cities=(BPN, SMD),
    answers=(CityAnswer(city=BPN.code, city_name=BPN.official,
                        sentences=(AnswerSentence(text="Balikpapan regulates SPBE by Perwali 31/2020.",
                                                  citations=(1,)),)),
             CityAnswer(city=SMD.code, city_name=SMD.official, no_evidence=True)),
    citations=(CITE,), aspects=("SPBE", "Banjir"),
    matrix=(MatrixCell(aspect="SPBE", city=BPN.code, instruments=(PERWALI,), citations=(CITE,)),
            MatrixCell(aspect="SPBE", city=SMD.code)),
)
DAY = date(2026, 12, 4)


def test_comparison_markdown_holds_answers_matrix_and_labelled_citations_in_indonesian() -> None:
    text = comparison_markdown(COMPARISON, NAMES, "id", today=DAY)
    assert text.startswith("# Perbandingan: SPBE")
    assert "Balikpapan regulates SPBE by Perwali 31/2020. [1]" in text
    assert "Korpus tidak memuat bukti tentang topik ini untuk Kota Samarinda." in text
    assert "| SPBE | Perwali Kota Balikpapan No. 31 Tahun 2020 — Penyelenggaraan SPBE [1] | — |" in text
    assert "Banjir" not in text  # an aspect no city has stays out of the table
    assert "1. Pasal 2, Perwali Kota Balikpapan No. 31 Tahun 2020, hlm. 9" in text
    # document text cannot become emphasis, a table cell break or a link
    assert r"\*SPBE\*" in text and r"\|" in text and r"\[link\](http://x)" in text


def test_comparison_csv_has_a_row_per_answer_matrix_cell_and_citation() -> None:
    rows = list(csv.reader(io.StringIO(comparison_csv(COMPARISON, NAMES, "en"))))
    assert rows[0] == ["Kind", "City", "Aspect", "Text", "Marker", "Reference", "Quote"]
    kinds = [row[0] for row in rows[1:]]
    assert kinds == ["answer", "answer", "matrix", "matrix", "citation"]
    citation = rows[-1]
    assert citation[4] == "1" and citation[5].endswith("p. 9") and citation[6] == " ".join(CITE.quote.split())


def test_comparison_docx_opens_in_word_with_the_matrix_as_a_table() -> None:
    doc = Document(io.BytesIO(comparison_docx(COMPARISON, NAMES, "en", today=DAY)))
    paragraphs = [p.text for p in doc.paragraphs]
    assert "Comparison: SPBE" in paragraphs
    assert any(p.startswith("[1] Pasal 2, Perwali Kota Balikpapan No. 31 Tahun 2020, p. 9") for p in paragraphs)
    assert CITE.quote in paragraphs
    table = doc.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["Aspect", "Kota Balikpapan", "Kota Samarinda"]
    assert table.rows[1].cells[1].text.startswith("Perwali Kota Balikpapan No. 31 Tahun 2020")


def test_answer_markdown_carries_its_citations_and_a_refusal_says_what_was_searched() -> None:
    answer = Answer(question="Siapa mengatur SPBE?", text="Perwali 31/2020 mengatur SPBE. [1]", covered=True,
                    citations=(CITE,))
    text = answer_markdown(answer, "id", today=DAY)
    assert "# Pertanyaan: Siapa mengatur SPBE?" in text and "[1]" in text and "hlm. 9" in text
    refused = Answer(question="banjir?", text="", covered=False, searched="Korpus ditelusuri untuk “banjir?”.")
    text = answer_markdown(refused, "id", today=DAY)
    assert "Korpus tidak memuat bukti yang cukup" in text and "ditelusuri" in text
