"""The gate's reading of whether the best passages state the answer (api/engine/sentences.py)."""

from __future__ import annotations

from dataclasses import replace

from api.engine.features import Terms
from api.engine.learned import load_models
from api.engine.plan import QueryPlan, answer_type
from api.engine.sentences import quotable, stated_answer
from core.types import Passage, PassageRole, SearchHit


def _hit(text: str, index: int = 0) -> SearchHit:
    passage = Passage(passage_id=f"p{index}", doc_id="d", index=index, text=text, start=0, end=len(text),
                      page_start=1, page_end=1, language="id", role=PassageRole.ARTICLE, pasal=str(index + 1))
    return SearchHit(passage=passage, title="d", score=1.0)


def _plan(question: str) -> QueryPlan:
    return QueryPlan(question=question, language="id", answer_type=answer_type(question), content=question)


TERMS = Terms(("tarif", "retribusi", "trayek"), {"tarif": 2.0, "retribusi": 1.0, "trayek": 3.0}, frozenset())
STATES = "Tarif retribusi izin trayek ditetapkan sebesar Rp 50.000,00 (lima puluh ribu rupiah) per kendaraan."
NEAR_MISS = "Retribusi izin trayek dipungut atas pemberian izin trayek kepada orang pribadi atau badan."


def test_a_near_miss_states_no_amount_so_the_gate_reads_nothing_stated():
    plan = _plan("Berapa tarif retribusi izin trayek per kendaraan?")
    assert plan.answer_type == "amount"
    sentence = load_models().sentence.probability
    assert stated_answer([_hit(NEAR_MISS)], [0.9], plan, TERMS, sentence) == 0.0
    stated = stated_answer([_hit(NEAR_MISS), _hit(STATES, 1)], [0.9, 0.8], plan, TERMS, sentence)
    assert 0.0 < stated <= 1.0


def test_an_unshaped_question_reads_every_quotable_sentence():
    plan = _plan("Bagaimana retribusi izin trayek dipungut?")
    assert stated_answer([_hit(NEAR_MISS)], [0.9], plan, TERMS, load_models().sentence.probability) > 0.0


def test_closings_and_annex_titles_are_quoted_only_when_the_instrument_itself_is_asked():
    closing = "Ditetapkan di Pinrang pada tanggal 20 Juni 2017 BUPATI PINRANG, ttd ANDI ASLAM PATONANGI"
    plan = _plan("Berapa tarif retribusi izin trayek?")
    assert not quotable(closing, plan)
    assert quotable(closing, replace(plan, about_instrument=True))
    assert not quotable("a.", plan)


def test_a_caption_stating_no_figure_is_not_quoted_but_a_table_row_or_a_list_item_is():
    plan = _plan("How do Balikpapan and Samarinda regulate SPBE?")
    assert not quotable("SPBE Index Categories of Balikpapan City & Samarinda City", plan)
    assert quotable("3,5324 – 4,00 88,31 – 100,00 A Sangat baik", plan)
    assert quotable("b. Retribusi Penggunaan TKA", plan, item=True)
    assert quotable("SPBE Index Categories of Balikpapan City & Samarinda City", replace(plan, about_instrument=True))
