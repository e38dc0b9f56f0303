"""Plan questions a row did not answer as asked: an RKPD's evaluation table (headings drawn one column right of
their figures, the end-of-RPJMD target column), a one-year plan's own year beside the year asked, a plan's figure
stated in prose (the passage answer kept only when a quoted sentence states it), and a question's terms matched to a
row whole, once, by their roots."""

from __future__ import annotations

from api.engine.plan_prose import prose_answers, states_figure
from api.engine.targets import _question_terms, best_row, read_target_question
from core.settings import PROJECT_ROOT
from core.types import Answer, AnswerSentence, Citation, CityAnswer, IndicatorRow, IndicatorValue, Passage
from ingest.plans.tables import read_indicator_rows

RKPD = PROJECT_ROOT / "tests" / "devset" / "plans" / "rkpd_perubahan_kota_semarang_2016.pdf"


def test_an_evaluation_table_gives_each_row_its_realisation_its_end_of_rpjmd_target_and_its_programme():
    # Tabel 2.1 of the RKPD: 'Target RKPD 2016 | Realisasi s/d TW II | ... | Target Kinerja Akhir RPJMD | ...' under
    # two spanning headings, each heading one column right of its figures; 'A | Program Pendidikan Anak Usia Dini'
    # heads the rows under it.
    rows = {r.indicator: r for r in read_indicator_rows(RKPD, [20])}
    spm = rows["% SD yang memenuhi SPM"]
    assert [(t.year, t.value) for t in spm.targets] == [(2016, "90,00")]
    assert [(a.year, a.value) for a in spm.actuals] == [(2016, "90,00")]
    assert spm.end_target is not None and spm.end_target.value == "92,50"
    assert spm.programme is not None and spm.programme.startswith("Program Wajib Belajar")
    inklusi = rows["SD Inklusi"]
    assert inklusi.end_target is not None and inklusi.end_target.value == "32,00"
    assert rows["APK PAUD 3-6 tahun"].programme == "Program Pendidikan Anak Usia Dini"


def test_a_status_printed_over_two_lines_does_not_split_an_indicator_into_rows():
    rows = read_indicator_rows(RKPD, [24])
    names = [r.indicator for r in rows]
    assert "Prevalensi balita gizi buruk" in names
    assert not {"Prevalensi balita", "gizi buruk", "Angka"} & set(names)
    gizi = next(r for r in rows if r.indicator == "Prevalensi balita gizi buruk")
    assert [(t.year, t.value) for t in gizi.targets] == [(2016, "0,39")]


def test_a_one_year_plan_s_own_year_names_the_plan_beside_another_year_or_the_end_of_the_period():
    asked = read_target_question("What target does the amended 2016 RKPD set for inclusive primary schools in 2019?",
                                 plan_year=2016)
    assert asked is not None and asked.year == 2019
    asked = read_target_question("Berapa target kinerja akhir RPJMD untuk SD Inklusi dalam RKPD 2016?", plan_year=2016)
    assert asked is not None and asked.year is None and asked.end_of_period
    # The plan's year alone is the year asked; a multi-year plan's years are all years a value may be asked for.
    asked = read_target_question("Berapa target SD inklusi dalam RKPD 2016?", plan_year=2016)
    assert asked is not None and asked.year == 2016
    assert read_target_question("Target for 2016 and 2019 of inclusive schools?") is None


def test_the_end_of_the_period_is_read_in_a_plan_s_column_words():
    for question in ("Berapa target kinerja akhir Renstra untuk indikator X?", "Berapa kondisi kinerja pada akhir "
                     "periode Renstra untuk X?", "What is the target at the end of the RPJMD for X?"):
        asked = read_target_question(question)
        assert asked is not None and asked.end_of_period, question


def _answer(*sentences: str) -> Answer:
    said = tuple(AnswerSentence(text=s, citations=(1,)) for s in sentences)
    return Answer(question="q", text=" ".join(sentences), covered=True,
                  by_city=(CityAnswer(city=None, sentences=said),))


def test_a_figure_is_a_number_that_is_not_a_year_nor_a_table_s_chapter_s_or_page_s_number():
    assert states_figure("inflasi diharapkan akan berada pada nilai antara 4,5-5,5%")
    assert states_figure("total anggaran sebesar Rp 22.438.838.000,-")
    assert not states_figure("Tabel 5.1 Tujuan, Sasaran, Strategi dan Arah Kebijakan Tahun 2016-2021")
    assert not states_figure("Adapun indikator capaian dari sasaran ini adalah sebagai berikut : Renstra IV-4")
    assert not states_figure("sesuai Peraturan Menteri Dalam Negeri Nomor 86 Tahun 2017")


def test_a_prose_answer_stands_only_with_a_figure_for_the_asked_thing_and_year():
    terms = _question_terms("What share of the participants in the 2018 Musrenbang were women?")
    stated = _answer("Pada Musrenbang tahun 2018 persentase jumlah peserta perempuan menjadi sebesar 25,50 %.")
    assert prose_answers(stated, terms, 2018)
    # Another year's figure does not answer the year asked.
    assert not prose_answers(stated, terms, 2015)
    # Near prose without a figure, or a figure for something else, does not answer.
    assert not prose_answers(_answer("Musrenbang melibatkan peserta perempuan dan organisasi gender."), terms, 2018)
    spbe = _question_terms("What SPBE (e-government) index target does the Renstra set?")
    assert not prose_answers(_answer("Indikator kinerja sasaran ini 90,00 % pada 2021."), spbe, None)


def _indicator(text: str) -> IndicatorRow:
    return IndicatorRow(row_id=text, doc_id="d", plan_key="rkpd|33.74||2016-2016", page=1, indicator=text,
                        targets=(IndicatorValue(year=2016, value="90,00", number=90.0),))


def test_a_term_of_several_words_names_a_row_only_whole_and_one_thing_named_twice_counts_once():
    asked = read_target_question("What 2016 target for the percentage of primary schools (SD) meeting the minimum "
                                 "service standard?")
    assert asked is not None
    question = "the percentage of primary schools (SD) meeting the minimum service standard"
    spm, accredited = _indicator("% SD yang memenuhi SPM"), _indicator("Persentase SD Berakreditasi Minimal B")
    # 'minimal' alone (the translation of 'minimum') is not 'standar pelayanan minimal'; 'SD' and 'primary schools'
    # are one term.
    assert best_row([accredited, spm], question, asked) is spm


def test_a_row_is_matched_by_its_words_roots():
    asked = read_target_question("How many pupils were to receive poverty scholarships in 2016?")
    assert asked is not None
    school = _indicator("Jumlah Sekolah")
    pupils = _indicator("Jumlah Siswa SD penerima Beasiswa prestasi, Miskin")
    # 'menerima' (receive) is 'penerima', 'kemiskinan' (poverty) 'miskin'; 'primary-school' no longer names 'Sekolah'.
    assert best_row([school, pupils], "How many primary-school pupils were to receive achievement or poverty "
                    "scholarships in 2016?", asked) is pupils


def test_the_asked_terms_leave_out_framing_words_and_a_phrase_spelled_out_for_a_word_is_one_term():
    from api.engine.targets import _asked_terms

    terms = _asked_terms("How many civil servants (ASN) did Bappeda employ in December 2017, according to its "
                         "Renstra?", {"bappeda", "renstra"})
    named = {w for term in terms for alt in term for w in alt}
    assert "december" in named and not {"did", "according", "2017"} & named
    # 'civil servants' and 'ASN' are one term, whichever of them names it first.
    assert [t for t in terms if {"asn"} & {w for alt in t for w in alt}] == [
        t for t in terms if frozenset({"civil", "servants"}) in t]
    assert len([t for t in terms if frozenset({"asn"}) in t]) == 1
    stated = _answer("Pada Desember 2017, jumlah Aparatur Sipil Negara (ASN) adalah sebanyak 71 pegawai.")
    assert prose_answers(stated, terms, 2017)


def test_the_asked_year_may_open_the_paragraph_the_figure_is_quoted_from():
    text = ("Berdasarkan data kepegawaian pada Desember 2017, jumlah ASN adalah sebanyak 71 pegawai. Selain itu "
            "terdapat pegawai Non ASN sebanyak 4 pegawai.")
    passage = Passage(passage_id="p1", doc_id="d", index=0, text=text, start=0, end=len(text), page_start=20,
                      page_end=20)
    quote = "Selain itu terdapat pegawai Non ASN sebanyak 4 pegawai."
    answer = _answer(quote).model_copy(update={"citations": (Citation(
        marker=1, passage_id="p1", doc_id="d", title="Renstra", page=20, start=text.index(quote),
        end=len(text), quote=quote),)})
    terms = _question_terms("How many Non ASN pegawai were there?")
    assert prose_answers(answer, terms, 2017, {"p1": passage})
    assert not prose_answers(answer, terms, 2017)  # the sentence alone does not name the year
    assert not prose_answers(answer, terms, 2015, {"p1": passage})


def test_a_value_is_stated_with_its_unit_a_percent_sign_after_its_figure():
    from api.engine.targets import stated

    assert stated("0,39", "%") == "0,39%"
    assert stated("80%", "%") == "80%"
    assert stated("5.712", "siswa") == "5.712 siswa"
    assert stated("83,23", None) == "83,23"
