"""The extractive engine and the comparison: verbatim citations, per-city answers, refusals, the matrix."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from api.engine.aspects import aspects_of, matches_aspect
from api.engine.citations import (
    Sentence,
    clip,
    holds_signature,
    list_items,
    split_sentences,
    too_short,
    with_lists,
    with_signatures,
)
from api.engine.compare import compare
from api.engine.definitions import asked_definition
from api.engine.extractive import answer_extractive, favour_region
from api.engine.features import Terms, asked_term, defined_term, is_asked_article
from api.engine.instruments import as_hit
from api.engine.matching import Words, question_terms, term_in, word_at
from api.engine.plan import analyse
from api.engine.retrieval import (
    LOCAL_SHARE,
    group_terms,
    plan_groups,
    question_terms_of,
    within_instrument,
)
from api.engine.search import search_planned
from api.engine.sentences import stated_words
from core.errors import UnknownCityError
from core.types import Answer, Passage, PassageRole, Region, SearchFilters, SearchHit
from vectorstore.hybrid import HybridRetriever


@pytest.fixture(scope="module")
def retriever(library) -> HybridRetriever:
    return HybridRetriever(library)


def assert_verbatim(answer_citations, library) -> None:
    assert answer_citations
    for c in answer_citations:
        clean = library.catalog.get_clean(c.doc_id)
        assert clean.text[c.start : c.end] == c.quote
        assert clean.page_at(c.start) == c.page


def test_answer_quotes_the_document_verbatim_at_its_offsets(retriever, library):
    answer = answer_extractive(retriever, "What is the HORE application in Balikpapan?")
    assert answer.covered and answer.engine == "extractive"
    assert "Hospital Online Reservation" in answer.text
    assert_verbatim(answer.citations, library)
    for c in answer.citations:
        assert f"[{c.marker}]" in answer.text


def test_cited_city_passages_are_evidence_for_that_city(retriever, library):
    answer = answer_extractive(retriever, "What SPBE index scores did Balikpapan and Samarinda reach?")
    passages = retriever.passages()
    assert answer.citations
    for c in answer.citations:
        assert c.city is not None and c.city in passages[c.passage_id].about_cities


def test_multi_city_question_is_answered_per_city(retriever, library):
    answer = answer_extractive(retriever, "Compare the SPBE regulations of Balikpapan and Samarinda.")
    codes = {library.gazetteer.resolve(n).code for n in ("Balikpapan", "Samarinda")}
    assert {group.city for group in answer.by_city} == codes
    assert all(group.sentences for group in answer.by_city)


def test_regulation_answer_cites_the_pasal_and_instrument(retriever, library):
    answer = answer_extractive(retriever, "Kepada siapa PPID Utama Kota Singkawang bertanggung jawab?")
    assert "Sekretaris Daerah" in answer.text
    assert any(c.label.startswith("Pasal ") and "No. 24 Tahun 2018" in c.label for c in answer.citations)
    assert_verbatim(answer.citations, library)


def test_question_the_corpus_does_not_cover_is_refused_plainly(retriever):
    answer = answer_extractive(retriever, "Who won the 2022 World Cup final?")
    assert not answer.covered and not answer.citations
    assert "does not cover" in answer.text
    assert "World Cup" in answer.searched
    assert answer.nearest_documents


def test_refusal_names_the_city_that_was_searched(retriever):
    answer = answer_extractive(retriever, "When will the Surabaya metro rail line open?")
    assert not answer.covered
    assert "Surabaya" in answer.searched


def test_filters_restrict_the_evidence(retriever, library):
    doc = next(d for d in library.documents() if d.filename.startswith("perbup_banyuwangi"))
    answer = answer_extractive(retriever, "PPID bertugas", SearchFilters(doc_ids=[doc.doc_id]))
    assert answer.citations and all(c.doc_id == doc.doc_id for c in answer.citations)


def test_comparison_has_a_cell_per_aspect_and_city_with_cited_instruments(retriever, library):
    comparison, timeline = compare(retriever, ["Balikpapan", "Samarinda"], "SPBE")
    codes = [r.code for r in comparison.cities]
    assert len(comparison.matrix) == len(comparison.aspects) * 2
    spbe = [cell for cell in comparison.matrix if cell.aspect == "SPBE"]
    assert {cell.city for cell in spbe} == set(codes)
    numbers = {(ref.number, ref.year) for cell in spbe for ref in cell.instruments}
    # Table 1 of Akbar et al.: Balikpapan 31/2020 and Samarinda 10/2022 implement SPBE.
    assert ("31", 2020) in numbers and ("10", 2022) in numbers
    for cell in comparison.matrix:
        for c in cell.citations:
            assert c.city == cell.city
    assert_verbatim(comparison.citations, library)
    assert [row.year for row in timeline] == sorted(row.year for row in timeline)


def test_comparison_says_when_a_city_has_no_evidence(retriever):
    comparison, _ = compare(retriever, ["Singkawang", "Kendari"], "Samagov super-app platform")
    assert any(a.no_evidence for a in comparison.answers)


def test_comparison_rejects_an_unknown_city_by_name(retriever):
    with pytest.raises(UnknownCityError, match="Gotham"):
        compare(retriever, ["Balikpapan", "Gotham"], "SPBE")


def test_aspect_keywords_match_english_and_indonesian():
    assert matches_aspect("One Data / Satu Data", "Forum Satu Data Indonesia Tingkat Provinsi")
    assert matches_aspect("One Data / Satu Data", "Integrated Local One Data")
    assert "Information security" in aspects_of("SPBE Information Security Management")
    assert "Information security" in aspects_of("Audit Keamanan Sistem Pemerintahan Berbasis Elektronik")


@given(st.text(max_size=400))
def test_sentences_are_exact_spans_of_the_text(text):
    for sentence in split_sentences(text):
        assert text[sentence.start : sentence.end] == sentence.text and sentence.text.strip() == sentence.text
        short = clip(sentence, limit=60)
        assert text[short.start : short.end] == short.text


def test_a_sum_after_rp_stays_in_its_sentence():
    text = ("Pada Perubahan APBD TA 2016 ini terdapat pemangkasan dana transfer sebesar total Rp. 314.971.502.000. "
            "Belanja daerah disesuaikan.")
    assert [s.text for s in split_sentences(text)] == [
        "Pada Perubahan APBD TA 2016 ini terdapat pemangkasan dana transfer sebesar total Rp. 314.971.502.000.",
        "Belanja daerah disesuaikan."]


def test_answer_round_trips_through_its_schema(retriever):
    answer = answer_extractive(retriever, "How many active e-government applications does Malang City have?")
    assert Answer.model_validate_json(answer.model_dump_json()) == answer


def test_asked_article_is_answered_from_that_article_in_its_order(retriever, library):
    answer = answer_extractive(retriever, "What does Pasal 5 of Peraturan BSSN 8/2024 say about audit frequency?")
    passages = retriever.passages()
    assert answer.citations and all(passages[c.passage_id].pasal == "5" for c in answer.citations)
    assert "1 (satu) kali dalam 1 (satu) tahun" in answer.text
    starts = [c.start for c in answer.citations]
    assert starts == sorted(starts)
    assert_verbatim(answer.citations, library)


def test_how_a_city_regulates_a_topic_is_answered_with_its_instruments(retriever, library):
    # Table 1 of the Balikpapan–Samarinda paper lists each city's SPBE regulations; prose outranks the table.
    answer = answer_extractive(retriever, "How do Balikpapan and Samarinda regulate SPBE?")
    by_city = {g.city: " ".join(s.text for s in g.sentences) for g in answer.by_city}
    balikpapan, samarinda = (library.gazetteer.resolve(n).code for n in ("Balikpapan", "Samarinda"))
    assert "31/2020" in by_city[balikpapan] and "31/2020" not in by_city[samarinda]
    assert "10/2022" in by_city[samarinda] and "10/2022" not in by_city[balikpapan]
    assert_verbatim(answer.citations, library)


def test_a_lead_in_is_quoted_with_the_list_it_introduces(retriever, library):
    answer = answer_extractive(retriever, "Bagaimana susunan organisasi Sekretariat DPRD Kota Surabaya?")
    assert "terdiri atas" in answer.text and "Bagian Umum" in answer.text
    assert_verbatim(answer.citations, library)


def test_a_question_about_what_no_passage_mentions_is_refused(retriever):
    answer = answer_extractive(retriever, "What is Balikpapan's flood control budget for 2024?")
    assert not answer.covered and not answer.citations


def test_bulleted_items_are_sentences_of_their_own_with_the_cells_city():
    text = "• Mayor's Regulation 31/2020: Implementation of SPBE • Mayor's Regulation 14/2022: SPBE refinement"
    items = list_items(Sentence(0, len(text), text, "64.71"))
    assert [i.text for i in items] == ["Mayor's Regulation 31/2020: Implementation of SPBE",
                                       "Mayor's Regulation 14/2022: SPBE refinement"]
    assert all(i.city == "64.71" and i.item and text[i.start : i.end] == i.text for i in items)


def test_bullets_a_scan_read_as_a_lone_letter_still_part_items_but_a_lettered_explanation_does_not():
    text = ("Penanggungjawab UAKPB : e Menunjuk Petugas Akuntansi Barang e Menyusun Laporan BMN setiap akhir bulan "
            "« Menyimpan arsip data BMN")
    items = list_items(Sentence(0, len(text), text))
    assert [i.text for i in items] == ["Penanggungjawab UAKPB :", "Menunjuk Petugas Akuntansi Barang",
                                       "Menyusun Laporan BMN setiap akhir bulan", "Menyimpan arsip data BMN"]
    assert all(text[i.start : i.end] == i.text for i in items)
    explained = "Huruf d Cukup jelas. Huruf e Cukup jelas."
    assert [i.text for i in list_items(Sentence(0, len(explained), explained))] == [explained]


def test_a_list_joins_its_lead_in_only_while_the_numbering_style_holds():
    text = "(1) Susunan terdiri atas:\na. Sekretariat;\nb. Bagian Umum;\n(2) Bagan susunan tercantum dalam lampiran."
    sentences = with_lists(text, split_sentences(text))
    assert sentences[0].text == "(1) Susunan terdiri atas:\na. Sekretariat;\nb. Bagian Umum;"
    assert "(2) Bagan susunan tercantum dalam lampiran." in [s.text for s in sentences]
    assert all(text[s.start : s.end] == s.text for s in sentences)


def test_a_list_chosen_to_quote_runs_on_through_the_items_the_quote_limit_cut_off():
    from api.engine.citations import MAX_QUOTE_CHARS, whole_list

    items = "".join(f"{chr(ord('a') + i)}. Bangunan Gedung dengan fungsi nomor {i:02d};\n" for i in range(15))
    text = f"(5) Tidak termasuk objek Retribusi adalah penerbitan PBG untuk bangunan:\n{items}(6) Pasal berikutnya."
    cut = with_lists(text, split_sentences(text))[0]
    assert cut.listed and len(cut.text) <= MAX_QUOTE_CHARS and "o. Bangunan" not in cut.text
    whole = whole_list(text, cut)
    assert whole.start == cut.start and text[whole.start : whole.end] == whole.text
    assert whole.text.endswith("o. Bangunan Gedung dengan fungsi nomor 14;") and "(6)" not in whole.text
    # A sentence that opens no list is quoted as it was.
    plain = split_sentences(text)[-1]
    assert whole_list(text, plain) == plain


def test_a_list_whose_markers_the_ocr_read_as_dots_joins_its_lead_in_up_to_the_closing_item():
    text = ("Pasal 5\nObjek Penjualan berupa: . Benih Ikan Mas: . Benih Ikan Nila; Benih Udang Windu, dan, Es balok."
            "\n\nSubjek Penjualan adalah orang pribadi atau Badan Hukum yang membeli hasil produksi Balai Benih.")
    sentences = [s.text for s in with_lists(text, split_sentences(text))]
    assert sentences[0] == ("Pasal 5\nObjek Penjualan berupa: . Benih Ikan Mas: . Benih Ikan Nila; Benih Udang Windu, "
                            "dan, Es balok.")
    # An item ending in a stray colon opens no list of its own, and the next article's sentence is not an item.
    assert "Benih Ikan Mas: ." in sentences
    assert not any(s.startswith("Benih Ikan Mas: . Benih") for s in sentences)
    assert sentences[-1].startswith("Subjek Penjualan")


def test_a_list_whose_first_item_shares_the_lead_ins_line_and_whose_markers_the_ocr_bent_is_one_list():
    text = ("Setiap lulusan harus memiliki sikap sebagai berikut: a, bertakwa kepada Tuhan,\nb. menjunjung tinggi "
            "nilai kemanusiaan,\nc, berperan sebagai warga negara yang cinta tanah air.\n\nPasal 2 berlaku.")
    sentences = [s.text for s in with_lists(text, split_sentences(text))]
    assert sentences[0].endswith("c, berperan sebagai warga negara yang cinta tanah air.")
    assert "c, berperan sebagai warga negara yang cinta tanah air." in sentences


def test_a_lead_in_without_its_colon_still_joins_its_items():
    text = ("(1) Waktu pelaksanaan adalah\na. setiap hari Minggu pukul 05.30 sampai pukul 09.30;\nb. setiap hari "
            "Jumat pukul 18.00 sampai pukul 24.00.\n(2) Lokasi pelaksanaan adalah jalan seputar taman kota.")
    sentences = [s.text for s in with_lists(text, split_sentences(text))]
    assert sentences[0].startswith("(1) Waktu pelaksanaan adalah\na. setiap hari Minggu")
    assert sentences[0].endswith("pukul 24.00.")
    assert sentences[-1] == "(2) Lokasi pelaksanaan adalah jalan seputar taman kota."


def test_a_names_initials_and_titles_do_not_end_a_sentence():
    text = "Lokasinya Jalan A. Abdullah sampai Jalan KH. Ahmad Dahlan, ditandatangani Drs. H. Ahmad. Pasal 2 berlaku."
    assert [s.text for s in split_sentences(text)] == [
        "Lokasinya Jalan A. Abdullah sampai Jalan KH. Ahmad Dahlan, ditandatangani Drs. H. Ahmad.", "Pasal 2 berlaku."]


@given(st.text(max_size=300))
def test_lists_and_items_are_exact_spans_of_the_text(text):
    for sentence in with_lists(text, split_sentences(text)):
        assert text[sentence.start : sentence.end] == sentence.text
        for item in list_items(sentence):
            assert text[item.start : item.end] == item.text and item.text.strip() == item.text


def test_a_signature_block_is_one_sentence_from_place_and_date_to_the_signers_name():
    text = ("Agar setiap orang mengetahuinya, memerintahkan pengundangan.\n\nDitetapkan di Sungai Liat pada tanggal "
            "3 Maret 2019\n\nBUPATI BANGKA,\n\nttd\n\nMULKAN\n\nDiundangkan di Sungai Liat pada tanggal 4 Maret 2019"
            "\n\nPlt. SEKRETARIS DAERAH, ttd\n\nDrs. H. AHMAD YANI, MM Pangkat : Pembina NIP : 19600101 198003 1 001"
            "\n\nBERITA DAERAH KABUPATEN BANGKA TAHUN 2019 NOMOR 7")
    sentences = [s.text for s in with_signatures(text, split_sentences(text))]
    assert "Ditetapkan di Sungai Liat pada tanggal 3 Maret 2019\n\nBUPATI BANGKA,\n\nttd\n\nMULKAN" in sentences
    assert ("Diundangkan di Sungai Liat pada tanggal 4 Maret 2019\n\nPlt. SEKRETARIS DAERAH, ttd\n\n"
            "Drs. H. AHMAD YANI, MM") in sentences
    assert "Pangkat : Pembina NIP : 19600101 198003 1 001" in sentences  # what follows the name stays
    assert "Agar setiap orang mengetahuinya, memerintahkan pengundangan." in sentences
    assert "BUPATI BANGKA," not in sentences  # the block's pieces are read inside it


def test_a_reference_wrapped_before_its_number_does_not_end_a_sentence():
    text = ("(2) Perubahan yang mendasar sebagaimana dimaksud pada ayat\n(1) huruf c, meliputi terjadinya bencana alam."
            "\n(3) Perubahan ditetapkan dengan Peraturan Bupati.")
    assert [s.text for s in split_sentences(text)] == [
        "(2) Perubahan yang mendasar sebagaimana dimaksud pada ayat\n(1) huruf c, meliputi terjadinya bencana alam.",
        "(3) Perubahan ditetapkan dengan Peraturan Bupati."]


def test_closing_formulas_an_ocr_layer_ran_into_the_last_article_open_sentences():
    text = ("Pasal 18\nPeraturan Gubernur ini mulai berlaku pada tanggal diundangkan Agar setiap orang mengetahuinya, "
            "memerintahkan pengundangan Peraturan Gubernur ini Ditetapkan di Jakarta pada tanggal 24 Agustus 2022 "
            "GUBERNUR, ttd ANIES Diundangkan di Jakarta pada tanggal 26 Agustus 2022 SEKRETARIS DAERAH, ttd MARULLAH")
    sentences = [s.text for s in split_sentences(text)]
    assert "Ditetapkan di Jakarta pada tanggal 24 Agustus 2022 GUBERNUR, ttd ANIES" in sentences
    assert "Diundangkan di Jakarta pada tanggal 26 Agustus 2022 SEKRETARIS DAERAH, ttd MARULLAH" in sentences
    assert holds_signature(text) and not holds_signature("Pasal 2\nTarif ditetapkan di dalam Lampiran.")


def test_when_a_named_instrument_takes_effect_is_answered_from_its_commencement_clause(retriever, library):
    answer = answer_extractive(retriever, "When does Perwali Surabaya 68/2021 take effect?")
    assert answer.covered
    assert "mulai berlaku pada tanggal 1 Januari 2022" in answer.text
    assert "Ditetapkan" not in answer.text  # the signature's dates are not when it takes effect
    assert_verbatim(answer.citations, library)


def test_a_definition_question_is_answered_first_with_the_definition_of_the_term_it_names(retriever, library):
    # "Sekretariat DPRD" and "DPRD" are both defined; the longer term the question names is the one asked.
    answer = answer_extractive(retriever, "What is meant by Sekretariat DPRD in Perwali Surabaya 68/2021?")
    assert answer.covered
    assert answer.by_city[0].sentences[0].text.startswith("8. Sekretariat DPRD adalah")
    assert_verbatim(answer.citations, library)


def test_an_asked_article_is_quoted_with_what_else_the_question_asks(retriever, library):
    question = "Apa isi Pasal 2 Perwali Surabaya 68/2021, dan terdiri atas apa Kelompok Jabatan Fungsional?"
    answer = answer_extractive(retriever, question)
    assert answer.covered
    assert "Sekretariat DPRD merupakan unsur pelayanan administrasi" in answer.text  # the asked article, first
    assert "Kelompok Jabatan Fungsional terdiri atas" in answer.text  # and the second part, from Pasal 9
    assert_verbatim(answer.citations, library)
    original = library.settings
    library.settings = original.model_copy(
        update={"answer": original.answer.model_copy(update={"focus_complement_share": 0.0})})
    try:
        alone = answer_extractive(retriever, question)
    finally:
        library.settings = original
    assert "Kelompok Jabatan Fungsional terdiri atas" not in alone.text


def test_a_term_is_looked_up_in_the_definitions_of_the_documents_the_evidence_comes_from(retriever, library):
    # No instrument resolved, and the evidence holds none of its definitions: the defining passage is still read.
    plan = analyse(retriever, "Apa yang dimaksud dengan Sekretariat DPRD?", SearchFilters())
    doc = next(m.doc_id for m in library.documents()
               if m.filename.endswith("perwali_surabaya_68_2021_sotk_sekretariat_dprd.pdf"))
    evidence = [as_hit(retriever, p) for p in retriever.passages_of(doc) if p.role != PassageRole.DEFINITIONS][:3]
    defined = asked_definition(retriever, plan, (), evidence)
    assert defined is not None and "Sekretariat DPRD adalah" in defined.passage.text
    assert defined.passage.role == PassageRole.DEFINITIONS


def test_search_puts_the_definition_of_the_term_a_question_names_first(retriever, library):
    hits = search_planned(retriever, "Apa yang dimaksud dengan Sekretariat DPRD dalam Perwali Surabaya 68/2021?",
                          SearchFilters(), 5, library.settings.answer)
    assert "8. Sekretariat DPRD adalah" in hits[0].passage.text


def test_the_term_a_definition_defines_is_read_whole():
    assert defined_term("6. Barang Inventaris adalah barang milik daerah yang …") == "barang inventaris"
    # Numbered in brackets, or inserted by an amendment with a letter after its number.
    assert defined_term("(3) Pegawai Lainnya adalah pegawai yang diangkat …") == "pegawai lainnya"
    assert defined_term("17A. Akademi adalah perguruan tinggi …") == "akademi"
    assert asked_term("What counts as an 'inventory item' (barang inventaris)?", "barang inventaris")
    assert not asked_term("Apa yang dimaksud dengan barang milik daerah?", "barang milik negara")
    assert defined_term("Pasal 6 Sekretaris Daerah berwenang menyetujui rencana.") is None


def test_a_place_and_date_line_without_a_signature_after_it_is_left_alone():
    text = "Ditetapkan di Jakarta pada tanggal 5 Mei 2020\n\nDiundangkan di Jakarta pada tanggal 6 Mei 2020"
    assert [s.text for s in with_signatures(text, split_sentences(text))] == [
        "Ditetapkan di Jakarta pada tanggal 5 Mei 2020", "Diundangkan di Jakarta pada tanggal 6 Mei 2020"]


@given(st.lists(st.sampled_from(["Ditetapkan di X pada tanggal 1 Mei 2020", "GUBERNUR BALI,", "ttd", "TID.",
                                 "a.n.", "WAYAN KOSTER", "NIP 1960", "Diundangkan di X", "Pasal 2 berlaku."]),
                max_size=12))
def test_signature_blocks_are_exact_spans_of_the_text(lines):
    text = "\n\n".join(lines)
    for sentence in with_signatures(text, split_sentences(text)):
        assert text[sentence.start : sentence.end] == sentence.text and sentence.text.strip() == sentence.text


def test_a_translated_word_matches_in_its_affixed_forms():
    # "work" is "kerja" in the glossary; the paper writes "bekerja sama".
    assert term_in("work", Words.of("Pemerintah kota bekerja sama dengan Telkom"))
    assert not term_in("flood", Words.of("Pemerintah kota bekerja sama dengan Telkom"))


@pytest.mark.parametrize(
    ("english", "sentence"),
    [  # Sentences of UU 13/2003, Perpres 161/2015 and the Haluoleo statute, as the devset's texts read them.
        ("ages", "dapat dikecualikan bagi anak berumur antara 13 (tiga belas) tahun sampai dengan 15 (lima belas)"),
        ("outside", "Pegawai … yang diberikan cuti di luar tanggungan negara"),
        ("composed", "Satuan Pengawasan Internal terdiri dari 5 (lima) orang anggota"),
        ("representatives", "Wakil organ sebagaimana dimaksud pada ayat (1) terdiri atas:"),
        ("circumstances", "apabila terjadi perubahan keadaan yang mendasar"),
    ],
)
def test_an_english_question_word_matches_the_everyday_indonesian_word_of_a_rule(english, sentence):
    # Without these glossary entries the sentence shares no word with the English question, and another sentence
    # of the same passage is quoted instead.
    assert term_in(english, Words.of(sentence))
    assert not term_in(english, Words.of("Pasal 1 Dalam Peraturan ini yang dimaksud dengan Pemerintah Daerah"))


# Rows of Perpres 161/2015's Lampiran (LAPAN's performance allowance per job class), as the devset's scan reads them:
# "No | Kelas Jabatan | Tunjangan Kinerja".
_ALLOWANCE_ROWS = ("1. 17 Rp26.324.000.00", "3. 15 Rp 14.72 1.000.00", "4. 14 Rp 11.670.000,00 i",
                   "6. 12 Rp 7.271.000,00 {", "12. 6 Rp 2.702.000,00", "14. 4 Rp 2.350.000,00")


def test_a_row_key_a_question_names_is_not_the_rows_number_nor_a_digit_group_of_its_figure():
    held = [row for row in _ALLOWANCE_ROWS if term_in("14", stated_words(row))]
    assert held == ["4. 14 Rp 11.670.000,00 i"]
    assert [row for row in _ALLOWANCE_ROWS if term_in("12", stated_words(row))] == ["6. 12 Rp 7.271.000,00 {"]
    # A figure asked whole is still there, and so is a number standing alone in a sentence.
    assert term_in("11.670.000", stated_words("4. 14 Rp 11.670.000,00 i"))
    assert term_in("14", stated_words("(2) Keberatan diajukan paling lama 14 (empat belas) hari kerja."))


def test_a_span_of_years_is_one_question_word_unless_a_year_is_also_asked_alone():
    # As three of the rarest words, "2025-2029" outweighed "controls" and "evaluates" in every sentence of the plan.
    terms = question_terms("Who controls and evaluates the implementation of Donggala's 2025-2029 RPJMD?")
    assert "2025-2029" in terms and "2025" not in terms and "2029" not in terms
    assert {"controls", "evaluates"} <= set(terms)
    assert {"2025-2029", "2027"} <= set(question_terms("Apa target RPJMD 2025-2029 untuk tahun 2027?"))
    assert "2025" in question_terms("How did the 2025-2029 RPJMD change the 2025 budget?")


def test_a_word_matches_by_its_first_letters_only_when_it_is_longer_than_them():
    assert term_in("evaluate", Words.of("Evaluasi dilakukan setiap tahun"))  # a cognate's shared first letters
    assert not term_in("organ", Words.of("Susunan organisasi dan tata kerja"))  # a whole word, not a root
    assert term_in("organ", Words.of("UHO memiliki organ yang terdiri atas Senat dan Rektor"))


def test_a_clipped_quote_is_centred_on_the_asked_word_as_the_engine_matches_it():
    text = "Pajak daerah dipungut oleh Bapenda dan pelaksanaannya dilaporkan kepada Wali Kota setiap bulan."
    # By its root ("dilaksanakan" and "pelaksanaannya" are both "laksana"), by its first letters (an English
    # cognate) and as written; the first asked word the text holds decides, and an unheld one finds nothing.
    assert word_at(text, ["dilaksanakan"]) == text.index("pelaksanaannya")
    assert word_at(text, ["monthly", "reported"]) is None
    assert word_at(text, ["bapendas"]) == text.index("Bapenda")
    assert word_at(text, ["banjir", "wali"]) == text.index("Wali")


def test_each_matrix_citation_quotes_the_instrument_of_its_cell(retriever, library):
    comparison, _ = compare(retriever, ["Balikpapan", "Samarinda"], "SPBE")
    balikpapan = library.gazetteer.resolve("Balikpapan").code
    one_data = next(c for c in comparison.matrix if c.aspect.startswith("One Data") and c.city == balikpapan)
    # Table 1 lists Presidential Regulation 39/2019 (One Data Indonesia) before Mayor's Regulation 39/2019.
    assert one_data.citations and all("Mayor's Regulation 39/2019" in c.quote for c in one_data.citations)
    for cell in comparison.matrix:
        for c in cell.citations:
            assert any(re.search(rf"\b0*{re.escape(ref.number)}\b", c.quote) for ref in cell.instruments), c.quote


def test_the_matrix_shows_an_instrument_ingested_after_an_earlier_comparison(built_corpus, tmp_path_factory):
    # The matrix reads each region's instruments once per store generation: an ingest must start a new one.
    from ingest.library import LibraryWriter
    from testing.corpus import copy_corpus, make_settings

    note = tmp_path_factory.mktemp("note") / "balikpapan_spbe_note.txt"
    note.write_text("Catatan kebijakan Kota Balikpapan. Pemerintah Kota Balikpapan menetapkan Peraturan Wali Kota "
                    "Balikpapan Nomor 77 Tahun 2024 tentang Sistem Pemerintahan Berbasis Elektronik (SPBE) untuk "
                    "memperkuat tata kelola SPBE di seluruh perangkat daerah.\n", encoding="utf-8")

    def spbe_numbers(retriever: HybridRetriever) -> set[tuple[str, int | None]]:
        comparison, _ = compare(retriever, ["Balikpapan", "Samarinda"], "SPBE")
        return {(ref.number, ref.year) for cell in comparison.matrix if cell.aspect == "SPBE"
                for ref in cell.instruments}

    settings = make_settings(copy_corpus(built_corpus, tmp_path_factory, "matrix-after-ingest"))
    with LibraryWriter.open(settings) as library:
        retriever = HybridRetriever(library)
        before = spbe_numbers(retriever)
        assert ("31", 2020) in before and ("77", 2024) not in before
        assert [o.status for o in library.ingest_paths([note])] == ["added"]
        after = spbe_numbers(retriever)
    assert after == before | {("77", 2024)}


def test_what_a_named_instrument_revokes_is_answered_from_its_revocation_article(retriever, library):
    answer = answer_extractive(retriever, "Peraturan apa yang dicabut oleh Perwali Surabaya 68/2021?")
    assert answer.covered
    assert "Nomor 45 Tahun 2016" in answer.text and "dicabut dan dinyatakan tidak berlaku" in answer.text
    assert_verbatim(answer.citations, library)


def test_a_question_for_an_instrument_s_legal_basis_is_answered_from_its_mengingat_list(retriever, library):
    # The list of legal bases names other instruments, so it is no evidence unless asked for in so many words.
    answer = answer_extractive(retriever, "Which Information Commission regulation on public information service "
                                          "standards is a legal basis of Banyuwangi's Perbup 19/2012?")
    assert answer.covered and "Peraturan Komisi Informasi Nomor 1 Tahun 2010" in answer.text
    passages = retriever.passages()
    assert passages[answer.citations[0].passage_id].role == PassageRole.LEGAL_BASIS
    assert_verbatim(answer.citations, library)


def test_each_side_of_a_comparison_is_judged_on_the_words_its_own_text_uses(retriever):
    # Surabaya's Perwali never speaks of a PPID, Banyuwangi's Perbup never of the DPRD: each is the other's word.
    question = ("Bandingkan tugas Sekretariat DPRD menurut Perwali Surabaya 68/2021 dengan tugas PPID menurut "
                "Perbup Banyuwangi 19/2012")
    plan = analyse(retriever, question, SearchFilters())
    terms = question_terms_of(retriever, plan)
    groups = plan_groups(plan, SearchFilters())
    judged = {g.instrument.number: group_terms(retriever, terms, g, groups).terms for g in groups if g.instrument}
    assert "ppid" not in judged["68"] and {"tugas", "dprd"} <= set(judged["68"])
    assert "dprd" not in judged["19"] and {"tugas", "ppid"} <= set(judged["19"])


def test_a_short_table_row_stating_a_sum_is_quotable_but_stray_numbering_is_not():
    assert not too_short("11. 7 Rp 2.928.000,00")  # class 7's allowance, one row of an annex table
    assert not too_short("c. Kabupaten 20%")
    assert too_short("7. 11 !") and too_short("Pasal8")


def test_a_province_compared_with_a_regency_answers_under_its_own_code(retriever):
    # The UI and the exports find each side's answer by the compared region's code; a province's was None.
    comparison, _ = compare(retriever, ["Provinsi Kalimantan Barat", "Banyuwangi"],
                            "forum satu data dan keterbukaan informasi")
    answers = {a.city: a for a in comparison.answers}
    assert set(answers) == {r.code for r in comparison.cities}
    kalbar = next(r.code for r in comparison.cities if r.kind == "provinsi")
    assert not answers[kalbar].no_evidence and "Kalimantan Barat" in answers[kalbar].sentences[0].text


def test_an_article_an_amendment_inserts_is_the_article_asked_for_by_its_number():
    def passage(section: str, pasal: str | None) -> Passage:
        return Passage(passage_id="p", doc_id="d", index=0, text="Pasal 53A (1) …", start=0, end=15, page_start=1,
                       page_end=1, section=section, pasal=pasal)

    inserted = passage("Pasal I › angka 3 › Pasal 53A (diubah)", "I")
    assert is_asked_article(inserted, ("53a",))
    assert not is_asked_article(passage("Pasal I › angka 3 › Pasal 53 (diubah)", "I"), ("53a",))
    assert is_asked_article(passage("BAB II › Pasal 5", "5"), ("5",))
    # A long amended article is stored in parts, each named by its paragraphs.
    assert is_asked_article(passage("Pasal I › Pasal 2 ayat (3)–(3a)", "I"), ("2",))
    assert not is_asked_article(passage("Pasal I › Pasal 2A (disisipkan)", "I"), ("2",))
    assert not is_asked_article(passage("Pasal I › Pasal 21 ayat (1)–(2)", "I"), ("2",))


def test_an_asked_article_is_quoted_whole_past_the_usual_quote_length(retriever, library):
    # Pasal 8 ayat (1) of Perwali Surabaya 68/2021 runs 532 characters; its end states whose orders the Bagian takes.
    answer = answer_extractive(retriever, "Apa isi Pasal 8 Perwali Surabaya 68/2021?")
    first = answer.by_city[0].sentences[0].text
    assert first.startswith("(1) Bagian Informasi dan Protokol")
    assert first.endswith("sesuai dengan tugas dan fungsinya.")
    assert_verbatim(answer.citations, library)


def test_a_defined_term_is_asked_in_translation_phrase_by_phrase():
    question = "How does Pinrang's 2010 bylaw on non-motorised vehicles define such a vehicle?"
    assert asked_term(question, "kendaraan tidak bermotor")
    assert not asked_term("How does the bylaw define a vehicle?", "kendaraan tidak bermotor")
    assert asked_term("Apa yang dimaksud dengan barang inventaris?", "barang inventaris")


def test_a_signature_whose_office_and_name_are_one_piece_is_still_read_to_the_name():
    text = ("Disahkan di Jakarta Pada tanggal 25 Maret 2003\n\nPRESIDEN REPUBLIK INDONESIA,\nMEGAWATI SOEKARNOPUTRI"
            "\n\nDiundangkan di Jakarta pada tanggal 25 Maret 2003")
    sentences = [s.text for s in with_signatures(text, split_sentences(text))]
    assert ("Disahkan di Jakarta Pada tanggal 25 Maret 2003\n\nPRESIDEN REPUBLIK INDONESIA,\nMEGAWATI SOEKARNOPUTRI"
            in sentences)


@pytest.mark.parametrize("signed", ["PRESIDEN REPUBLIK INDONESIA, ttd.", "MENTERI DALAM NEGERI, ttd |"])
def test_a_place_and_date_line_that_ends_signed_is_read_to_the_name_on_the_next_line(signed):
    text = (f"Disahkan di Jakarta pada tanggal 8 Juli 2003 {signed}\n\nMEGAWATI SOEKARNOPUTRI\n\n"
            "Diundangkan di Jakarta pada tanggal 8 Juli 2003")
    sentences = [s.text for s in with_signatures(text, split_sentences(text))]
    assert sentences[0] == f"Disahkan di Jakarta pada tanggal 8 Juli 2003 {signed}\n\nMEGAWATI SOEKARNOPUTRI"


def test_a_signature_whose_office_lost_its_comma_to_the_ocr_is_read_to_the_name_in_capitals():
    text = ("Ditetapkan di Manado pada tanggal 15 agustus 2019 ul GUBERNUR SULAWESI UTAMA\n\nOLLY DONDOKAMBEY\n\n"
            "LAMPIRAN\n\nDaftar cadangan pangan")
    sentences = [s.text for s in with_signatures(text, split_sentences(text))]
    assert sentences[0] == ("Ditetapkan di Manado pada tanggal 15 agustus 2019 ul GUBERNUR SULAWESI UTAMA\n\n"
                            "OLLY DONDOKAMBEY")
    # What opens the annex after a date line is no name.
    text = "Ditetapkan di Manado pada tanggal 15 Agustus 2019\n\nLAMPIRAN I\n\nDaftar cadangan pangan"
    assert [s.text for s in with_signatures(text, split_sentences(text))][0] == (
        "Ditetapkan di Manado pada tanggal 15 Agustus 2019")


def test_an_english_plural_of_a_word_the_texts_hold_in_the_singular_is_matched_as_the_singular(tmp_path):
    from ingest.library import LibraryWriter
    from testing.corpus import make_settings

    # Indonesian does not inflect: the decree says "SOP", an English question "SOPs".
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "kepbup.txt").write_text(
        "Untuk mengetahui efektifitas dan kualitas SOP, dilakukan evaluasi pelaksanaan SOP oleh atasan secara "
        "berjenjang setiap akhir tahun.\n", encoding="utf-8")
    with LibraryWriter.open(make_settings(tmp_path / "data")) as library:
        library.ingest_paths([tmp_path / "docs" / "kepbup.txt"])
        retriever = HybridRetriever(library)
        terms = question_terms_of(retriever, analyse(retriever, "How often are the SOPs evaluated?"))
    assert "sop" in terms.terms and "sops" not in terms.terms
    assert "sop" not in terms.unseen


def test_a_word_every_passage_of_an_instrument_holds_weighs_little_inside_it(tmp_path):
    from ingest.library import LibraryWriter
    from testing.corpus import make_settings

    # A statute names its university in every article: inside it, "Haluoleo" tells no article apart.
    articles = [f"Pasal {i}\nSenat Universitas Haluoleo {duty} sesuai ketentuan yang berlaku di lingkungan "
                f"universitas dan dilaporkan kepada Rektor setiap tahun anggaran berjalan." * 4
                for i, duty in enumerate(("menyusun rencana kerja", "memilih calon rektor melalui pemungutan suara",
                                          "menetapkan norma akademik", "mengawasi mutu pembelajaran"), start=1)]
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "statuta.txt").write_text("STATUTA UNIVERSITAS HALUOLEO\n\n" + "\n\n".join(articles),
                                                  encoding="utf-8")
    with LibraryWriter.open(make_settings(tmp_path / "data")) as library:
        library.ingest_paths([tmp_path / "docs" / "statuta.txt"])
        retriever = HybridRetriever(library)
        doc_ids = tuple(retriever.documents())
        assert len(retriever.passages_of(doc_ids[0])) >= 3
        terms = Terms(("haluoleo", "pemungutan"), {"haluoleo": 2.0, "pemungutan": 2.0}, frozenset())
        inside = within_instrument(retriever, terms, doc_ids)
    assert inside.weights["haluoleo"] == pytest.approx(2.0 * (1 - LOCAL_SHARE))
    assert 2.0 * (1 - LOCAL_SHARE) < inside.weights["pemungutan"] < 2.0
    assert inside.terms == terms.terms


def test_a_sentence_naming_only_a_rivals_instruments_is_the_rivals_in_a_comparison():
    text = "SPBE (Mayor's Regulation 10/2022) is part of the city's plan. Mayor's Regulation 31/2020 sets up SPBE."
    passage = Passage(passage_id="p", doc_id="d", index=0, text=text, start=0, end=len(text), page_start=1,
                      page_end=1)
    hit = SearchHit(passage=passage, title="t", score=1.0)
    rival_sentence, own_sentence = Sentence(0, 61, text[:61]), Sentence(62, len(text), text[62:])
    balikpapan = Region(code="64.71", name="Balikpapan", kind="kota", official="Kota Balikpapan",
                        province="Kalimantan Timur")
    samarinda = Region(code="64.72", name="Samarinda", kind="kota", official="Kota Samarinda",
                       province="Kalimantan Timur")
    numbers = {"64.71": frozenset({"31/2020"}), "64.72": frozenset({"10/2022"})}
    scored = [(0.9, hit, rival_sentence), (0.8, hit, own_sentence)]
    ranked = favour_region(scored, balikpapan, [balikpapan, samarinda], numbers)
    assert [s.text for _, _, s in ranked] == [own_sentence.text, rival_sentence.text]
    # Without the registry's numbers, neither sentence names a city: the order stands.
    assert [s.text for _, _, s in favour_region(scored, balikpapan, [balikpapan, samarinda])][0] == rival_sentence.text


def _regulation(tmp_path, closing_articles: str):
    """A mayor's regulation as a TXT file: title block, konsiderans, a company-rules article that "mulai berlaku"
    itself, and the given closing articles; ingested into a fresh library."""
    from ingest.library import LibraryWriter
    from testing.corpus import make_settings

    text = ("WALI KOTA MAGELANG\nPROVINSI JAWA TENGAH\n\nPERATURAN WALI KOTA MAGELANG\nNOMOR 7 TAHUN 2021\n\n"
            "TENTANG\n\nKETENAGAKERJAAN DAERAH\n\nDENGAN RAHMAT TUHAN YANG MAHA ESA\n\nWALI KOTA MAGELANG,\n\n"
            "Menimbang : a. bahwa perlu mengatur ketenagakerjaan daerah;\n\n"
            "Mengingat : 1. Undang-Undang Nomor 13 Tahun 2003 tentang Ketenagakerjaan;\n\n"
            "MEMUTUSKAN:\n\nMenetapkan : PERATURAN WALI KOTA TENTANG KETENAGAKERJAAN DAERAH.\n\n"
            "Pasal 1\n\n(1) Pengusaha yang mempekerjakan paling sedikit 10 (sepuluh) orang wajib membuat peraturan "
            "perusahaan yang mulai berlaku setelah disahkan oleh Kepala Dinas.\n\n"
            "(2) Peraturan perusahaan memuat hak dan kewajiban pengusaha serta pekerja.\n\n" + closing_articles)
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "perwali_magelang_7_2021.txt").write_text(text, encoding="utf-8")
    library = LibraryWriter.open(make_settings(tmp_path / "data"))
    library.ingest_paths([tmp_path / "docs" / "perwali_magelang_7_2021.txt"])
    return library


def test_a_revocation_article_cut_into_passages_is_evidence_whole_and_its_own_commencement_clause_comes_first(
        tmp_path):
    from api.engine.instruments import commencement_evidence, revocation_evidence

    revoked = "".join(f"{i}. Peraturan Wali Kota Magelang Nomor {i} Tahun {1990 + i} tentang Ketenagakerjaan "
                      f"Daerah Bagian {i} yang mengatur penempatan tenaga kerja dan pelatihan kerja;\n"
                      for i in range(1, 31))
    closing = (f"Pasal 2\n\nPada saat Peraturan Wali Kota ini mulai berlaku, maka:\n{revoked}dinyatakan tidak "
               "berlaku lagi.\n\nPasal 3\n\nPeraturan Wali Kota ini mulai berlaku pada tanggal diundangkan.\n")
    with _regulation(tmp_path, closing) as library:
        retriever = HybridRetriever(library)
        doc_ids = [m.doc_id for m in library.documents()]
        article = [h.passage for h in revocation_evidence(retriever, doc_ids)]
        # The list is longer than a passage: every passage of Pasal 2 is its evidence, the first item included.
        assert len(article) > 1 and {p.section for p in article} == {article[0].section}
        assert "1. Peraturan Wali Kota Magelang Nomor 1 Tahun 1991" in article[0].text
        assert "dinyatakan tidak berlaku lagi" in article[-1].text
        commencement = [h.passage.text for h in commencement_evidence(retriever, doc_ids)]
        assert commencement and all("Peraturan Wali Kota ini mulai berlaku" in t for t in commencement)
        assert not any("peraturan perusahaan yang mulai berlaku" in t for t in commencement)


def test_a_question_asking_two_things_is_answered_on_both():
    from api.engine.citations import Sentence
    from api.engine.extractive import pick

    warnings = ["Surat peringatan pertama berlaku paling lama 6 (enam) bulan.",
                "Surat peringatan kedua berlaku paling lama 6 (enam) bulan.",
                "Surat peringatan ketiga berlaku paling lama 6 (enam) bulan."]
    text = " ".join([*warnings, "Pengusaha memberikan surat peringatan secara berturut-turut sebanyak tiga kali."])
    passage = Passage(passage_id="p1", doc_id="d", index=0, text=text, start=0, end=len(text), page_start=1,
                      page_end=1)
    hit = SearchHit(passage=passage, title="UU", score=1.0)
    sentences = [Sentence(text.index(s), text.index(s) + len(s), s) for s in text.split(". ")]
    scored = [(0.9 - i * 0.01, hit, s) for i, s in enumerate(sentences)]  # the count of warnings ranks last
    terms = Terms(("peringatan", "berlaku", "bulan", "berturut", "kali"),
                  {"peringatan": 1.0, "berlaku": 1.0, "bulan": 1.0, "berturut": 2.0, "kali": 1.0}, frozenset())
    without = [s.text for _, s in pick(scored, 2, per_passage=5)]
    assert not any("berturut" in t for t in without)
    chosen = [s.text for _, s in pick(scored, 2, per_passage=5, terms=terms)]
    assert chosen[0] == sentences[0].text and "berturut-turut" in chosen[1]
    # The gain is a setting (BK_ANSWER__NEW_TERMS_GAIN): at 0 the words a sentence adds count for nothing.
    assert [s.text for _, s in pick(scored, 2, per_passage=5, terms=terms, gain=0.0)] == without


def test_the_answer_knobs_are_read_from_the_environment(monkeypatch):
    from core.settings import Settings

    monkeypatch.setenv("BK_ANSWER__NEW_TERMS_GAIN", "0.25")
    monkeypatch.setenv("BK_ANSWER__REVOKED_ITEMS", "7")
    answer = Settings().answer
    assert (answer.new_terms_gain, answer.revoked_items) == (0.25, 7)


def test_what_a_revoking_clause_revokes_is_quoted_as_its_whole_list(tmp_path):
    revoked = "".join(f"{i}. Peraturan Wali Kota Magelang Nomor {i} Tahun {1990 + i} tentang Ketenagakerjaan "
                      f"Daerah Bagian {i};\n" for i in range(1, 13))
    closing = (f"Pasal 2\n\nPada saat Peraturan Wali Kota ini mulai berlaku, maka:\n{revoked}dinyatakan tidak "
               "berlaku lagi.\n\nPasal 3\n\nPeraturan Wali Kota ini mulai berlaku pada tanggal diundangkan.\n")
    with _regulation(tmp_path, closing) as library:
        answer = answer_extractive(HybridRetriever(library), "Peraturan apa saja yang dicabut oleh Perwali Magelang "
                                                           "7/2021?")
    assert answer.covered
    # More than the five sentences an answer quotes otherwise: each revoked instrument is an item of the list.
    assert len(re.findall(r"Peraturan Wali Kota Magelang Nomor \d+ Tahun", answer.text)) >= 10


def test_a_named_instrument_s_legal_basis_asked_for_is_its_mengingat_list_and_a_figure_asked_is_not(tmp_path):
    from api.engine.extractive import clause_evidence

    closing = ("Pasal 2\n\nPeraturan Wali Kota ini mulai berlaku pada tanggal diundangkan.\n\n"
               "PENJELASAN\nATAS\nPERATURAN WALI KOTA MAGELANG\nNOMOR 7 TAHUN 2021\n\nI. UMUM\n\nPeraturan Wali Kota "
               "ini melaksanakan Undang-Undang Nomor 13 Tahun 2003 di daerah.\n\nII. PASAL DEMI PASAL\n\nPasal 1\n\n"
               "Huruf a Cukup jelas.\n")
    with _regulation(tmp_path, closing) as library:
        retriever = HybridRetriever(library)
        doc_ids = [m.doc_id for m in library.documents()]

        def focus(question: str) -> list[Passage]:
            return [h.passage for h in clause_evidence(retriever, analyse(retriever, question, SearchFilters()),
                                                        doc_ids)]

        asked = focus("Undang-Undang nomor berapa yang dijadikan dasar hukum Perwali Magelang 7/2021?")
        assert asked and all(p.role == PassageRole.LEGAL_BASIS for p in asked)
        assert any("Nomor 13 Tahun 2003" in p.text for p in asked)
        assert focus("Which law does Perwali Magelang 7/2021 cite?")
        # Its Penjelasan, asked for by name, is read before its legal bases.
        explained = focus("Which law does the elucidation of Perwali Magelang 7/2021 rely on?")
        assert explained and all(p.role == PassageRole.PENJELASAN for p in explained)
        assert any("Huruf a Cukup jelas" in p.text for p in explained)
        # A figure that "menjadi acuan" is asked, not which instruments the regulation rests on.
        assert not focus("Berapa jumlah pekerja yang menjadi acuan dalam Perwali Magelang 7/2021?")
        answer = answer_extractive(retriever, "Undang-Undang nomor berapa yang dijadikan dasar hukum Perwali "
                                              "Magelang 7/2021?")
        assert answer.covered and "Nomor 13 Tahun 2003" in answer.text
