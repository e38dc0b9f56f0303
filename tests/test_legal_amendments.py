"""What an amending regulation changes, as LegalDocument.amendments: each unit of the amended regulation with
its action, the amended regulation, and the directive it was read from (an exact slice of the clean text).

The texts follow the drafting of the amending Perwali in documents/regulations (Kendari 19/2024: "Pasal I",
numbered changes, "Ketentuan Pasal 11 diubah sehingga berbunyi sebagai berikut:"); the real scan is checked
in tests/test_legal_corpus.py.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.gazetteer import Gazetteer
from core.types import LegalDocument
from ingest.legal import amendment_changes, outline_counts, parse_legal

_TITLE = """PERATURAN WALI KOTA SINGKAWANG
NOMOR 3 TAHUN 2024
TENTANG
PERUBAHAN ATAS PERATURAN WALI KOTA NOMOR 48 TAHUN 2021
TENTANG TATA KELOLA DATA
DENGAN RAHMAT TUHAN YANG MAHA ESA
WALI KOTA SINGKAWANG,
Menimbang : a. bahwa data perlu dikelola;
Mengingat : 1. Undang-Undang Nomor 23 Tahun 2014 tentang Pemerintahan Daerah;
MEMUTUSKAN:
Menetapkan : PERATURAN WALI KOTA TENTANG PERUBAHAN ATAS PERATURAN WALI KOTA NOMOR 48 TAHUN 2021.
"""
_PREAMBLE = ("Pasal I\nBeberapa ketentuan dalam Peraturan Wali Kota Nomor 48 Tahun 2021 tentang Tata Kelola Data "
             "diubah sebagai berikut:\n")
_PASAL_II = "Pasal II\nPeraturan Wali Kota ini mulai berlaku pada tanggal diundangkan.\n"
_CLOSING = """Agar setiap orang mengetahuinya, memerintahkan pengundangan Peraturan Wali Kota ini.
Ditetapkan di Singkawang
WALI KOTA SINGKAWANG,
"""
AMENDED = "perwali|61.72|48|2021"  # "Peraturan Wali Kota Nomor 48" names no city: the issuer's is inherited


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer.default()


def _parse(gazetteer: Gazetteer, changes: str, title: str = _TITLE) -> tuple[str, LegalDocument]:
    text = title + _PREAMBLE + changes + _PASAL_II + _CLOSING
    return text, parse_legal(text, gazetteer)


def _recorded(text: str, doc: LegalDocument) -> list[tuple[str, str, str, str]]:
    for change in doc.amendments:
        assert text[change.start : change.end] == change.evidence
    return [(a.unit, a.action, a.target.key, a.evidence) for a in doc.amendments]


def test_each_change_is_recorded_with_the_regulation_it_amends_and_its_directive(gazetteer):
    text, doc = _parse(gazetteer, (
        "1. Ketentuan Pasal 11 diubah sehingga berbunyi sebagai berikut:\nPasal 11\n(1) Data.\n(2) Lagi.\n"
        "2. Di antara Pasal 11 dan Pasal 12 disisipkan 1 (satu) pasal, yakni Pasal 11A sehingga berbunyi "
        "sebagai berikut:\nPasal 11A\nData baru.\n"
        "3. Ketentuan ayat (2) Pasal 15 diubah sehingga berbunyi sebagai berikut:\nPasal 15\n(1) Tetap.\n(2) Baru.\n"
        "4. Pasal 13 dihapus.\n"))
    assert _recorded(text, doc) == [
        ("Pasal 11", "diubah", AMENDED, "Ketentuan Pasal 11 diubah sehingga berbunyi sebagai berikut:"),
        ("Pasal 11A", "disisipkan", AMENDED, "Di antara Pasal 11 dan Pasal 12 disisipkan 1 (satu) pasal, yakni "
         "Pasal 11A sehingga berbunyi sebagai berikut:"),
        ("Pasal 15 ayat (2)", "diubah", AMENDED, "Ketentuan ayat (2) Pasal 15 diubah sehingga berbunyi sebagai "
         "berikut:"),
        ("Pasal 13", "dihapus", AMENDED, "Pasal 13 dihapus."),
    ]
    assert [(n.label, n.title) for n in amendment_changes(doc)] == [(a.unit, a.action) for a in doc.amendments]


def test_a_directive_inserting_two_articles_records_both(gazetteer):
    text, doc = _parse(gazetteer, (
        "1. Di antara Pasal 11 dan Pasal 12 disisipkan 2 (dua) pasal, yakni Pasal 11A dan Pasal 11B sehingga "
        "berbunyi sebagai berikut:\nPasal 11A\nData baru.\nPasal 11B\nData lagi.\n"))
    recorded = _recorded(text, doc)
    assert [(unit, action) for unit, action, _, _ in recorded] == [("Pasal 11A", "disisipkan"),
                                                                   ("Pasal 11B", "disisipkan")]
    assert recorded[0][3] == recorded[1][3]  # one directive names both
    # The outline keeps one node per directive, so that sibling nodes never overlap.
    assert [n.label for n in amendment_changes(doc)] == ["Pasal 11A, Pasal 11B"]


def test_the_amending_article_names_the_target_when_the_title_does_not(gazetteer):
    # OCR lost the number from the title's subject: no 'amends' relation, but Pasal I names the regulation.
    title = _TITLE.replace("PERUBAHAN ATAS PERATURAN WALI KOTA NOMOR 48 TAHUN 2021\n", "PERUBAHAN ATAS PERATURAN\n")
    text = title + ("Pasal I\nKetentuan Pasal 11 dalam Peraturan Wali Kota Singkawang Nomor 48 Tahun 2021 tentang "
                    "Tata Kelola Data diubah sebagai berikut:\nPasal 11\nData.\n") + _PASAL_II + _CLOSING
    doc = parse_legal(text, gazetteer)
    assert not [r for r in doc.relations if r.kind == "amends"]
    assert [(a.unit, a.action, a.target.key) for a in doc.amendments] == [("Pasal 11", "diubah", AMENDED)]
    assert doc.amendments[0].evidence.endswith("diubah sebagai berikut:")


def test_a_regulation_that_amends_nothing_records_no_amendments(gazetteer):
    title = _TITLE.replace("PERUBAHAN ATAS PERATURAN WALI KOTA NOMOR 48 TAHUN 2021\nTENTANG ", "")
    text = title + "BAB I\nUMUM\nPasal 1\nKetentuan Pasal 2 diubah apabila perlu.\nPasal 2\nCukup.\n" + _CLOSING
    doc = parse_legal(text, gazetteer)
    assert not doc.is_amendment and doc.amendments == ()


_CHANGE = st.sampled_from(["diubah", "disisipkan", "dihapus"])


@st.composite
def _changes(draw: st.DrawFn) -> tuple[str, list[tuple[str, str, str]]]:
    """Numbered changes to articles of rising number, and what each should record: (unit, action, directive)."""
    pieces, expected = [], []
    number = 0
    for item in range(1, draw(st.integers(1, 6)) + 1):
        number += draw(st.integers(1, 9))
        action = draw(_CHANGE)
        if action == "diubah":
            directive = f"Ketentuan Pasal {number} diubah sehingga berbunyi sebagai berikut:"
            pieces.append(f"{item}. {directive}\nPasal {number}\n(1) Data.\n")
            expected.append((f"Pasal {number}", action, directive))
        elif action == "disisipkan":
            directive = (f"Di antara Pasal {number} dan Pasal {number + 1} disisipkan 1 (satu) pasal, yakni "
                         f"Pasal {number}A sehingga berbunyi sebagai berikut:")
            pieces.append(f"{item}. {directive}\nPasal {number}A\nData baru.\n")
            expected.append((f"Pasal {number}A", action, directive))
        else:
            directive = f"Pasal {number} dihapus."
            pieces.append(f"{item}. {directive}\n")
            expected.append((f"Pasal {number}", action, directive))
    return "".join(pieces), expected


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(_changes())
def test_every_written_change_is_recorded_once_in_order(gazetteer, generated):
    changes, expected = generated
    text, doc = _parse(gazetteer, changes)
    assert [(unit, action, evidence) for unit, action, _, evidence in _recorded(text, doc)] == expected
    assert outline_counts(doc)["amendment_changes"] == [(unit, action) for unit, action, _ in expected]
