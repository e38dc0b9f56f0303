"""Title words OCR misspelt, repaired from the words the document itself uses."""

from __future__ import annotations

from ingest.legal.ocr_words import repair

_BODY = ("Menimbang : bahwa pegawai di lingkungan Badan Pengawas Keuangan perlu diberi tunjangan; bahwa Badan "
         "Pengawas Keuangan telah melaksanakan reformasi birokrasi; Pasal 1 Pegawai Badan Pengawas Keuangan ... "
         "Pasal 2 Kinerja dinilai oleh atasan.")


def test_a_title_word_the_document_never_repeats_is_the_often_written_word_one_confusion_away() -> None:
    title = "TUNJANGAN KINERJA PEGAWAI DI LINGKUNGAN BADAN PENGAWAS KEUANGAN"
    assert repair(title, f"{title}\n{_BODY}") == (title, False)
    misread = "TUNJANGAN KINERJA PEGAWAI DI LINGKUNGAN HADAN PENGAWAS KEUANGAN"  # B read as h
    assert repair(misread, f"{misread}\n{_BODY}") == (
        "TUNJANGAN KINERJA PEGAWAI DI LINGKUNGAN BADAN PENGAWAS KEUANGAN", True)
    # a misreading that is no known confusion ("C" for "G") is left as read
    other = "TUNJANGAN KINERJA PEGAWAI DI LINGKUNGAN BADAN PENGAWAS KEUANCAN"
    assert repair(other, f"{other}\n{_BODY}") == (other, False)


def test_a_real_word_the_document_writes_again_or_a_short_one_is_left_alone() -> None:
    # "Hadan" is written twice, so it is the document's word; "bak" is too short to judge
    text = "Pengelolaan Hadan dan Bak\nHadan ini ... Badan Badan Badan hak hak hak"
    assert repair("Pengelolaan Hadan dan Bak", text) == ("Pengelolaan Hadan dan Bak", False)
