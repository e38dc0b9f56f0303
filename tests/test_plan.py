"""Query analysis: the typed plan a question becomes (api/engine/plan.py)."""

from __future__ import annotations

import pytest

from api.engine.plan import QueryPlan, answer_type, asked_articles, content_text, identity_roles, resolve_instruments
from core.types import DocumentMeta, PassageRole, Region, RegulationRef

PINRANG = Region(code="73.15", name="Pinrang", kind="kabupaten", official="Kabupaten Pinrang",
                 province="Sulawesi Selatan")


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("How much is the incentive paid to tax collectors?", "amount"),
        ("Berapa besaran retribusi yang dikenakan?", "amount"),
        ("How long does the agency have to respond to a complaint?", "duration"),
        ("Paling lambat berapa hari laporan harus ditindaklanjuti?", "duration"),
        ("When did the regulation take effect?", "date"),
        ("Kapan peraturan ini mulai berlaku?", "date"),
        ("Who is responsible for supervising the programme?", "who"),
        ("Siapa yang menetapkan tim pengawas?", "who"),
        ("What is meant by barang milik daerah?", "definition"),
        ("Apa yang dimaksud dengan kendaraan tidak bermotor?", "definition"),
        ("Apa saja tugas Sekretaris Daerah?", "list"),
        ("Apakah kendaraan tidak bermotor wajib didaftarkan?", "yesno"),
        ("Describe the regional planning process.", "other"),
    ],
)
def test_answer_type_is_read_from_the_question_words(question: str, expected: str) -> None:
    assert answer_type(question) == expected


def test_asked_articles_include_inserted_ones_and_english_forms() -> None:
    assert asked_articles("What does Pasal 12A say, and Article 5?") == ("12a", "5")
    assert asked_articles("Apa isi Pasal 3 ayat (2)?") == ("3",)
    assert asked_articles("Apa isi Pasal II?") == ("ii",)
    assert asked_articles("What does the bylaw say about fees?") == ()


def test_the_words_naming_an_instrument_are_not_matched_against_its_text() -> None:
    assert content_text("Apa isi Pasal 3 Perbup Pinrang 3/2015?", [PINRANG]) == "apa isi pasal 3 ?"
    english = content_text("What does the Regional Regulation of Pinrang Regency No. 7 of 2019 revoke?", [PINRANG])
    assert english == "what does revoke ?"
    assert content_text("Berapa besaran insentif menurut Pergub Nomor 41 Tahun 2022?") == \
        "berapa besaran insentif menurut ?"


def _meta(doc_id: str, instrument: str, number: str, year: int, region: str | None) -> DocumentMeta:
    ref = RegulationRef(instrument=instrument, number=number, year=year, region_code=region)
    return DocumentMeta(doc_id=doc_id, filename=f"{doc_id}.pdf", media_type="application/pdf", title=doc_id,
                        regulation=ref, doc_type="regulation")


def test_named_instruments_resolve_to_their_documents_and_the_named_region_wins() -> None:
    metas = {m.doc_id: m for m in (
        _meta("perbup-pinrang", "Perbup", "3", 2015, "73.15"),
        _meta("perda-elsewhere", "Perda", "3", 2015, "64.71"),
        _meta("kepbup", "Kepbup", "521/1", 2015, "73.15"),
    )}
    (named,) = resolve_instruments([("3", 2015)], metas, [PINRANG])
    assert named.doc_ids == ("perbup-pinrang",)
    (both,) = resolve_instruments([("3", 2015)], metas, [])
    assert set(both.doc_ids) == {"perbup-pinrang", "perda-elsewhere"}
    (slashed,) = resolve_instruments([("521", 2015)], metas, [])
    assert slashed.doc_ids == ("kepbup",)
    (missing,) = resolve_instruments([("9", 2001)], metas, [])
    assert missing.doc_ids == ()


@pytest.mark.parametrize(("question", "roles"), [
    ("Who signed Perwali 31/2020, and when?", {PassageRole.CLOSING}),
    ("Kapan Perda 3/2017 diundangkan?", {PassageRole.CLOSING}),
    ("Siapa yang menandatangani Perbup 24/2025?", {PassageRole.CLOSING}),
    ("Apa judul lengkap Perbup 24/2025?", {PassageRole.TITLE}),
    ("What is Perwali 31/2020 about?", {PassageRole.TITLE}),
    ("What is the title of Perda 5/2019 and who signed it?", {PassageRole.TITLE, PassageRole.CLOSING}),
])
def test_a_question_about_an_instrument_reads_the_part_of_it_that_states_what_is_asked(
    question: str, roles: set[PassageRole]
) -> None:
    plan = QueryPlan(question=question, language="en", answer_type=answer_type(question), about_instrument=True)
    assert identity_roles(plan) == roles
