"""Query analysis: the typed plan a question becomes (api/engine/plan.py)."""

from __future__ import annotations

import pytest

from api.engine.described import described_instruments, described_plans, misnumbered, without_descriptions
from api.engine.extractive import change_directive, changed_identifiers, inserted_openings
from api.engine.features import Terms, asked_noun, asked_term, shape_match, states_noun
from api.engine.matching import Words
from api.engine.plan import (
    NamedInstrument,
    QueryPlan,
    RegionSide,
    answer_type,
    asked_change,
    asks_about_instrument,
    asks_commencement,
    asks_elucidation,
    asks_legal_basis,
    asks_revocation,
    content_text,
    identity_roles,
    one_per_document,
    regions_beside,
    resolve_instruments,
    without_titles,
)
from api.engine.retrieval import plan_groups, topic_parts
from api.engine.sides import side_clauses
from core.legal_patterns import asked_articles, plan_kinds_named
from core.types import DocumentMeta, PassageRole, PlanKind, PlanRef, Region, RegulationRef, SearchFilters

PINRANG = Region(code="73.15", name="Pinrang", kind="kabupaten", official="Kabupaten Pinrang",
                 province="Sulawesi Selatan")


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("How much is the incentive paid to tax collectors?", "amount"),
        ("Berapa besaran retribusi yang dikenakan?", "amount"),
        ("How long does the agency have to respond to a complaint?", "duration"),
        ("Paling lambat berapa hari laporan harus ditindaklanjuti?", "duration"),
        ("Seberapa sering survei kepuasan masyarakat wajib dilakukan?", "duration"),
        ("How often must the complaints handling be evaluated?", "duration"),
        # A count of a time unit however qualified ("working", "calendar") is a duration, not an amount.
        ("Within how many working days must the permit be issued?", "duration"),
        ("Berapa jam kerja pegawai dalam seminggu?", "duration"),
        # A deadline asked with the words between ("what is the deadline for …") is a deadline still.
        ("What is the deadline for reporting the audit results?", "duration"),
        ("When did the regulation take effect?", "date"),
        ("Kapan peraturan ini mulai berlaku?", "date"),
        ("Under Perwali 5/2020, when does the levy fall due?", "date"),
        # "when" inside the question states a condition; the question asks for an amount.
        ("How much does the regency charge when an RPTKA extension is approved?", "amount"),
        # So it does opening the clause the question follows.
        ("When a unit runs its satisfaction survey in-house, how many surveyors may the team have?", "amount"),
        ("When was the bylaw enacted, and who signed it?", "date"),
        # A quantity asked by its noun or its currency.
        ("What penalty does the bylaw set for an unregistered vehicle?", "amount"),
        ("What minimum share of lecturers must be permanent?", "amount"),
        ("What is Balikpapan's flood control budget for 2024?", "amount"),
        ("What weighting factor applies to each element?", "amount"),
        ("Apa ancaman pidana bagi wajib retribusi yang lalai?", "amount"),
        ("Who is responsible for supervising the programme?", "who"),
        ("Siapa yang menetapkan tim pengawas?", "who"),
        ("What is meant by barang milik daerah?", "definition"),
        ("Apa yang dimaksud dengan kendaraan tidak bermotor?", "definition"),
        ("Apa saja tugas Sekretaris Daerah?", "list"),
        ("Apakah kendaraan tidak bermotor wajib didaftarkan?", "yesno"),
        # The question asked after a sentence that sets the scene.
        ("Perbup 3/2015 menyebut Permen 44/2015 sebagai dasar hukum. Apakah peraturan itu masih berlaku?", "yesno"),
        ("Describe the regional planning process.", "other"),
        # "Which number" asks for an instrument's identifier, not a quantity.
        ("Peraturan Wali Kota nomor berapa yang mengatur tugas Bappeda?", "other"),
        ("What number is the mayoral regulation that amends the plan?", "other"),
    ],
)
def test_answer_type_is_read_from_the_question_words(question: str, expected: str) -> None:
    assert answer_type(question) == expected


def test_a_frequency_has_the_shape_of_a_duration() -> None:
    assert shape_match("duration", "Survei wajib dilakukan secara berkala minimal 1 (satu) kali setahun.")
    assert shape_match("duration", "Evaluasi dilaksanakan setiap triwulan.")
    assert not shape_match("duration", "Survei dilakukan oleh penyelenggara pelayanan publik.")
    # How often, said of the thing done or of the moment in each period.
    assert shape_match("duration", "Menyampaikan Laporan Barang Milik Negara semesteran dan tahunan.")
    assert shape_match("duration", "Evaluasi pelaksanaan SOP dilakukan setiap akhir tahun.")
    # "When" is answered by a recurring time or a deadline as well as by a date.
    assert shape_match("date", "Data transaksi BMN disampaikan pada setiap akhir bulan.")
    assert shape_match("date", "Laporan disampaikan paling lambat tanggal 10.")
    assert not shape_match("date", "Laporan disampaikan kepada Kepala Dinas.")


def test_an_article_number_or_a_cited_instrument_does_not_look_like_an_amount_or_a_span_of_time() -> None:
    assert not shape_match("amount", "Pasal 18\n(1) Biaya perjalanan dinas terdiri atas komponen")
    assert not shape_match("amount", "Laporan paling sedikit memuat capaian kinerja.")
    assert shape_match("amount", "Tim beranggotakan paling sedikit 3 (tiga) orang.")
    assert shape_match("amount", "diberikan sebesar 2 (dua) kali gaji")
    # A table's sum grouped in thousands is an amount without its "Rp"; a date or a version is not.
    assert shape_match("amount", "1 Pantolobete 473.156.408 456.067.800")
    assert not shape_match("amount", "ditetapkan tanggal 12.05.2020, versi 1.2.3")
    assert not shape_match("duration", "Undang-Undang Nomor 13 Tahun 2003 tentang Ketenagakerjaan")
    assert shape_match("duration", "berlaku paling lama 5 (lima) tahun")


def test_a_span_of_time_is_not_an_amount_but_months_of_wages_and_dollars_are() -> None:
    assert not shape_match("amount", "Masa Retribusi adalah paling lama 1 (satu) tahun.")
    assert not shape_match("amount", "disampaikan dalam waktu 30 (tiga puluh) hari kerja")
    assert shape_match("amount", "uang pesangon sebanyak 9 (sembilan) bulan upah")
    assert shape_match("amount", "tarif ditetapkan US$100 per jabatan per orang per bulan")
    assert shape_match("amount", "Tim beranggotakan 5 (lima) orang.")
    assert shape_match("amount", "diancam pidana kurungan paling lama 3 (tiga) bulan")


def test_a_list_is_enumerated_items_not_an_articles_paragraphs() -> None:
    assert not shape_match("list", "Pasal 4\n(1) Akreditasi dilaksanakan oleh LAM.\n(2) Biaya ditanggung pemohon.")
    assert shape_match("list", "Susunan organisasi:\na. Sekretariat;\nb. Bidang Umum.")


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
    # The region as the question wrote it ("DKI Jakarta"), not only its gazetteer name, is a naming word.
    assert content_text("Kapan insentif dibayar menurut Pergub DKI Jakarta 41/2022?", [], ["DKI Jakarta"]) == \
        "kapan insentif dibayar menurut ?"
    # A full stop after the number, and an instrument's short name the naming list does not spell out.
    assert content_text("Bandingkan ancaman pidana dalam Perda Magelang 4/2022.", [], ["Magelang"]) == \
        "bandingkan ancaman pidana dalam ."
    assert content_text("How often must surveys run under PermenPANRB 14/2017?") == "how often must surveys run under ?"
    assert content_text("Seberapa sering survei menurut Permenpan RB 14/2017?") == "seberapa sering survei menurut ?"


def _meta(doc_id: str, instrument: str, number: str, year: int, region: str | None, region_name: str | None = None,
          subject: str | None = None) -> DocumentMeta:
    ref = RegulationRef(instrument=instrument, number=number, year=year, region_code=region, region_name=region_name,
                        subject=subject)
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


def test_instruments_that_are_the_same_documents_are_one_instrument_not_two_sides() -> None:
    # "Perbup 33/2024 as amended by Perbup 24/2025": the library holds 33/2024 only through its amender.
    amended = NamedInstrument("33", 2024, ("perbup-24",), "33/2024")
    amender = NamedInstrument("24", 2025, ("perbup-24",), "Perbup Kabupaten Donggala No. 24 Tahun 2025")
    other = NamedInstrument("3", 2015, ("perbup-3",), "Perbup Kabupaten Pinrang No. 3 Tahun 2015")
    missing = NamedInstrument("9", 2001, (), "9/2001")
    merged = one_per_document([amended, other, amender, missing])
    assert [i.label for i in merged] == ["Perbup Kabupaten Donggala No. 24 Tahun 2025",
                                         "Perbup Kabupaten Pinrang No. 3 Tahun 2015", "9/2001"]
    assert merged[0].doc_ids == ("perbup-24",)
    assert one_per_document([amended, other]) == (amended, other)


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


MAGELANG_KOTA = Region(code="33.71", name="Magelang", kind="kota", official="Kota Magelang", province="Jawa Tengah")
BEKASI = Region(code="32.75", name="Bekasi", kind="kota", official="Kota Bekasi", province="Jawa Barat")


def test_a_number_named_with_another_kind_or_issuer_is_not_that_document() -> None:
    metas = {m.doc_id: m for m in (
        _meta("uu", "UU", "13", 2003, None),
        _meta("perwali-kendari", "Perwali", "19", 2024, "74.71"),
        _meta("perda-kab-magelang", "Perda", "4", 2022, "33.08", region_name="Kabupaten Magelang"),
        _meta("permenpan", "PermenPAN-RB", "14", 2017, None),
    )}
    (bekasi,) = resolve_instruments([("13", 2003)], metas, [BEKASI], {("13", 2003): "Perda"})
    assert bekasi.doc_ids == ()
    (other_city,) = resolve_instruments([("19", 2024)], metas, [BEKASI], {("19", 2024): "Perwali"})
    assert other_city.doc_ids == ()
    # "Magelang" is read as the Kota; the Kabupaten's Perda is its namesake's and still meant.
    (namesake,) = resolve_instruments([("4", 2022)], metas, [MAGELANG_KOTA], {("4", 2022): "Perda"})
    assert namesake.doc_ids == ("perda-kab-magelang",)
    (spelled,) = resolve_instruments([("14", 2017)], metas, [], {("14", 2017): "PermenPANRB"})
    assert spelled.doc_ids == ("permenpan",)


def test_an_instrument_described_by_kind_issuer_and_year_is_resolved_when_one_document_fits() -> None:
    metas = {m.doc_id: m for m in (
        _meta("perda-2010", "Perda", "1", 2010, "73.15", subject="Pengaturan Kendaraan Tidak Bermotor"),
        _meta("perbup-2010", "Perbup", "8", 2010, "73.15", subject="Tarif Retribusi Pasar"),
        _meta("perbup-2025-a", "Perbup", "13", 2025, "73.15", subject="Pengelolaan Pengaduan Masyarakat"),
        _meta("perbup-2025-b", "Perbup", "24", 2025, "73.15", subject="Alokasi Dana Desa"),
    )}
    assert described_instruments("How does Pinrang's 2010 bylaw define a vehicle?", metas, [PINRANG]) == [
        (2010, ("perda-2010",))]
    # Two regent regulations of 2025: the subject tells them apart, whatever the kind words share.
    assert described_instruments("What does Pinrang's 2025 regent regulation on village funds allocate?", metas,
                                 [PINRANG]) == [(2025, ("perbup-2025-b",))]
    # A year without a kind of instrument is a date; a subject no candidate shares is another instrument's.
    assert described_instruments("How many complaints did Pinrang receive in 2025?", metas, [PINRANG]) == []
    assert described_instruments("Pinrang's 2010 regent regulation on fisheries", metas, [PINRANG]) == []
    # A numbered instrument's year is not a description.
    assert described_instruments("Apa isi Perda Pinrang Nomor 7 Tahun 2010?", metas, [PINRANG]) == []


def test_the_words_describing_an_instrument_are_not_what_the_question_asks_about() -> None:
    # The year, the word before it and the kind named nearest it say which instrument is meant.
    assert without_descriptions("what does jakarta's 2022 governor regulation pay?", [2022]).split() == \
        ["what", "does", "jakarta's", "pay?"]
    assert without_descriptions("berapa lama cuti menurut uu ketenagakerjaan tahun 2003?", [2003]).split() == \
        ["berapa", "lama", "cuti", "menurut", "ketenagakerjaan", "?"]
    # A year that describes no instrument stays: "in 2025" is the date asked about.
    assert without_descriptions("how many complaints in 2025 under the 2010 bylaw?", [2010]).split() == \
        ["how", "many", "complaints", "in", "2025", "under", "the", "?"]


SEMARANG = Region(code="33.74", name="Semarang", kind="kota", official="Kota Semarang", province="Jawa Tengah")


def _plan(doc_id: str, kind: PlanKind, region: Region, start: int, end: int, agency: str | None = None
          ) -> DocumentMeta:
    plan = PlanRef(kind=kind, region_code=region.code, region_name=region.official, period_start=start,
                   period_end=end, agency=agency)
    return DocumentMeta(doc_id=doc_id, filename=f"{doc_id}.pdf", media_type="application/pdf", title=doc_id,
                        plan=plan, doc_type="plan")


def test_plans_are_named_by_kind_in_either_language_and_a_work_plan_of_the_government_is_an_rkpd() -> None:
    assert [k for k, _ in plan_kinds_named("Kapan RKPD harus ditetapkan menurut Perubahan RKPD 2016?")] == [
        "RKPD", "RKPD"]
    assert [k for k, _ in plan_kinds_named("Donggala's medium-term development plan")] == ["RPJMD"]
    assert [k for k, _ in plan_kinds_named("the regional government work plan and the agency's work plan")] == [
        "RKPD", "Renja"]
    assert [k for k, _ in plan_kinds_named("menurut Rencana Strategis Bappeda")] == ["Renstra"]
    assert plan_kinds_named("How does the mayor's regulation plan SPBE?") == []
    assert plan_kinds_named("May a long-term employment contract require probation? pinjaman jangka menengah") == []


def test_a_plan_named_in_words_is_the_named_region_s_one_plan_of_that_kind_and_period() -> None:
    metas = {m.doc_id: m for m in (
        _plan("rkpd-2016", "RKPD", SEMARANG, 2016, 2016), _plan("rkpd-pinrang", "RKPD", PINRANG, 2019, 2019),
        _plan("renstra-bappeda", "Renstra", SEMARANG, 2016, 2021, "Bappeda"),
        _plan("renstra-dinkes", "Renstra", SEMARANG, 2016, 2021, "Dinkes"),
    )}
    (rkpd,) = described_plans("Kapan RKPD harus ditetapkan menurut Perubahan RKPD Kota Semarang Tahun 2016?",
                              metas, [SEMARANG])
    # A one-year plan is named by its year; that year says which plan, it is not asked.
    assert rkpd.doc_ids == ("rkpd-2016",) and rkpd.named_year == 2016
    # A year the plan does not cover names another plan, which the library lacks.
    assert described_plans("Berapa pagu Bappeda dalam RKPD Kota Semarang Tahun 2017?", metas, [SEMARANG]) == []
    # Of a city's several Renstras, the one whose agency the question names; a year inside the period is asked.
    (renstra,) = described_plans("target untuk tahun 2018 menurut Renstra Bappeda Kota Semarang", metas, [SEMARANG])
    assert renstra.doc_ids == ("renstra-bappeda",) and renstra.named_year is None
    assert described_plans("target untuk tahun 2018 menurut Renstra Kota Semarang", metas, [SEMARANG]) == []
    # Two regions' RKPDs and no region named: which is meant is not known.
    assert described_plans("What does the RKPD set for roads?", metas, []) == []
    assert [p.doc_ids for p in described_plans("What does the RKPD set for roads?", metas, [PINRANG])] == [
        ("rkpd-pinrang",)]


def test_a_named_plan_is_where_the_question_is_searched() -> None:
    plan = QueryPlan(question="Kapan RKPD ditetapkan menurut RKPD Semarang 2016?", language="id",
                     regions=(SEMARANG,), scope=("rkpd-2016",))
    (group,) = plan_groups(plan, SearchFilters())
    assert group.filters.doc_ids == ["rkpd-2016"] and group.region == SEMARANG
    assert plan_groups(QueryPlan(question="q", language="id"), SearchFilters())[0].filters.doc_ids in (None, [], ())


def test_a_region_named_apart_from_the_one_named_instrument_s_issuer_is_a_side_of_its_own() -> None:
    uu = _meta("uu-13-2003", "UU", "13", 2003, None)
    pergub = _meta("pergub-dki", "Pergub", "41", 2022, "31", "Provinsi DKI Jakarta")
    perda = _meta("perda-magelang", "Perda", "4", 2022, "33.08", "Kabupaten Magelang")
    perbup = _meta("perbup-pinrang", "Perbup", "36", 2019, "73.15", "Kabupaten Pinrang")
    sulsel = Region(code="73", name="Sulawesi Selatan", kind="provinsi", official="Provinsi Sulawesi Selatan",
                    province="Sulawesi Selatan")
    metas = {m.doc_id: m for m in (uu, pergub, perda, perbup)}

    def beside(doc_id: str, region: Region) -> tuple[Region, ...]:
        return regions_beside([NamedInstrument("n", 2000, (doc_id,))], [region], metas)

    assert beside("uu-13-2003", PINRANG) == (PINRANG,)
    assert beside("pergub-dki", PINRANG) == (PINRANG,)
    # The question's "Magelang" is the Kabupaten whose Perda it names; the Pergub a Perbup follows is no side.
    assert beside("perda-magelang", MAGELANG_KOTA) == ()
    assert beside("perbup-pinrang", sulsel) == ()
    assert beside("perbup-pinrang", PINRANG) == ()
    # Two named instruments are the sides themselves.
    assert regions_beside([NamedInstrument("13", 2003, ("uu-13-2003",)), NamedInstrument("41", 2022,
                                                                                       ("pergub-dki",))],
                          [PINRANG], metas) == ()
    named = NamedInstrument("13", 2003, ("uu-13-2003",), label="UU 13/2003")
    plan = QueryPlan(question="q", language="en", regions=(PINRANG,), instruments=(named,),
                     beside=(RegionSide(PINRANG, "the maximum fine in the becak bylaw"),))
    law, region = plan_groups(plan, SearchFilters())
    assert law.instrument == named and law.filters.doc_ids == ["uu-13-2003"]
    assert region.region == PINRANG and region.asked == "the maximum fine in the becak bylaw"


def test_the_amendments_asked_about_are_of_the_instruments_named_by_number_and_those_described() -> None:
    amending = _meta("pergub-diy-76", "Pergub", "76", 2024, "34", "Provinsi DI Yogyakarta")
    # Described by the year of the regulation it amends, found through the amending one's documents.
    plan = QueryPlan(question="q", language="en", instruments=(NamedInstrument("76", 2023, ("pergub-diy-76",)),))
    asked = "Which provisions of Yogyakarta's 2023 governor regulation were deleted by the 2024 amendment?"
    assert changed_identifiers(asked, plan, {"pergub-diy-76": amending}).numbers == (("76", 2024),)
    numbered = "What did Perwali 19/2024 change?"
    assert changed_identifiers(numbered, QueryPlan(question=numbered, language="en"), {}).numbers == (("19", 2024),)


@pytest.mark.parametrize(("question", "change"), [
    ("Berapa ayat yang disisipkan Perbup Donggala 24/2025 ke dalam Pasal 2?", "disisipkan"),
    ("Which articles did PP 66/2010 insert between Articles 58 and 59?", "disisipkan"),
    ("Which provisions were deleted by the 2024 amendment?", "dihapus"),
    ("Ayat mana yang dihapus dari Pasal 18?", "dihapus"),
    # The citation formula names a unit by its history; it asks what the unit says.
    ("What does Article 58J of PP 17/2010, as inserted by PP 66/2010, require?", None),
    ("Apa isi Pasal 3 sebagaimana telah diubah dengan Pergub 1/2021?", None),
    ("What did Perwali 19/2024 change?", None),
    # Which units were reworded: the directives answer; how a rate changed: the new wording does.
    ("Which provisions of Pergub Bali 59/2019 are changed by Pergub Bali 3/2021?", "diubah"),
    ("Which provision does the 2021 amending regulation rewrite?", "diubah"),
    ("Pasal apa saja yang diubah oleh Perbup 36/2019?", "diubah"),
    ("How did the amendment change the incentive rate?", None),
    ("Which provisions did the 2024 amendment delete rather than reword?", "dihapus"),
    ("Ayat mana yang dihapus, bukan diubah?", "dihapus"),
])
def test_a_question_asking_what_an_amendment_inserted_or_deleted_names_that_change(question, change) -> None:
    assert asked_change(question) == change


def test_the_directive_making_the_asked_change_to_the_named_article_is_told_from_its_neighbours() -> None:
    into_two = change_directive(analyse_change("Berapa ayat yang disisipkan ke dalam Pasal 2 Perbup 33/2024?"))
    assert into_two is not None
    assert into_two.search("1. Di antara ayat (3) dan ayat (4), Pasal 2 disisip 2 (dua) ayat yakni ayat (3a)")
    assert not into_two.search("2. Diantara Pasal 2 dan Pasal 3 disisipkan 1 (satu) pasal, yakni Pasal 2A")
    two_a = change_directive(analyse_change("Pasal apa yang disisipkan sebagai Pasal 2A?"))
    assert two_a is not None
    assert two_a.search("2. Diantara Pasal 2 dan Pasal 3 disisipkan 1 (satu) pasal, yakni Pasal 2A")
    assert change_directive(analyse_change("What does Pasal 2 say?")) is None
    reworded = change_directive(analyse_change("Which provisions are changed by Pergub Bali 3/2021?"))
    assert reworded is not None
    assert reworded.search("1. Ketentuan ayat (1) huruf b Pasal 14 diubah sehingga Pasal 14 berbunyi sebagai berikut:")
    assert not reworded.search("Undang-Undang Nomor 23 Tahun 2014 sebagaimana telah diubah dengan Undang-Undang …")


def analyse_change(question: str) -> QueryPlan:
    """The plan's change and articles as :func:`~api.engine.plan.analyse` reads them, without a library."""
    return QueryPlan(question=question, language="id", change=asked_change(question),
                     articles=tuple(asked_articles(question)))


def test_a_ministry_regulation_numbered_without_nomor_is_read_as_its_identifier() -> None:
    assert content_text("Berapa orang Wakil Dekan menurut Permendikbud 149 Tahun 2014?") == \
        "berapa orang wakil dekan menurut ?"


def test_an_instrument_described_without_its_year_is_a_named_regions_one_document_of_that_subject() -> None:
    metas = {m.doc_id: m for m in (
        _meta("perbup-2014", "Perbup", "2", 2014, "73.15", subject="Sistem Remunerasi BLUD RSU Lasinrang"),
        _meta("perbup-2015", "Perbup", "3", 2015, "73.15", subject="Mekanisme Penetapan Harga Benih Ikan"),
    )}
    question = "Berapa insentif menurut peraturan bupati Pinrang tentang remunerasi rumah sakit?"
    assert [d for _, d in described_instruments(question, metas, [PINRANG])] == [("perbup-2014",)]
    # Without a region the kind and subject are a topic, not one instrument; a numbered one is read by number.
    assert described_instruments("Berapa insentif menurut peraturan tentang remunerasi?", metas, []) == []
    assert described_instruments("Berapa insentif menurut Perbup Pinrang 3/2015 tentang harga benih?", metas,
                                 [PINRANG]) == []
    # A plural kind asks for a class of instruments, not one.
    assert described_instruments("Which remuneration regulations does Pinrang have?", metas, [PINRANG]) == []
    # Each described side is read in its own clause.
    donggala = Region(code="72.03", name="Donggala", kind="kabupaten", official="Kabupaten Donggala",
                      province="Sulawesi Tengah")
    metas["dg"] = _meta("dg", "Perbup", "13", 2025, "72.03", subject="Penanganan Pengaduan Masyarakat Dota Lara")
    both = "How does Pinrang's remuneration regulation compared with Donggala's complaint regulation pay a team?"
    assert sorted(d for _, d in described_instruments(both, metas, [PINRANG, donggala])) == [
        ("dg",), ("perbup-2014",)]


def test_a_described_instrument_is_of_the_kind_named_nearest_its_year_and_a_named_issuers_own() -> None:
    metas = {m.doc_id: m for m in (
        _meta("kepbup-2020", "Kepbup", "700", 2020, "73.15", subject="Honorarium Pengawasan Inspektorat"),
        _meta("perbup-2025", "Perbup", "13", 2025, "73.15", subject="Pengelolaan Pengaduan Masyarakat"),
        _meta("kepmen-2025", "Kepmendagri", "100", 2025, None, subject="Batas Daerah Kabupaten Pinrang"),
    )}
    # "decree" names the 2020 instrument, "regulation" the 2025 one, though both lie within reach of each year.
    question = ("Do Pinrang's 2020 decree on pengawasan inspektorat and its 2025 regulation on pengaduan masyarakat "
                "take effect alike?")
    assert described_instruments(question, metas, [PINRANG]) == [(2020, ("kepbup-2020",)), (2025, ("perbup-2025",))]
    # A university's statute is a ministerial regulation.
    statute = {"permen-2012": _meta("permen-2012", "Permendikbud", "43", 2012, None,
                                    subject="Statuta Universitas Halu Oleo")}
    assert described_instruments("Under Halu Oleo's 2012 statute, who chairs the Senate?", statute, []) == [
        (2012, ("permen-2012",))]
    # The statute's title writes the name joined ("Haluoleo"), the question apart.
    joined = {"permen-2012": _meta("permen-2012", "Permendikbud", "43", 2012, None,
                                   subject="Statuta Universitas Haluoleo")}
    assert described_instruments("Under Halu Oleo's 2012 statute, who chairs the Senate?", joined, []) == [
        (2012, ("permen-2012",))]
    # The regency's 2025 decree is its own: a minister's decree about its borders is not meant.
    assert described_instruments("Pinrang's 2025 decree on batas daerah", metas, [PINRANG]) == []
    assert described_instruments("the 2025 ministerial decree on batas daerah Pinrang", metas, [PINRANG]) == [
        (2025, ("kepmen-2025",))]


def test_a_described_instrument_is_found_under_the_name_the_question_gives_its_region() -> None:
    sulut = Region(code="71", name="Sulawesi Utara", kind="provinsi", official="Provinsi Sulawesi Utara",
                   province="Sulawesi Utara")
    metas = {m.doc_id: m for m in (
        _meta("ingub-2019", "Ingub", "1", 2019, "71", subject="Cadangan Pangan Pemerintah Daerah"),
        _meta("kepbup-2015", "Kepbup", "521/1", 2015, "73.15", subject="Kuasa Pengguna Anggaran Dana Tugas Pembantuan"),
    )}
    question = ("How is food spending funded in North Sulawesi's 2019 governor instruction on food reserves, compared "
                "with Pinrang's 2015 decree appointing the budget holder?")
    # Without the question's own name for the province, only Pinrang is named near the 2019 instrument; read
    # in its own clause, it is the one 2019 instruction of the question's regions.
    assert described_instruments(question, metas, [sulut, PINRANG]) == [
        (2019, ("ingub-2019",)), (2015, ("kepbup-2015",))]
    assert described_instruments(question, metas, [PINRANG]) == [(2015, ("kepbup-2015",))]
    assert described_instruments(question, metas, [sulut, PINRANG], {"71": ["North Sulawesi"]}) == [
        (2019, ("ingub-2019",)), (2015, ("kepbup-2015",))]


def test_a_described_instrument_the_library_lacks_is_read_through_its_amendment() -> None:
    metas = {m.doc_id: m for m in (
        _meta("pergub-2024", "Pergub", "76", 2024, "34", subject="Perubahan atas Peraturan Gubernur Nomor 64 "
              "Tahun 2023 tentang Administrasi Perjalanan Dinas"),
        _meta("perda-2023", "Perda", "5", 2023, "34", subject="Pajak Daerah"),
    )}
    diy = Region(code="34", name="Daerah Istimewa Yogyakarta", kind="provinsi",
                 official="Daerah Istimewa Yogyakarta", province="Daerah Istimewa Yogyakarta")
    asked = "Which provisions of the province's 2023 governor regulation on travel administration were repealed?"
    assert described_instruments(asked, metas, [diy]) == [(2023, ("pergub-2024",))]
    # A bylaw of that year is held itself, and nothing amends a 2023 decree.
    assert described_instruments("the province's 2023 bylaw on pajak daerah", metas, [diy]) == [(2023, ("perda-2023",))]
    assert described_instruments("the province's 2023 governor decree on travel", metas, [diy]) == []


def test_a_described_instrument_of_a_national_body_is_found_beside_a_named_regions_own() -> None:
    metas = {m.doc_id: m for m in (
        _meta("kepka-lapan", "Keputusan Kepala LAPAN", "KEP/028/II", 2006, None,
              subject="Pembentukan Unit Akuntansi Instansi"),
        _meta("kepmen-2006", "Keputusan Menteri Keuangan", "12", 2006, None, subject="Unit Akuntansi"),
        _meta("kepbup-pinrang", "Kepbup", "521/1", 2015, "73.15", subject="Kuasa Pengguna Anggaran"),
    )}
    asked = ("From when does LAPAN's 2006 decree on agency accounting units take effect, compared with Pinrang's "
             "2015 decree appointing the budget holder?")
    assert described_instruments(asked, metas, [PINRANG]) == [(2006, ("kepka-lapan",)), (2015, ("kepbup-pinrang",))]
    # A national decree the words do not name by its issuer stays unresolved beside the region's.
    unnamed = ("When does the 2006 decree on accounting units take effect, compared with Pinrang's 2015 decree "
               "appointing the budget holder?")
    assert described_instruments(unnamed, metas, [PINRANG]) == [(2015, ("kepbup-pinrang",))]


def test_a_described_instrument_is_found_by_the_acronym_its_document_gives_its_subject() -> None:
    donggala = Region(code="72.03", name="Donggala", kind="kabupaten", official="Kabupaten Donggala",
                      province="Sulawesi Tengah")
    dota = _meta("perbup-13", "Perbup", "13", 2025, "72.03", subject="Donggala Tanggap Laporan Rakyat")
    dota = dota.model_copy(update={"acronyms": ("Dota Lara: Donggala Tanggap Laporan Rakyat",)})
    other = _meta("perbup-24", "Perbup", "24", 2025, "72.03", subject="Alokasi Dana Desa")
    metas = {m.doc_id: m for m in (dota, other)}
    asked = "Does Donggala's 2025 Dota Lara regulation take effect when it is enacted?"
    assert described_instruments(asked, metas, [donggala]) == [(2025, ("perbup-13",))]


@pytest.mark.parametrize(("question", "asks"), [
    ("Who signed Perwali 5/2020?", True),
    ("Kapan UU 13/2003 disahkan, dan oleh siapa?", True),
    ("Di mana Perda Pinrang 1/2010 ditetapkan?", True),
    ("Berapa tarif retribusi yang ditetapkan dalam Perda Magelang 4/2022?", False),
    ("Siapa pemberi kerja yang RPTKA-nya disahkan?", False),
    # A duty to enact or sign is a rule the text states, not the instrument's own enactment.
    ("Kapan RKPD harus ditetapkan menurut Perwal 28/2016?", False),
    ("By when must the village budget regulation be adopted under Perbup 24/2025?", False),
    ("Dokumen apa yang wajib ditandatangani Rektor menurut Keputusan 228/2017?", False),
    ("When was Perwali 5/2020 enacted, and who must sign the report?", True),
    ("Berapa judul buku yang wajib dimiliki perpustakaan menurut Permendikbud 3/2020?", False),
    ("Apa judul Perwali 5/2020?", True),
    # Who promulgated it, in the active voice: the closing's "Diundangkan di …" block answers.
    ("Siapa Sekretaris Daerah yang mengundangkan Perda Pinrang 1/2010?", True),
    # To whom copies of it went: the closing's "Tembusan" list; not copies a rule asks for.
    ("Kepada siapa tembusan Keputusan Bupati 12/2018 disampaikan?", True),
    ("To whom were copies of the 2018 decree on SOPs sent?", True),
    ("How many copies of the application must be sent to the Dinas under Perda 4/2022?", False),
])
def test_a_question_about_the_instrument_itself_is_told_from_one_about_what_it_sets(question: str, asks: bool) -> None:
    assert asks_about_instrument(question) == asks


@pytest.mark.parametrize(("question", "asks"), [
    ("Which ministerial regulation is cited as a legal basis of Perbup 3/2015?", True),
    ("What are the legal bases of Pergub Bali 1/2021?", True),
    ("Apa dasar hukum Perwali 5/2020?", True),
    ("Peraturan menteri mana yang dijadikan dasar Perbup 36/2019?", True),
    ("Which Home Affairs regulation does Pinrang's Perbup 36/2019 cite?", True),
    ("Which regulation does the elucidation of Perda 3/2025 rely on?", True),
    ("Peraturan gubernur mana yang turut diperhatikan dalam Perbup 36/2019?", True),
    ("Which Finance Minister regulation is LAPAN's 2006 decree on accounting units based on?", True),
    ("How is the performance allowance calculated based on attendance?", False),
    ("Is the allowance based on performance?", False),
    ("Putusan mana yang menjadi dasar pertimbangan pencabutan Perda 3/2017?", False),  # its considering clauses
    ("Which regulation does Perbup 36/2019 amend?", False),
    ("Why was Perda 3/2017 made?", False),
])
def test_a_question_for_the_legal_basis_is_told_from_one_for_the_reasons_or_the_amended_act(question: str,
                                                                                            asks: bool) -> None:
    assert asks_legal_basis(question) == asks


@pytest.mark.parametrize(("question", "asks"), [
    ("What does the elucidation of UU 20/2003 say the early stage of education means?", True),
    ("Which regulation does the explanatory memorandum of Perda 3/2025 rely on?", True),
    ("Menurut penjelasan Perda Magelang 4/2022, apa itu lokasi padat?", True),
    ("Apa yang dimaksud dengan penjelasan umum atas Perda 3/2025?", True),
    ("Berikan penjelasan lebih lanjut tentang retribusi.", False),  # any explanation, not the Penjelasan
    ("Who explained the regulation to the council?", False),
])
def test_a_question_for_an_instrument_s_elucidation_names_it(question: str, asks: bool) -> None:
    assert asks_elucidation(question) == asks


@pytest.mark.parametrize(("question", "asks"), [
    ("When does Perbup Donggala 24/2025 take effect?", True),
    ("Kapan Perda Pinrang 1/2010 mulai berlaku?", True),
    ("For what period did LAPAN's 2006 decree apply?", True),
    ("Is Perwali 5/2020 in force from the date of promulgation?", True),
    ("Sejak kapan Keputusan Bupati tentang SOP Bagian Hukum 2018 berlaku?", True),
    ("Berapa tarif yang berlaku untuk becak?", False),
    # A permit's or a rating's own term is an article of the instrument, not its entry into force.
    ("Berapa lama masa berlaku izin pembukaan program studi menurut PP 4/2014?", False),
    ("How long is an accreditation rating valid under the BAN-PT regulation?", False),
    ("What is the validity period of the work permit?", False),
    ("Kapan tarif dibayar? Tarif berlaku untuk becak.", False),
    ("Which part of the old bylaw was kept in force?", False),
])
def test_a_question_about_entry_into_force_is_told_from_one_that_mentions_what_applies(
    question: str, asks: bool
) -> None:
    assert asks_commencement(question) == asks


@pytest.mark.parametrize(("question", "asks"), [
    ("Which earlier bylaw did Magelang's 2022 bylaw on building approval repeal?", True),
    ("Peraturan apa saja yang dicabut ketika Permendikbud Nomor 3 Tahun 2020 mulai berlaku?", True),
    ("Perda 3/2017 mencabut apa?", True),
    ("Which earlier governor regulations cease to apply once Pergub 41/2022 on tax-collection incentives comes into "
     "force?", True),
    ("Which earlier ministerial regulation did PermenPANRB 14/2017 on community satisfaction surveys repeal?", True),
    # asked as a noun
    ("Bandingkan cakupan pencabutan dalam Perda 7/2019 dengan pencabutan oleh PP 4/2014.", True),
    ("What is the scope of the repeal in Perda 7/2019?", True),
    # the revoked instrument described, a revoking instrument's title, or when a revocation took effect
    ("Does Perda 7/2019 keep permits issued under the repealed 2012 mining bylaw?", False),
    ("What does Perda 7/2019 say about permits issued under the repealed 2012 mining bylaw?", False),
    ("Apa isi Perda Pinrang 7/2019 tentang Pencabutan Perda 13/2012?", False),
    ("What public consultation did Pinrang's Perda 3/2017 revoking the irrigation bylaw require?", False),
    ("Kapan Perda 3/2017 yang mencabut Perda Irigasi diundangkan?", False),
    ("Sejak kapan pencabutan Perda itu mulai berlaku?", False),
])
def test_a_question_asking_what_an_instrument_revokes_is_told_from_one_that_mentions_a_revocation(
    question: str, asks: bool
) -> None:
    assert asks_revocation(question) == asks


def test_a_compound_topic_is_read_as_its_parts_and_a_simple_one_is_not() -> None:
    plan = QueryPlan(question="pengelolaan sampah dan air bersih", language="id",
                     content="pengelolaan sampah dan air bersih")
    terms = Terms(("pengelolaan", "sampah", "air", "bersih"), {}, frozenset())
    assert [part.terms for part in topic_parts(plan, terms)] == [("pengelolaan", "sampah"), ("air", "bersih")]
    single = QueryPlan(question="waste bank schedule", language="en", content="waste bank schedule")
    assert topic_parts(single, Terms(("waste", "bank", "schedule"), {}, frozenset())) == []


def test_the_description_of_a_compared_instrument_is_no_part_of_the_topic() -> None:
    # "UU 13/2003 and PermenPANRB 14/2017 on satisfaction surveys": the conjunction joins the instruments, and
    # "satisfaction surveys" only says which one is meant. Read as a part, any passage of that instrument
    # "answered" a question about carbon emissions that neither instrument touches.
    content = "what carbon emission targets do the manpower law and on community satisfaction surveys set"
    plan = QueryPlan(question=content, language="en", content=content)
    terms = Terms(("carbon", "emission", "targets", "manpower", "community", "satisfaction", "surveys"), {},
                  frozenset())
    assert len(topic_parts(plan, terms)) == 2
    described = Words.of("Pedoman Penyusunan Survei Kepuasan Masyarakat Unit Penyelenggara Pelayanan Publik")
    assert topic_parts(plan, terms, described) == []


def test_the_subject_of_a_named_instrument_is_not_what_a_question_asks_about() -> None:
    uu = _meta("uu-13", "UU", "13", 2003, None, subject="Ketenagakerjaan")
    question = "Siapa yang dikategorikan sebagai anak menurut UU 13/2003 tentang Ketenagakerjaan?"
    untitled = without_titles(question, [uu])
    assert asked_term(untitled, "anak") and not asked_term(untitled, "ketenagakerjaan")
    assert asked_term(without_titles("Apa yang dimaksud dengan ketenagakerjaan?", []), "ketenagakerjaan")


@pytest.mark.parametrize("question", [
    "Siapa yang dimaksud dengan Pemimpin Perguruan Tinggi dalam Permendikbud tentang Akreditasi Perguruan Tinggi?",
    "What does the ministerial regulation on Accreditation of Higher Education mean by Pemimpin Perguruan Tinggi?",
])
def test_the_subject_of_an_instrument_named_in_words_only_is_not_the_asked_term(question: str) -> None:
    untitled = without_titles(question, [])
    assert asked_term(untitled, "pemimpin perguruan tinggi")
    assert not asked_term(untitled, "akreditasi perguruan tinggi")


def test_a_number_misread_from_a_handwritten_title_still_finds_its_instrument_by_subject() -> None:
    read = _meta("benih", "Perbup", "5", 2015, "73.15", "Kabupaten Pinrang",
                 subject="Harga Penjualan Benih Ikan, Udang dan Es Balok")
    assert read.regulation is not None
    unsure = read.model_copy(update={"regulation": read.regulation.model_copy(
        update={"confidence": (("number", 0.5),)})})
    sure = _meta("cfd", "Perbup", "13", 2015, "73.15", "Kabupaten Pinrang", subject="Hari Bebas Kendaraan Bermotor")
    metas = {m.doc_id: m for m in (unsure, sure)}
    asked = "Berapa harga benih ikan nila menurut Perbup Pinrang 3/2015?"
    assert misnumbered(asked, "3", 2015, metas, [PINRANG]) == ("benih",)
    # Without the subject, or for a document whose number was read sure, a missing number stays missing.
    assert misnumbered("Apa isi Perbup Pinrang 3/2015?", "3", 2015, metas, [PINRANG]) == ()
    assert misnumbered("Kapan hari bebas kendaraan bermotor menurut Perbup Pinrang 3/2015?", "3", 2015, metas,
                       [PINRANG]) == ()


def test_a_comparison_asking_each_instrument_apart_gives_each_its_own_clause() -> None:
    asked = ("PP 4/2014 says quality assurance runs through accreditation by which bodies, and under BAN-PT "
             "Regulation 9/2020 when does a LAM start accrediting?")
    assert side_clauses(asked, [("4", 2014), ("9", 2020)]) == (
        "pp 4/2014 says quality assurance runs through accreditation by which bodies",
        "and under ban-pt regulation 9/2020 when does a lam start accrediting")
    # Described by year, with a clause naming neither shared by both.
    described = "Compare the two; what does the 2012 statute say, while what does the 2017 decree allow?"
    assert side_clauses(described, [("43", 2012), ("228", 2017)]) == (
        "what does the 2012 statute say compare the two", "while what does the 2017 decree allow compare the two")
    # A clause that only names the other side asks what the first one asks: it is judged on the whole question.
    elliptical = ("How are collection incentives handled in Pergub 41/2022 on tax incentives compared with "
                  "Perda 4/2022 on retribution levies?")
    assert side_clauses(elliptical, [("41", 2022), ("4", 2022)]) == (
        "how are collection incentives handled in pergub 41/2022 on tax incentives", "")
    asking = ("How often must the SOPs of Kepbup 5/2018 be evaluated, compared with how often providers must "
              "run surveys under PermenPANRB 14/2017?")
    assert side_clauses(asking, [("5", 2018), ("14", 2017)])[1].startswith("compared with how often providers")
    # "Bandingkan A dengan B": after an opening "compare", "with" opens the other side.
    opened = "Bandingkan waktu pembayaran insentif menurut Pergub 41/2022 dengan waktu bayar menurut Perbup 2/2014."
    assert side_clauses(opened, [("41", 2022), ("2", 2014)]) == (
        "bandingkan waktu pembayaran insentif menurut pergub 41/2022", "dengan waktu bayar menurut perbup 2/2014.")
    assert side_clauses("Apa kewajiban pengusaha menurut Perda 4/2022 dengan Perbup 2/2014?",
                        [("4", 2022), ("2", 2014)]) == ("", "")
    # A second question after a comma opens a side; so does a comparison stating a condition of its own.
    fines = ("What fine does UU 13/2003 set, how does that compare with the maximum fine in Pinrang's becak bylaw?")
    assert side_clauses(fines, [("13", 2003), "pinrang"]) == (
        "what fine does uu 13/2003 set", "how does that compare with the maximum fine in pinrang's becak bylaw")
    condition = ("Bagaimana insentif karyawan RSUD Lasinrang Pinrang dihitung, dibandingkan dengan pegawai yang "
                 "mengambil cuti besar menurut Pergub 41/2022?")
    assert side_clauses(condition, ["pinrang", ("41", 2022)])[1].startswith("dibandingkan dengan pegawai yang")
    # Two instruments in one clause are asked the same thing.
    assert side_clauses("How do Perwali 1/2020 and Perwali 2/2021 define X?", [("1", 2020), ("2", 2021)]) == ("", "")
    # A side joined by "and" that asks nothing of its own is asked what the other is: the whole question.
    joined = ("How does unpaid leave affect a LAPAN employee's allowance under Perpres 161/2015, and a dean under "
              "the 2012 statute?")
    assert side_clauses(joined, [("161", 2015), ("43", 2012)])[1] == ""
    # One that asks its own question keeps its clause, in Indonesian's "dari mana" and "seberapa" too.
    for own in ("dan dari mana pajak dibebankan menurut Perpres 161/2015?", "dan seberapa sering menurut PP 4/2014?"):
        number, year = ("161", 2015) if "161" in own else ("4", 2014)
        clauses = side_clauses(f"Dari anggaran mana biaya dibebankan dalam Kepka 1/2006, {own}",
                               [("1", 2006), (number, year)])
        assert clauses[1].startswith("dan "), clauses


def test_a_quantity_asked_by_its_noun_is_stated_by_a_sentence_holding_that_noun_and_a_quantity() -> None:
    noun = asked_noun("What penalty does Pinrang's bylaw set for an unregistered pedicab?")
    assert noun == "penalty"
    penal = "Setiap orang yang melanggar Pasal 2 diancam pidana kurungan paling lama 3 (tiga) bulan."
    context = "Setiap kendaraan wajib didaftar paling lama 3 (tiga) bulan setelah dibeli."
    assert states_noun(penal, noun, "amount") and not states_noun(context, noun, "amount")
    # "How much" names no noun; "berapa lama" asks a span, not a thing.
    assert asked_noun("How much does the city charge?") is None and asked_noun("Berapa lama cuti diberikan?") is None
    # English asks a counted or measured thing as "berapa" does: "how many surveyors", "how much honorarium".
    assert asked_noun("How many surveyors may the survey team have?") == "surveyors"
    assert asked_noun("How much honorarium does the decree grant?") == "honorarium"


def test_an_instruments_number_in_its_opening_passages_is_indexed_once_for_every_question(library) -> None:
    from api.engine.plan import opening_identifiers
    from api.engine.search import warm
    from vectorstore.hybrid import HybridRetriever

    retriever = HybridRetriever(library)
    warm(retriever)
    index = opening_identifiers(retriever)
    assert opening_identifiers(retriever) is index  # built by warm, not again per question
    regulations = [(d, m.regulation) for d, m in retriever.documents().items() if m.regulation is not None]
    carried = [d for d, ref in regulations if d in index.get(f"{ref.number}/{ref.year}".lower(), ())]
    assert regulations and len(carried) >= len(regulations) // 2
    assert all("/" in token for token in index)


@pytest.mark.parametrize(("directive", "restated", "elsewhere"), [
    ("1. Ketentuan Pasal 1 diubah, di antara angka 17 dan angka 18 disisipkan 1 (satu) angka yakni angka 17A dan "
     "ketentuan angka 22 diubah, sehingga Pasal 1 berbunyi sebagai berikut:", "17A. Akademi adalah perguruan tinggi",
     "17. Universitas adalah perguruan tinggi"),
    # The directive's own drafting slip, "(3)a" for "(3a)", as the restated ayat may repeat it.
    ("Di antara ayat (3) dan ayat (4), Pasal 2 disisip 2 (dua) ayat yakni ayat (3)a dan (3)b sehingga Pasal 2 "
     "berbunyi sebagai berikut :", "(3a) Sebagai pelaksanaan efisiensi anggaran", "(3) Pertimbangan penghasilan tetap"),
])
def test_the_units_a_directive_inserts_are_found_where_the_restated_text_opens_them(
    directive: str, restated: str, elsewhere: str,
) -> None:
    openings = inserted_openings(directive)
    assert openings and all(end <= len(directive) for end, _ in openings)
    assert any(opens.match(restated) for _, opens in openings)
    assert not any(opens.match(elsewhere) for _, opens in openings)
    assert not inserted_openings("Ketentuan Pasal 5 diubah sehingga berbunyi sebagai berikut:")

