"""The lexical index: identifier-aware tokens, BM25 scores checked against a reference, subset search,
persistence, and rebuilding from the passage store."""

from __future__ import annotations

import math
import re
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from api.engine.matching import Words, term_in
from core.settings import Settings, StoreSettings
from core.types import Passage
from vectorstore.chroma_store import PassageStore
from vectorstore.cognates import cognates
from vectorstore.glossary import translations
from vectorstore.hybrid import glossary_translation
from vectorstore.lexical import (
    IDENTIFIER_WEIGHT,
    LexicalIndex,
    heading_titles,
    misreadings,
    query_terms,
    search_texts,
    tokenize,
)

PAPERS = Path(__file__).resolve().parent.parent / "documents" / "papers"


def paragraphs() -> list[tuple[str, str]]:
    """Every non-trivial paragraph of the sample papers, as (id, text)."""
    items = []
    for path in sorted(PAPERS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        for i, para in enumerate(p for p in re.split(r"\n\s*\n", text) if len(p.strip()) > 40):
            items.append((f"{path.stem}:{i}", para))
    return items


@pytest.fixture(scope="module")
def corpus() -> dict[str, str]:
    return dict(paragraphs())


@pytest.fixture(scope="module")
def index(corpus: dict[str, str]) -> LexicalIndex:
    return LexicalIndex.build(corpus.items())


def containing(corpus: dict[str, str], needle: str) -> set[str]:
    return {pid for pid, text in corpus.items() if needle in text}


def test_indonesian_number_phrase_finds_an_english_slash_identifier():
    index = LexicalIndex.build([
        ("a", "Mayor's Regulation 14/2022 sets the SPBE architecture for the city."),
        ("b", "Mayor's Regulation 41/2022 concerns street lighting; 14 offices and 2022 budgets."),
        ("c", "Peraturan tentang arsitektur SPBE kota."),
    ])
    hits = index.search("Peraturan Wali Kota Nomor 14 Tahun 2022", k=3)
    assert hits[0][0] == "a"
    assert hits[0][1] > dict(hits).get("b", 0.0)


def test_real_mayor_regulation_of_one_year_is_told_apart_from_another_year(corpus, index):
    # The Malang paper cites both Mayor Regulation No. 8 of 2022 (procurement) and No. 8 of 2023 (SPBE).
    wanted = containing(corpus, "Regulation No. 8 of 2022")
    assert wanted
    top = index.search("Peraturan Wali Kota Malang Nomor 8 Tahun 2022", k=len(wanted))
    assert {pid for pid, _ in top} == wanted


def test_decree_number_with_dots_and_dash_is_found_whole(corpus, index):
    wanted = containing(corpus, "188.45-390/2021")
    assert wanted
    assert index.search("Keputusan Wali Kota Nomor 188.45-390 Tahun 2021", k=1)[0][0] in wanted
    assert index.search("188.45-390", k=1)[0][0] in wanted


@given(
    number=st.from_regex(r"[1-9][0-9]{0,3}(\.[0-9]{1,3}-[0-9]{1,3})?", fullmatch=True),
    year=st.integers(1945, 2099),
    form=st.sampled_from(["Nomor {n} Tahun {y}", "No. {n} of {y}", "{n}/{y}", "NOMOR: {n} TAHUN {y}",
                          "Number {n} Year {y}", "Perwali {n} tahun {y}", "Regulation No {n}, Tahun {y}"]),
)
def test_every_spelling_of_a_number_and_year_yields_the_same_identifier_token(number, year, form):
    tokens = tokenize("Peraturan " + form.format(n=number, y=year) + " tentang SPBE.")
    assert f"{number}/{year}" in tokens
    assert number in tokens and str(year) in tokens


@given(st.lists(st.from_regex(r"[0-9]{1,4}|[a-z]{2,8}", fullmatch=True), min_size=2, max_size=4),
       st.sampled_from("./-"))
def test_identifiers_are_kept_whole_and_split_into_parts(parts, joiner):
    identifier = joiner.join(parts)
    if not any(c.isdigit() for c in identifier):
        return
    tokens = tokenize(f"Keputusan {identifier.upper()} berlaku")
    assert identifier in tokens
    assert set(parts) <= set(tokens)


def test_identifiers_weigh_more_than_words_in_a_query():
    terms = query_terms("Perwali Nomor 14 Tahun 2022 tentang SPBE")
    assert terms["14/2022"] == IDENTIFIER_WEIGHT > 1
    assert terms["spbe"] == terms["14"] == 1


def test_office_style_numbers_also_match_the_short_number_year_form():
    index = LexicalIndex.build([("kepgub", "Keputusan Gubernur Nomor 224/BAPPEDA/2023 tentang Forum Satu Data"),
                                ("other", "Keputusan Gubernur Nomor 225/BAPPEDA/2023 tentang Forum Lain")])
    assert index.search("Kepgub 224 tahun 2023", k=1)[0][0] == "kepgub"
    assert index.search("224/BAPPEDA/2023", k=1)[0][0] == "kepgub"


def reference_bm25(docs: list[list[str]], query: dict[str, int], k1: float = 1.5, b: float = 0.75) -> np.ndarray:
    """Lucene's BM25 with weighted query terms, written out plainly (bm25s's default method)."""
    n = len(docs)
    avgdl = sum(map(len, docs)) / n
    df = Counter(t for d in docs for t in set(d))
    scores = np.zeros(n)
    for i, doc in enumerate(docs):
        tf = Counter(doc)
        for term, weight in query.items():
            if tf[term]:
                idf = math.log(1 + (n - df[term] + 0.5) / (df[term] + 0.5))
                scores[i] += weight * idf * tf[term] / (tf[term] + k1 * (1 - b + b * len(doc) / avgdl))
    return scores


@pytest.mark.parametrize("query", ["sectoral ego in Balikpapan", "Peraturan Presiden Nomor 39 Tahun 2019 Satu Data",
                                   "smart governance e-government Malang", "RPJMD 2021-2026 masterplan"])
def test_bm25s_scores_agree_with_a_reference_implementation_on_the_papers(corpus, index, query):
    docs = [tokenize(text) for text in corpus.values()]
    expected = reference_bm25(docs, query_terms(query))
    assert expected.max() > 0
    np.testing.assert_allclose(index.scores(query), expected, rtol=1e-4, atol=1e-5)


def test_allowed_ids_ranks_within_the_subset_not_after_a_global_cut(corpus, index):
    query = "smart city governance"
    scores = dict(zip(index.ids, index.scores(query), strict=True))
    global_top = {pid for pid, _ in index.search(query, k=5)}
    subset = {pid for pid in corpus if pid not in global_top and pid.startswith(sorted(corpus)[0].split(":")[0])}
    expected = sorted((pid for pid in subset if scores[pid] > 0), key=lambda p: -scores[p])[:5]
    got = index.search(query, k=5, allowed_ids=subset)
    assert len(got) == 5
    assert [pid for pid, _ in got] == expected
    assert index.search(query, k=5, allowed_ids=set()) == []


def test_queries_with_no_known_word_find_nothing(index):
    assert index.search("zzqxj", k=5) == []
    assert index.search("yang dan di", k=5) == []


def test_save_and_load_give_the_same_results(index, tmp_path):
    index.save(tmp_path / "lexical")
    index.save(tmp_path / "lexical")  # replacing an existing index works
    loaded = LexicalIndex.load(tmp_path / "lexical")
    assert loaded.ids == index.ids
    query = "Malang Mayor Regulation No. 43 of 2020 Smart City Master Plan"
    assert loaded.search(query, k=10) == index.search(query, k=10)
    empty = LexicalIndex.build([])
    empty.save(tmp_path / "empty")
    assert LexicalIndex.load(tmp_path / "empty").search(query, k=3) == []


def test_rebuilding_from_the_store_indexes_exactly_its_passages(tmp_path):
    settings = Settings(store=StoreSettings(data_dir=tmp_path))
    stems = sorted({pid.split(":")[0] for pid, _ in paragraphs()})[:2]
    items = [item for stem in stems for item in [it for it in paragraphs() if it[0].startswith(stem)][:20]]
    passages = [Passage(passage_id=pid, doc_id=pid.split(":")[0], index=i, text=text, start=0, end=len(text),
                        page_start=1, page_end=1, section="Pasal 7" if i == 23 else "")
                for i, (pid, text) in enumerate(items)]
    vectors = np.random.default_rng(0).normal(size=(len(passages), 4)).astype(np.float32)
    with PassageStore.open(settings, "m", 4) as store:
        store.add(passages, vectors)
        store.delete_document(stems[0])
        rebuilt = LexicalIndex.from_store(store)
        assert set(rebuilt.ids) == {p.passage_id for p in store.iter_passages()}
        assert len(rebuilt) == store.count()
        assert len(rebuilt) == 20
    assert rebuilt.search("Pasal 7", k=1)[0][0] == passages[23].passage_id


def test_affixed_indonesian_forms_of_one_root_share_a_stem():
    from vectorstore.stemming import stem

    assert stem("bertanggungjawab") == stem("pertanggungjawaban") == "tanggungjawab"
    assert stem("pelaksana") == stem("dilaksanakan") == stem("melaksanakan") == stem("pelaksanaan")
    assert stem("regulations") == "regulation"
    assert stem("2023") == "2023" and stem("spbe") == "spbe"


def test_an_affixed_form_finds_a_root_the_library_holds_in_one_form_only():
    index = LexicalIndex.build([("becak", "Setiap kendaraan tidak bermotor wajib didaftarkan."),
                                ("other", "Retribusi pasar dibayar setiap bulan.")])
    assert index.document_frequency("kendaraannya") == 1
    assert index.search("Di mana kendaraannya didaftarkan?", k=1, expand=True)[0][0] == "becak"


def test_a_split_compound_finds_the_joined_form_in_a_regulation():
    # Perbup Banyuwangi 19/2012 writes "bertanggungjawab" as one word; people type "bertanggung jawab".
    index = LexicalIndex.build([("bwi", "PPID bertanggungjawab kepada Bupati."),
                                ("other", "PPID menyediakan informasi publik kepada masyarakat.")])
    query = "Kepada siapa PPID bertanggung jawab?"
    assert index.expanded_scores(query)[0] > index.scores(query)[0]  # plain BM25 misses the joined word
    assert index.search(query, k=1, expand=True)[0][0] == "bwi"


def test_an_english_question_finds_an_indonesian_article_through_the_glossary():
    index = LexicalIndex.build([("pasal", "PPID Utama bertanggungjawab kepada Wali Kota melalui Sekretaris Daerah."),
                                ("paper", "Singkawang publishes public information online.")])
    assert index.search("Who is the PPID Utama responsible to?", k=2, expand=True)[0][0] == "pasal"


def test_an_english_word_in_another_form_than_the_glossary_lists_is_still_translated():
    # The glossary lists "repeal" and "plan"; questions say "repeals" and "planned".
    assert {"dicabut", "mencabut"} <= translations("repeals")
    assert "rencana" in translations("planned")
    assert translations("kendaraan") == translations("kendaraan")  # Indonesian words are looked up as they are
    assert translations("zebra") == frozenset()
    index = LexicalIndex.build([("pasal", "Peraturan Daerah Nomor 16 Tahun 2008 dicabut dan dinyatakan tidak berlaku."),
                                ("other", "Peraturan ini mulai berlaku pada tanggal diundangkan.")])
    assert index.search("Which bylaw does it repeals?", k=1, expand=True)[0][0] == "pasal"


@pytest.mark.parametrize(
    ("english", "indonesian"),
    [("conservation", "konservasi"), ("relaxation", "relaksasi"), ("sections", "seksi"),
     ("instruction", "instruksi"), ("technology", "teknologi"), ("structure", "struktur"),
     ("organizations", "organisasi"), ("accreditation", "akreditasi"), ("physical", "fisik")],
)
def test_an_english_loanword_the_glossary_lacks_is_spelt_the_indonesian_way(english: str, indonesian: str) -> None:
    assert indonesian in cognates(english)
    assert indonesian in translations(english)


def test_loanword_spellings_find_an_indonesian_passage_only_through_words_it_holds():
    index = LexicalIndex.build([("uptd", "UPTD terdiri atas Seksi Pengelolaan Kawasan Konservasi Perairan."),
                                ("other", "Dinas menyelenggarakan urusan kelautan dan perikanan.")])
    assert index.search("Which sections does the conservation UPTD have?", k=1, expand=True)[0][0] == "uptd"
    assert cognates("cuti") == frozenset()  # short words and words no rule changes have none
    assert cognates("zebra") == frozenset()


def test_expansion_scores_a_word_and_its_translation_once_not_twice():
    index = LexicalIndex.build([("both", "budget anggaran"), ("one", "anggaran daerah"), ("x", "lain hal")])
    scores = dict(zip(index.ids, index.expanded_scores("budget"), strict=True))
    assert scores["both"] == pytest.approx(max(index.scores("budget")[0], index.scores("anggaran")[0]))


def test_articles_are_indexed_with_the_title_of_their_chapter():
    # Perwali Surabaya 68/2021: "BAB II KEDUDUKAN DAN SUSUNAN ORGANISASI" heads Pasal 2, which never says "kedudukan".
    heading = Passage(passage_id="h", doc_id="d", index=0, text="BAB II\nKEDUDUKAN DAN SUSUNAN ORGANISASI",
                      start=0, end=38, page_start=1, page_end=1, kind="heading")
    pasal = Passage(passage_id="p", doc_id="d", index=1, text="Pasal 2\nSekretariat DPRD merupakan unsur pelayanan.",
                    start=39, end=89, page_start=1, page_end=1, section="BAB II › Pasal 2", kind="pasal")
    texts = dict(search_texts([pasal, heading]))
    assert "KEDUDUKAN" in texts["p"]
    assert heading_titles("Bagian Kedua\nBagian Umum") == {"bagiankedua": "Bagian Umum"}
    assert heading_titles("BAB III\nTUGAS DAN FUNGSI\nBagian Kesatu\nSekretariat DPRD") == {
        "babiii": "TUGAS DAN FUNGSI", "bagiankesatu": "Sekretariat DPRD"}
    # Read by the body's own heading rules: a Bagian past the tenth keeps its whole ordinal, so its title finds
    # the section "Bagian Kedua Belas" (the index's copy of the rule read "Bagian Kedua" and lost it).
    assert heading_titles("Bagian Kedua Belas\nPengawasan\nParagraf 3\nIzin") == {
        "bagiankeduabelas": "Pengawasan", "paragraf3": "Izin"}


def test_an_index_saved_in_an_older_format_is_refused_so_that_it_gets_rebuilt(index, tmp_path):
    index.save(tmp_path / "lexical")
    (tmp_path / "lexical" / "format.json").unlink()
    with pytest.raises(ValueError, match="format"):
        LexicalIndex.load(tmp_path / "lexical")


def test_document_frequency_counts_passages_holding_any_form_of_a_word():
    index = LexicalIndex.build([
        ("a", "Anggaran daerah untuk infrastruktur digital."),
        ("b", "The budget of the city."),
        ("c", "Pengelolaan anggaran dan belanja."),
    ])
    assert index.document_frequency("anggaran") == 2
    # The English word finds its translation's passages when those are more widespread than its own.
    assert index.document_frequency("budget") == 2
    assert index.document_frequency("flood") == 0
    assert LexicalIndex.build([]).document_frequency("budget") == 0


def test_an_english_query_is_translated_word_by_word_for_its_second_dense_ranking():
    translated = glossary_translation("What penalty does the bylaw set for an owner who fails to register?")
    assert translated is not None
    assert "sanksi" in translated and "pemilik" in translated and "peraturan daerah" in translated
    assert "penalty" not in translated and "owner" not in translated
    assert glossary_translation("Berapa tarif retribusi parkir?") is None  # Indonesian needs no bridge
    assert glossary_translation("Who is Budi?") is None  # nothing the glossary knows


def test_a_word_a_scan_misread_by_one_look_alike_glyph_is_found_and_matched():
    # The DKI Pergub's OCR layer reads "dibebankan" as "dibehankan" throughout.
    index = LexicalIndex.build([("scan", "Pajak Penghasilan yang terutang atas Insentif dibehankan pada APBD."),
                                ("other", "Retribusi pasar dibayar setiap bulan oleh pedagang.")])
    assert "dibehankan" in misreadings("dibebankan")
    assert index.search("Siapa yang menanggung pajak, dibebankan pada apa?", k=1, expand=True)[0][0] == "scan"
    assert term_in("dibebankan", Words.of("Insentif dibehankan pada APBD"))
    # Short words, and words with a look-alike real word one glyph away (mengenai/mengenal), are left alone.
    assert misreadings("bahan") == frozenset()
    assert "mengenal" not in misreadings("mengenai")
