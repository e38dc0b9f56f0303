"""Hybrid retrieval over the sample corpus: identifiers, Pasal, filters, city shares, highlights, labels."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.errors import UnknownCityError
from core.legal_patterns import parse_identifier
from core.types import SearchFilters
from vectorstore.hybrid import (
    HybridRetriever,
    highlight_spans,
    key_matches,
    query_identifiers,
    rrf,
)


@pytest.fixture(scope="module")
def retriever(library) -> HybridRetriever:
    return HybridRetriever(library)


def _filename(library, doc_id: str) -> str:
    return library.document(doc_id).filename


def test_identifier_query_finds_the_paper_passage_naming_that_regulation(retriever):
    hits = retriever.search("What is Mayor's Regulation 31/2020 about?", k=5)
    assert any("31/2020" in h.passage.text for h in hits[:3])


def test_indonesian_number_form_finds_the_regulation_itself(retriever, library):
    hits = retriever.search("Apa isi Perwali Nomor 24 Tahun 2018?", k=5)
    top = hits[0]
    assert _filename(library, top.passage.doc_id).startswith("perwako_singkawang_24_2018")


def test_pasal_of_a_named_regulation_comes_first(retriever, library):
    hits = retriever.search("Pasal 8 Peraturan Walikota Singkawang Nomor 24 Tahun 2018", k=5)
    assert hits[0].passage.pasal == "8"
    assert _filename(library, hits[0].passage.doc_id).startswith("perwako_singkawang")
    assert "Pasal 8" in hits[0].citation_label


def test_each_named_city_gets_its_own_share_of_evidence(retriever, library):
    hits = retriever.search("smart city regulations in Malang and Singkawang", k=6)
    malang = library.gazetteer.resolve("Kota Malang").code
    singkawang = library.gazetteer.resolve("Kota Singkawang").code
    assert sum(malang in h.passage.about_cities for h in hits) >= 2
    assert sum(singkawang in h.passage.about_cities for h in hits) >= 2


def test_city_filter_keeps_only_passages_about_that_city(retriever, library):
    code = library.gazetteer.resolve("Kota Surabaya").code
    hits = retriever.search("organisasi", SearchFilters(cities=["Surabaya"]), k=10)
    assert hits and all(code in h.passage.about_cities for h in hits)


def test_doc_type_language_and_year_filters_are_applied(retriever, library):
    hits = retriever.search("informasi publik", SearchFilters(doc_types=["regulation"], year_from=2015), k=10)
    assert hits
    for h in hits:
        meta = library.document(h.passage.doc_id)
        assert meta.doc_type == "regulation" and meta.year is not None and meta.year >= 2015
    english = retriever.search("smart governance", SearchFilters(language="en"), k=10)
    assert english and all(h.passage.language == "en" for h in english)


def test_unknown_city_in_filters_is_a_typed_error(retriever):
    with pytest.raises(UnknownCityError, match="Atlantis"):
        retriever.search("anything", SearchFilters(cities=["Atlantis"]), k=3)


def test_highlights_are_query_words_inside_the_passage(retriever):
    hits = retriever.search("Samagov super-app", k=3)
    spans = [h for h in hits if h.highlights]
    assert spans
    for hit in spans:
        for start, end in hit.highlights:
            assert 0 <= start < end <= len(hit.passage.text)
            assert hit.passage.text[start:end].strip()


def test_regulation_labels_name_pasal_instrument_and_page(retriever):
    hits = retriever.search("PPID Utama bertanggungjawab kepada Walikota melalui Sekretaris Daerah", k=5)
    labels = [h.citation_label for h in hits if h.passage.pasal]
    assert any(label.startswith("Pasal ") and "Singkawang" in label and "p. " in label for label in labels)


def test_paper_labels_name_title_and_page(retriever):
    hit = retriever.search("Hospital Online Reservation HORE application", k=1)[0]
    assert hit.citation_label.startswith(hit.title) and ", p. " in hit.citation_label


@given(st.integers(1, 999), st.integers(1990, 2030), st.sampled_from(["Nomor {n} Tahun {y}", "{n}/{y}",
                                                                        "No. {n} of {y}", "Perwali {n}/{y}"]))
def test_every_spelling_of_an_instrument_number_is_one_identifier(number, year, form):
    idents = query_identifiers("Apa isi " + form.format(n=number, y=year) + "?")
    assert (str(number), year) in idents.numbers
    assert key_matches(f"perwali|64.71|{number}|{year}", idents.numbers)
    assert not key_matches(f"perwali|64.71|{number + 1}|{year}", idents.numbers)


@given(st.text(min_size=0, max_size=200), st.text(min_size=1, max_size=40))
def test_highlight_spans_stay_inside_the_text_and_do_not_overlap(text, query):
    spans = highlight_spans(text, query)
    previous_end = -1
    for start, end in spans:
        assert 0 <= start < end <= len(text) and start > previous_end
        previous_end = end


def test_rrf_rewards_agreement_between_rankings():
    fused = rrf([["a", "b", "c"], ["b", "a", "d"]])
    assert fused["a"] == fused["b"] > fused["c"] == fused["d"]


def test_a_passage_two_cities_share_does_not_use_up_either_citys_share(retriever, library):
    # The Balikpapan–Samarinda paper is evidence for both cities: each city still gets its own k/2 passages.
    codes = [library.gazetteer.resolve(n).code for n in ("Balikpapan", "Samarinda")]
    hits = retriever.search_cities("SPBE regulations", SearchFilters(), 6, codes)
    assert len({h.passage.passage_id for h in hits}) == len(hits) == 6


@pytest.mark.parametrize(("token", "expected"), [
    ("31/2020", ("31", 2020)),
    ("224/bappeda/2023", ("224", 2023)),
    ("521/1/2015", ("521/1", 2015)),
    ("b/430/ii.02/hk/tubaba/2018", ("b/430/ii.02/hk/tubaba", 2018)),
    ("kep/029/ii/2006", ("kep/029/ii", 2006)),
    ("bappeda/2023", None),
    ("2020", None),
])
def test_an_instrument_number_is_read_whole_when_it_opens_with_letters_or_holds_slashes(token, expected):
    assert parse_identifier(token) == expected


def test_a_letter_coded_number_named_in_a_question_matches_the_registry_key():
    idents = query_identifiers("Kapan Keputusan Bupati Nomor B/430/II.02/HK/TUBABA/2018 ditetapkan?")
    assert key_matches("kepbup|18.12|b/430/ii.02/hk/tubaba|2018", idents.numbers)
    assert not key_matches("kepbup|18.12|b/431/ii.02/hk/tubaba|2018", idents.numbers)
