"""The gate's reading of whether the best passages state the answer (api/engine/sentences.py), and the order it
reads them in (api/engine/retrieval.py)."""

from __future__ import annotations

from dataclasses import replace

from api.engine.extractive import Evidence, with_answered_rivals
from api.engine.features import Terms, passage_features
from api.engine.learned import load_models
from api.engine.plan import NamedInstrument, QueryPlan, answer_type, asks_reason
from api.engine.retrieval import Candidates, Group, rank_candidates
from api.engine.sentences import candidate_sentences, quotable, stated_answer
from core.types import Passage, PassageRole, SearchHit


def _hit(text: str, index: int = 0) -> SearchHit:
    passage = Passage(passage_id=f"p{index}", doc_id="d", index=index, text=text, start=0, end=len(text),
                      page_start=1, page_end=1, language="id", role=PassageRole.ARTICLE, pasal=str(index + 1))
    return SearchHit(passage=passage, title="d", score=1.0)


def _plan(question: str) -> QueryPlan:
    return QueryPlan(question=question, language="id", answer_type=answer_type(question), content=question,
                     reason=asks_reason(question))


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


def test_a_lettered_item_closed_by_a_comma_is_quoted_but_an_unclosed_caption_is_not():
    # Diktum KEDUA of Kepbup Pinrang 521/2015: a decree's items end in a comma as others end in a semicolon.
    kedua = ("KEDUA : Kuasa Pengguna Anggaran sebagaimana dimaksud dalam diktum KESATU mempunyai tugas sebagai "
             "berikut :\na. Menetapkan PPK, PP-SPM dan Bendahara Pengeluaran,\nb. Mengesahkan Rencana Pelaksanaan "
             "Kegiatan atau Petunjuk Operasional Kegiatan (POK) dan merencanakan penarikan dana di satuan kerja "
             "masing-masing,")
    plan = _plan("Pejabat pengelola keuangan apa saja yang ditetapkan oleh Kuasa Pengguna Anggaran?")
    texts = [s.text for s in candidate_sentences(_hit(kedua).passage) if quotable(s.text, plan, s.item)]
    assert "a. Menetapkan PPK, PP-SPM dan Bendahara Pengeluaran," in texts
    assert not quotable("a. mengambil masa persiapan pensiun", plan)  # no closing mark: as a caption reads
    assert not quotable("Susunan Organisasi Dinas Kesehatan,", plan)  # a comma closes an item, not a caption


def _ranked_ids(question: str) -> list[str]:
    """The order answering ranks a considering clause the passage model prefers and an article."""
    considering = _hit("Menimbang: a. bahwa tarif retribusi izin trayek perlu ditetapkan kembali.", 0)
    considering = considering.model_copy(update={"passage": considering.passage.model_copy(
        update={"role": PassageRole.KONSIDERANS, "pasal": None})})
    article = _hit(STATES, 1)
    plan = _plan(question)
    models = load_models()
    rows = tuple(passage_features(h, rank, plan, TERMS, coverage, coverage, 0.8, 1.0)
                 for rank, (h, coverage) in enumerate(((considering, 1.0), (article, 0.4))))
    assert models.passage.probability(rows[0]) > models.passage.probability(rows[1])
    found = Candidates(Group(), (considering, article), rows, (1.0, 0.4))
    return [h.passage.passage_id for h in rank_candidates(found, plan, TERMS, models).hits]


def test_considering_clauses_rank_below_the_articles_unless_the_question_asks_why_or_on_what_basis():
    assert _ranked_ids("Berapa tarif retribusi izin trayek?") == ["p1", "p0"]
    assert _ranked_ids("Mengapa tarif retribusi izin trayek ditetapkan kembali?") == ["p0", "p1"]
    assert asks_reason("Which letter from the minister approved the job classes?")
    assert asks_reason("Putusan Mahkamah Konstitusi mana yang menjadi dasar pencabutan?")
    assert asks_reason("Keputusan Menteri Dalam Negeri nomor berapa yang membatalkan Perda itu?")
    assert not asks_reason("What fine does the regulation impose on a business?")


def test_a_named_side_beside_an_answered_one_is_read_from_its_best_passages_but_no_side_alone_is():
    law = Group(instrument=NamedInstrument("13", 2003, ("uu",)))
    decree = Group(instrument=NamedInstrument("5", 2018, ("kepbup",)))
    answered = Evidence(law, [_hit(STATES)], [0.9], covered=True)
    weak = Evidence(decree, [_hit(NEAR_MISS, 1)], [0.2], covered=False)
    (first, second) = with_answered_rivals([answered, weak], [0.9, 0.2], floor=0.15)
    assert first.covered and second.covered
    # Below the floor, or with no rival answered, a side stays unanswered.
    assert not with_answered_rivals([answered, weak], [0.9, 0.1], floor=0.15)[1].covered
    assert not any(e.covered for e in with_answered_rivals([replace(answered, covered=False), weak], [0.3, 0.2],
                                                           floor=0.15))
    # The whole corpus, or a region's own search, is no named side.
    unnamed = Evidence(Group(), [_hit(NEAR_MISS, 2)], [0.2], covered=False)
    assert not with_answered_rivals([answered, unnamed], [0.9, 0.2], floor=0.15)[1].covered


# A considering clause of Perda Kabupaten Pinrang 3/2017 as its scan reads: the reasons' letters and the full
# stops between them lost, one "sentence" of three reasons.
RUN_ON_REASONS = (
    "bahwa dengan keluarnya putusan Mahkamah Konstitusi Nomor 85/PUU-XI/2013 tanggal 18 Februari 2015, menyatakan "
    "Undang-Undang Nomor 7 Tahun 2004 tentang Sumber Daya Air bertentangan dengan Undang-Undang Dasar Negara "
    "Republik Indonesia Tahun 1945 dan tidak mempunyai kekuatan hukum mengikat, bahwa menindaklanjuti Keputusan "
    "Menteri Dalam Negeri Nomor 188.34-6105 Tahun 2016 tentang Pembatalan Peraturan Daerah Kabupaten Pinrang Nomor "
    "16 Tahun 2008 tentang Irigasi, bupati/walikota harus menghentikan pelaksanaan perda kabupaten/kota yang "
    "dibatalkan, bahwa berdasarkan pertimbangan sebagaimana dimaksud pada huruf a dan huruf b perlu menetapkan "
    "Peraturan Daerah tentang Pencabutan Peraturan Daerah Kabupaten Pinrang Nomor 16 Tahun 2008 tentang Irigasi,"
)


def test_a_considering_clause_run_on_by_the_scan_is_read_reason_by_reason() -> None:
    considering = _hit(RUN_ON_REASONS).passage.model_copy(update={"role": PassageRole.KONSIDERANS})
    reasons = candidate_sentences(considering)
    assert [r.text.split()[:2] for r in reasons] == [["bahwa", "dengan"], ["bahwa", "menindaklanjuti"],
                                                      ["bahwa", "berdasarkan"]]
    assert all(RUN_ON_REASONS[r.start:r.end] == r.text for r in reasons)
    assert "Undang-Undang Nomor 7 Tahun 2004" in reasons[0].text
    # An article's "bahwa" after a comma opens no reason of its own.
    assert len(candidate_sentences(_hit(RUN_ON_REASONS).passage)) == 1
