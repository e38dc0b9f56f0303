"""The answerability gate's features (``api.engine.features.gate_features``) on passages of the devset's real
regulations: what tells a near miss (the topic's words without the asked fact) from an answer."""

from __future__ import annotations

import pytest

from api.engine.features import GATE_FEATURES, GATE_SIGNS, Terms, asked_units, gate_features, unit_missing
from api.engine.learned import load_models
from api.engine.plan import QueryPlan
from api.engine.sentences import stated_answer, stated_sentence
from core.types import Passage, Region, SearchHit

# UU 13/2003 Pasal 95 (2): the fine for paying wages late is "a certain percentage", no figure.
LATE_WAGES = ("(2) Pengusaha yang karena kesengajaan atau kelalaiannya mengakibatkan keterlambatan pembayaran upah, "
              "dikenakan denda sesuai dengan persentase tertentu dari upah pekerja/buruh.")
# Pergub DKI Jakarta 41/2022 Pasal 7 (1), as its OCR layer reads it ("itiga" for "(tiga").
INCENTIVE = ("Pasal 7\n(1) Besaran Insentif ditetapkan sebesar 3% itiga persen) dari rencana penerimaan Pajak dalam "
             "tahun anggaran berkenaan untuk tiap jenis Pajak.")
# Perda Kabupaten Magelang 4/2022 Pasal 22 (2).
PAYMENT = ("(2) Pembayaran Retribusi Penggunaan TKA dilakukan sekaligus atau lunas paling lambat 30 (tiga puluh) "
           "hari sejak SKRD atau dokumen lain yang dipersamakan diterbitkan.")


@pytest.mark.parametrize(("question", "units"), [
    ("Berapa persen denda per hari bagi pengusaha yang terlambat membayar upah?", ("percent",)),
    ("What percentage of the planned tax revenue is paid as incentive?", ("percent",)),
    ("How many rupiah per month does a helper receive?", ("rupiah",)),
    ("Within how many days of the SKRD must the levy be paid?", ("day",)),
    ("Berapa tahun masa berlaku peringkat akreditasi?", ("year",)),
    # A count asked without a unit, a month or a year asked by name, a year naming an instrument: no unit.
    ("How many members sit on the supervisory board?", ()),
    ("From which month are the allowances paid?", ()),
    ("What year is written on the emblem?", ()),
    ("Peraturan Gubernur nomor berapa tahun 2019 yang diubah?", ()),
])
def test_the_unit_a_count_is_asked_in_is_read_from_the_question(question: str, units: tuple[str, ...]) -> None:
    assert asked_units(question) == units


def test_a_count_asked_in_a_unit_is_missing_where_the_text_states_no_figure_in_it() -> None:
    # The late-wage article holds "denda", "upah", "persentase" but no percentage: the near miss.
    assert unit_missing("Berapa persen denda bagi pengusaha yang terlambat membayar upah?", LATE_WAGES) == 1.0
    assert unit_missing("What percentage of the planned tax revenue is the incentive?", INCENTIVE) == 0.0
    assert unit_missing("Within how many days of the SKRD must the TKA levy be paid?", PAYMENT) == 0.0
    # Days stated do not answer a count of years, nor a sum in rupiah.
    assert unit_missing("Berapa tahun batas waktu pembayaran retribusi?", PAYMENT) == 1.0
    assert unit_missing("How many rupiah and within how many days must the levy be paid?", PAYMENT) == 0.5
    # A question asking no count in a unit has nothing to miss.
    assert unit_missing("Siapa yang dikenakan denda?", LATE_WAGES) == 0.0


def _hit(text: str, index: int = 0) -> SearchHit:
    passage = Passage(passage_id=f"p{index}", doc_id="d", index=index, text=text, start=0, end=len(text),
                      page_start=1, page_end=1, language="id")
    return SearchHit(passage=passage, title="UU 13/2003", score=1.0, dense_score=0.9)


def test_the_gate_reads_whether_the_asked_unit_is_stated_and_holds_it_against_answering() -> None:
    question = "Berapa persen denda bagi pengusaha yang terlambat membayar upah?"
    plan = QueryPlan(question=question, language="id", answer_type="amount", content=question)
    terms = Terms(("persen", "denda", "pengusaha", "terlambat", "membayar", "upah"), {}, frozenset())
    at = GATE_FEATURES.index("unit_missing")
    near_miss = gate_features([0.9], [_hit(LATE_WAGES)], [0.8], plan, terms, 0.5)
    stated = gate_features([0.9], [_hit(LATE_WAGES + "\n(3) Denda sebesar 5% (lima persen) dari upah.")], [0.8],
                           plan, terms, 0.5)
    assert (near_miss[at], stated[at]) == (1.0, 0.0)
    assert GATE_SIGNS["unit_missing"] == -1


def test_a_side_of_a_comparison_is_not_held_to_the_unit_another_side_is_asked() -> None:
    # "…, and what percentage does Magelang's bylaw set?": the percent is the other side's to state.
    question = "Berapa persen denda keterlambatan upah di Jakarta dibandingkan dengan retribusi di Magelang?"
    regions = tuple(Region(code=code, name=name, kind="provinsi", official=name, province=name)
                    for code, name in (("31", "DKI Jakarta"), ("33", "Jawa Tengah")))
    terms = Terms(("persen", "denda", "upah"), {}, frozenset())
    at = GATE_FEATURES.index("unit_missing")
    alone = QueryPlan(question=question, language="id", answer_type="amount", content=question, regions=regions[:1])
    compared = QueryPlan(question=question, language="id", answer_type="amount", content=question, regions=regions)
    assert gate_features([0.9], [_hit(LATE_WAGES)], [0.8], alone, terms, 0.5)[at] == 1.0
    assert gate_features([0.9], [_hit(LATE_WAGES)], [0.8], compared, terms, 0.5)[at] == 0.0


# Statuta Universitas Haluoleo (Permendikbud 43/2012) Pasal 42 (1): the rector's share of the votes for a dean.
DEAN_VOTE = ("Pasal 42\n(1) Tahap pemilihan Dekan dilakukan melalui pemungutan suara secara tertutup dalam rapat "
             "khusus senat fakultas, dengan ketentuan:\na. Rektor memiliki 35% (tiga puluh lima persen) hak suara "
             "dari total pemilih; dan\nb. senat Fakultas memiliki 65% (enam puluh lima persen) hak suara dan "
             "masing-masing anggota Senat Fakultas memiliki hak suara yang sama.")


def test_the_gate_reads_how_much_of_the_question_the_sentence_stating_a_figure_holds() -> None:
    # A share of the votes is stated, but the rector's for a dean, not the Minister's for a rector: the sentence
    # the sentence model reads as the answer holds "suara" and "rektor", not "menteri".
    question = "Berapa persen hak suara Menteri dalam pemilihan Rektor?"
    plan = QueryPlan(question=question, language="id", answer_type="amount", content=question)
    terms = Terms(("persen", "hak", "suara", "menteri", "pemilihan", "rektor"),
                  {"persen": 1.0, "hak": 1.0, "suara": 1.0, "menteri": 3.0, "pemilihan": 1.0, "rektor": 1.0},
                  frozenset())
    probability = load_models().sentence.probability
    value, text = stated_sentence([_hit(DEAN_VOTE)], [0.9], plan, terms, probability)
    assert value == stated_answer([_hit(DEAN_VOTE)], [0.9], plan, terms, probability) > 0.0
    assert "%" in text and text in DEAN_VOTE
    at = GATE_FEATURES.index("stated_coverage")
    near_miss = gate_features([0.9], [_hit(DEAN_VOTE)], [0.6], plan, terms, value, text)[at]
    assert near_miss == pytest.approx(1 - 3 / 8)  # every word but "menteri" (weight 3 of 8)
    answer = ("Menteri memiliki hak suara sebesar 35% (tiga puluh lima persen) dari total pemilih dalam pemilihan "
              "Rektor.")
    value, text = stated_sentence([_hit(DEAN_VOTE), _hit(answer, 1)], [0.9, 0.8], plan, terms, probability)
    assert gate_features([0.9], [_hit(DEAN_VOTE)], [0.6], plan, terms, value, text)[at] > near_miss
    assert GATE_SIGNS["stated_coverage"] == 1


def test_with_no_sentence_of_the_asked_shape_the_best_sentence_stands_in_for_the_stated_one() -> None:
    # "How many" asks an amount, whose patterns miss a bare count; stated_answer is 0 and says so already, so the
    # coverage feature reads the sentence holding most of the question rather than a second zero.
    question = "Berapa persen hak suara Rektor dalam pemilihan Dekan?"
    plan = QueryPlan(question=question, language="id", answer_type="amount", content=question)
    terms = Terms(("hak", "suara", "rektor", "pemilihan", "dekan"), {}, frozenset())
    row = gate_features([0.9], [_hit(DEAN_VOTE)], [0.6], plan, terms, 0.0, "")
    assert row[GATE_FEATURES.index("stated_coverage")] == row[GATE_FEATURES.index("best_sentence")] > 0.5
