"""Passage roles (core/roles.py): what a passage is decides what it can be evidence for."""

from __future__ import annotations

from core.roles import annex_heading, closing_sentence, is_closing, passage_role
from core.types import PassageRole


def role(kind: str, text: str, section: str = "", pasal: str | None = None, regulation: bool = True) -> PassageRole:
    return passage_role(kind, section, text, pasal, is_regulation=regulation)


def test_structural_kinds_map_to_their_roles() -> None:
    assert role("title", "PERATURAN BUPATI PINRANG NOMOR 3 TAHUN 2015") == PassageRole.TITLE
    assert role("heading", "BAB II\nKETENTUAN UMUM") == PassageRole.HEADING
    assert role("references", "Smith, J. (2020). Smart cities.", regulation=False) == PassageRole.BIBLIOGRAPHY
    assert role("diktum", "KESATU : Menetapkan Kuasa Pengguna Anggaran") == PassageRole.ARTICLE


def test_konsiderans_is_split_into_reasons_and_legal_basis() -> None:
    assert role("konsiderans", "Menimbang : a. bahwa untuk melaksanakan ...") == PassageRole.KONSIDERANS
    basis = "Mengingat : 1. Undang-Undang Nomor 23 Tahun 2014 tentang Pemerintahan Daerah;"
    assert role("konsiderans", basis) == PassageRole.LEGAL_BASIS


def test_the_enacting_formula_restates_the_title() -> None:
    formula = "MEMUTUSKAN:\nMenetapkan : PERATURAN MENTERI PENDIDIKAN DAN KEBUDAYAAN TENTANG ORGANISASI DAN TATA KERJA."
    assert role("konsiderans", formula, section="Konsiderans › Menetapkan") == PassageRole.TITLE
    assert role("konsiderans", formula, section="Konsiderans › Menimbang") == PassageRole.KONSIDERANS


def test_definitions_are_pasal_1_that_define() -> None:
    text = "Pasal 1\nDalam Peraturan ini yang dimaksud dengan:\n1. Daerah adalah Kabupaten Pinrang."
    assert role("pasal", text, pasal="1") == PassageRole.DEFINITIONS
    assert role("pasal", "Pasal 2\nRetribusi dipungut oleh Dinas.", pasal="2") == PassageRole.ARTICLE


def test_the_closing_is_told_from_the_last_article() -> None:
    closing = "Ditetapkan di Pinrang\npada tanggal 5 Januari 2015\nBUPATI PINRANG,\nttd"
    assert role("text", closing) == PassageRole.CLOSING
    last_article = ("Pasal 10\nPeraturan ini mulai berlaku pada tanggal diundangkan. Agar setiap orang "
                    "mengetahuinya, memerintahkan pengundangan Peraturan ini.")
    assert role("pasal", last_article, pasal="10") == PassageRole.ARTICLE
    assert is_closing("Diundangkan di Pinrang pada tanggal 5 Januari 2015")
    assert not is_closing("Retribusi dipungut paling lambat 30 (tiga puluh) hari.")


def test_a_lampiran_list_of_legal_bases_is_legal_basis_and_a_paper_is_body() -> None:
    bases = "\n".join(f"{i}. Peraturan Menteri Nomor {i} Tahun 2019 tentang X;" for i in range(1, 6))
    assert role("text", bases, section="LAMPIRAN") == PassageRole.LEGAL_BASIS
    assert role("text", "The city launched its app in 2019.", regulation=False) == PassageRole.BODY
    assert role("text", "Penjelasan umum ...", section="PENJELASAN") == PassageRole.PENJELASAN


def test_an_article_citing_a_gazette_in_brackets_is_a_rule_not_a_closing_line():
    revoking = ("Pada saat Peraturan Menteri ini mulai berlaku, Peraturan Menteri Nomor 44 Tahun 2015 (Berita Negara "
                "Republik Indonesia Tahun 2015 Nomor 1952) dicabut dan dinyatakan tidak berlaku.")
    assert is_closing(revoking)  # the passage-level test sees the gazette words
    assert not closing_sentence(revoking)
    assert closing_sentence("LEMBARAN DAERAH KABUPATEN PINRANG TAHUN 2010 NOMOR 1")
    assert closing_sentence("Ditetapkan di Pinrang pada tanggal 12 April 2010")
    # The OCR layer lost the opening bracket: the gazette is still the cited instrument's.
    listed = ("2. Peraturan Gubernur Nomor 105 Tahun 2020 tentang Perubahan Atas Peraturan Gubernur Nomor 11 Tahun "
              "2020 ,Berita Daerah Provinsi Daerah Khusus Ibukota Jakarta Tahun 2020 Nomor 710431;")
    assert not closing_sentence(listed)
    assert closing_sentence("Diundangkan di Jakarta pada tanggal 26 Agustus 2022 BERITA DAERAH PROVINSI DAERAH "
                            "KHUSUS IBUKOTA JAKARTA TAHUN 2022 NOMOR 71016")


def test_a_rule_on_promulgation_naming_the_gazette_is_not_a_closing_line():
    rule = ("(2) Dalam hal Bupati tidak menandatangani Rancangan Perda sebagaimana dimaksud pada ayat (1), Rancangan "
            "Perda tersebut sah menjadi Perda dan wajib diundangkan dalam Lembaran Daerah.")
    assert not closing_sentence(rule)
    # A closing's gazette line set in running case still cites its year and number.
    assert closing_sentence("Berita Daerah Kota Jambi Tahun 2020 Nomor 21")
    assert closing_sentence("Agar setiap orang mengetahuinya, memerintahkan pengundangan Peraturan Daerah ini dengan "
                            "penempatannya dalam Lembaran Daerah Kabupaten Pinrang.")


def test_an_annex_heading_repeating_the_instruments_identity_is_told_from_the_annex_text():
    assert annex_heading("LAMPIRAN\nPERATURAN MENTERI PENDIDIKAN DAN KEBUDAYAAN\nNOMOR 3 TAHUN 2020\nTENTANG\nSTANDAR")
    assert annex_heading("LAMPIRAN II KEPUTUSAN BUPATI PINRANG NOMOR 700/22/2020 TENTANG HONORARIUM")
    assert not annex_heading("Lampiran ini memuat daftar peraturan yang dicabut.")
    assert not annex_heading("Setiap lulusan harus memiliki sikap sebagaimana tercantum dalam Lampiran.")


def test_a_stored_considering_clause_is_read_again_with_todays_rules() -> None:
    from core.types import Passage, PassageKind
    from vectorstore.hybrid import with_roles

    text = "MEMUTUSKAN:\nMenetapkan : PERATURAN WALI KOTA TENTANG RETRIBUSI."
    stored = Passage(passage_id="d:3", doc_id="d", index=3, text=text, start=0, end=len(text), page_start=1,
                     page_end=1, section="Konsiderans › Menetapkan", kind=PassageKind.KONSIDERANS,
                     role=PassageRole.KONSIDERANS)
    assert with_roles([stored], {})["d:3"].role == PassageRole.TITLE
