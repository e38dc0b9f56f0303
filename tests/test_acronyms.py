"""Acronyms a document defines are read as their long forms wherever it later writes them: found by ingest in
Indonesian drafting's "yang selanjutnya disingkat" and in "Long Form (LF)", carried by the passages that use
them, and indexed so a search in the long form's words finds a passage that writes only the acronym."""

from __future__ import annotations

from core.acronyms import defined_acronyms, entries, expanded, named_by, used_in

DEFINITIONS = """Pasal 1
Dalam Peraturan Daerah ini yang dimaksud dengan:
13. Tenaga Kerja Asing yang selanjutnya disingkat TKA adalah warga negara asing pemegang visa.
14. Rencana Penggunaan Tenaga Kerja Asing yang selanjutnya disingkat RPTKA adalah rencana penggunaan TKA.
15. Dinas Perhubungan, Informatika dan Komunikasi yang selanjutnya disebut Dinas adalah perangkat daerah.
16. Kabupaten Pinrang yang selanjutnya disebut Daerah.
Biaya dibebankan pada Anggaran Pendapatan dan Belanja Daerah (APBD) paling lama 2 (dua) bulan.
Menurut laporan KK Miskin Bobot Luas Wilayah (KM) dan Sistem Informasi (SIPE), yang lain (TKA).
"""


def test_definitions_in_indonesian_drafting_and_in_brackets_give_each_acronym_its_long_form() -> None:
    found = defined_acronyms(DEFINITIONS)
    assert found["TKA"] == "Tenaga Kerja Asing"
    assert found["RPTKA"] == "Rencana Penggunaan Tenaga Kerja Asing"
    assert found["APBD"] == "Anggaran Pendapatan dan Belanja Daerah"
    # A short name the document defines is read like an acronym: "Dinas" is that Dinas in this document.
    assert found["Dinas"] == "Dinas Perhubungan, Informatika dan Komunikasi"


def test_a_programmes_name_of_two_words_is_read_as_its_acronym() -> None:
    text = "badan hukum. Donggala Tanggap Laporan Rakyat yang selanjutnya disebut Dota Lara adalah program."
    assert defined_acronyms(text) == {"Dota Lara": "Donggala Tanggap Laporan Rakyat"}
    entry = entries(defined_acronyms(text))
    assert entry == ("Dota Lara: Donggala Tanggap Laporan Rakyat",)
    # A regulation whose subject is the long form is also named by the acronym.
    assert named_by("Donggala Tanggap Laporan Rakyat", entry) == ("Dota Lara",)
    assert named_by("Pengelolaan Pengaduan Masyarakat", entry) == ()


def test_words_that_do_not_spell_the_acronym_are_no_definition() -> None:
    found = defined_acronyms(DEFINITIONS)
    assert "Daerah" not in found  # "Kabupaten Pinrang" does not spell it
    assert "KM" not in found  # five words for two letters
    assert "SIPE" not in found  # no word for its "P" and "E"
    assert "dua" not in found and "(dua)" not in found


def test_a_passage_carries_the_acronyms_it_writes_without_their_long_form() -> None:
    acronyms = defined_acronyms(DEFINITIONS)
    carried = used_in("(1) Tarif Retribusi Penggunaan TKA ditetapkan sebesar US$100 dari APBD.", acronyms)
    assert carried == ("TKA: Tenaga Kerja Asing", "APBD: Anggaran Pendapatan dan Belanja Daerah")
    assert used_in("Tenaga Kerja Asing yang selanjutnya disingkat TKA adalah", acronyms) == ()
    # "RPTKA" holds "TKA" as letters, not as the acronym.
    assert used_in("pengesahan RPTKA perpanjangan", acronyms) == ("RPTKA: Rencana Penggunaan Tenaga Kerja Asing",)


def test_a_sentence_is_read_with_the_long_forms_of_the_acronyms_it_writes() -> None:
    carried = ("TKA: Tenaga Kerja Asing", "APBD: Anggaran Pendapatan dan Belanja Daerah")
    assert expanded("tarif Retribusi Penggunaan TKA", carried) == "tarif Retribusi Penggunaan TKA\nTenaga Kerja Asing"
    assert expanded("tanpa singkatan", carried) == "tanpa singkatan"


def test_the_sample_corpus_passages_carry_their_documents_acronyms_and_are_found_by_the_long_form(library) -> None:
    sop = next(d for d in library.documents() if d.filename.startswith("perwako_singkawang_24_2018"))
    defined = defined_acronyms(library.catalog.get_clean(sop.doc_id).text)
    assert defined.get("PPID") == "Pejabat Pengelola Informasi dan Dokumentasi"
    assert sop.acronyms == entries(defined)
    passages = library.store.passages_of(sop.doc_id)
    carrying = [p for p in passages if "PPID: Pejabat Pengelola Informasi dan Dokumentasi" in p.acronyms]
    assert carrying
    for passage in passages:
        for entry in passage.acronyms:
            short, _, long_form = entry.partition(": ")
            assert defined[short] == long_form and short in passage.text
    only_acronym = [p for p in carrying if "pengelola informasi" not in p.text.lower()]
    assert only_acronym, "some passage writes PPID alone"
    found = {pid for pid, _ in library.lexical.search("pejabat pengelola informasi dokumentasi", k=200)}
    assert any(p.passage_id in found for p in only_acronym)


def test_an_answers_citation_says_what_the_acronyms_of_its_quote_stand_for(library) -> None:
    from api.engine.extractive import answer_extractive
    from core.types import SearchFilters
    from vectorstore.hybrid import HybridRetriever

    answer = answer_extractive(HybridRetriever(library), "Siapa yang bertugas memberikan layanan informasi publik?",
                               SearchFilters(cities=["Singkawang"]), k=8)
    assert any("PPID: Pejabat Pengelola Informasi dan Dokumentasi" in c.acronyms for c in answer.citations)
    for citation in answer.citations:
        assert all(entry.partition(": ")[0] in citation.quote for entry in citation.acronyms)
