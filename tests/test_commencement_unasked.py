"""A regulation's own commencement clause answers only when it takes effect (api/engine/extractive.py,
``unasked_commencement``): in "why was Perda Irigasi 16/2008 revoked" it would take the place of a reason."""

from __future__ import annotations

from api.engine.extractive import unasked_commencement
from api.engine.plan import QueryPlan, answer_type, asks_about_instrument, asks_commencement

# Sentences of Perda Kabupaten Pinrang 3/2017, Keputusan Kepala LAPAN 2006 and Pergub DKI Jakarta 41/2022.
OWN_CLAUSE = "Pasal 2\nPeraturan Daerah ini mulai berlaku pada tanggal diundangkan."
DIKTUM = "KEEMPAT : Keputusan ini mulai berlaku pada tanggal ditetapkan dan berlaku surut sejak tanggal 1 Januari 2006."
TRANSITIONAL = "Pasal 17\nPada saat Peraturan Gubernur ini mulai berlaku:"
RULE = "Pengusaha wajib membuat peraturan perusahaan yang mulai berlaku setelah disahkan oleh Menteri."


def _plan(question: str) -> QueryPlan:
    return QueryPlan(question=question, language="id", answer_type=answer_type(question), content=question,
                     commencement=asks_commencement(question), about_instrument=asks_about_instrument(question))


def test_an_unasked_commencement_clause_is_known_and_an_asked_one_is_not() -> None:
    why = _plan("Bandingkan alasan pencabutan Perda Irigasi 16/2008 dalam Perda Pinrang 3/2017.")
    assert unasked_commencement(OWN_CLAUSE, why) and unasked_commencement(DIKTUM, why)
    # A transitional clause names the commencement to say what it replaces; a rule's own start is a rule.
    assert not unasked_commencement(TRANSITIONAL, why) and not unasked_commencement(RULE, why)
    for asking in ("Kapan Perda Pinrang 3/2017 mulai berlaku?", "When does LAPAN's 2006 decree take effect?",
                   "From when does the amendment apply?"):
        assert not unasked_commencement(OWN_CLAUSE, _plan(asking)), asking
