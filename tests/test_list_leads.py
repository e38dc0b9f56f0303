"""A list item quoted in an answer comes after its list's lead-in (api/engine/citations.list_lead,
api/engine/extractive.with_leads): alone, "e. Pegawai … yang diberikan cuti di luar tanggungan negara" does not say
what the list is of."""

from __future__ import annotations

from api.engine.citations import Sentence, list_lead, split_sentences
from api.engine.extractive import with_leads
from core.types import Passage, PassageRole, SearchHit

# Pasal 3 of Perpres 161/2015 (LAPAN's performance allowance), as the devset's scan reads it.
PASAL_3 = (
    "Pasal 3\n"
    "(1) Tunjangan Kinerja sebagaimana dimaksud dalam Pasal 2, tidak diberikan kepada:\n"
    "a. Pegawai di Lingkungan Lembaga Penerbangan dan Antariksa Nasional yang tidak mempunyai jabatan tertentu;\n"
    "b. Pegawai di Lingkungan Lembaga Penerbangan dan Antariksa Nasional yang diberhentikan untuk sementara atau "
    "dinonaktifkan;\n"
    "e. Pegawai di Lingkungan Lembaga Penerbangan dan Antariksa Nasional yang diberikan cuti di luar tanggungan "
    "negara atau dalam bcbas tugas untuk menjalani masa persiapan pensiun; dan\n"
    "(2) Ketentuan lebih lanjut mengenai Pegawai di Lingkungan Lembaga Penerbangan dan Antariksa Nasional yang tidak "
    "diberikan Tunjangan Kinerja sebagaimana dimaksud pada ayat (1) diatur dengan Kepala Lembaga Penerbangan dan "
    "Antariksa Nasional."
)


def _hit(text: str) -> SearchHit:
    passage = Passage(passage_id="p", doc_id="d", index=0, text=text, start=0, end=len(text), page_start=1,
                      page_end=1, language="id", role=PassageRole.ARTICLE, pasal="3")
    return SearchHit(passage=passage, title="d", score=1.0)


def _sentence(starting: str) -> Sentence:
    return next(s for s in split_sentences(PASAL_3) if s.text.startswith(starting))


def test_an_item_has_its_list_lead_in_and_an_ayat_has_none() -> None:
    lead = list_lead(PASAL_3, _sentence("e. Pegawai"))
    assert lead is not None and lead.text.endswith("tidak diberikan kepada:")
    assert PASAL_3[lead.start : lead.end] == lead.text
    assert list_lead(PASAL_3, _sentence("(2) Ketentuan")) is None
    assert list_lead(PASAL_3, _sentence("(1) Tunjangan")) is None


def test_a_chosen_item_is_quoted_after_its_lead_in_once() -> None:
    hit, shown = _hit(PASAL_3), set[str]()
    chosen = [(hit, _sentence("e. Pegawai")), (hit, _sentence("a. Pegawai")), (hit, _sentence("(2) Ketentuan"))]
    quoted = [s.text[:9] for _, s in with_leads(chosen, shown)]
    assert quoted == ["(1) Tunja", "e. Pegawa", "a. Pegawa", "(2) Keten"]
    assert any(key.endswith("tidak diberikan kepada:") for key in shown)
    # Already quoted, the lead-in is not quoted again.
    assert [s.text[:9] for _, s in with_leads([(hit, _sentence("(1) Tunjangan")), (hit, _sentence("e. Pegawai"))],
                                              set())] == ["(1) Tunja", "e. Pegawa"]


def test_a_definition_is_quoted_without_the_definitions_lead_in() -> None:
    # Pasal 1 of Perda Kabupaten Pinrang 1/2010, whose article the chunker did not tag as definitions.
    text = ("Pasal 1\nDalam Peraturan Daerah ini, yang dimaksud dengan :\na. Daerah adalah Kabupaten Pinrang.\n"
            "b. Dinas adalah Dinas perhubungan, Informatika dan Komunikasi Kabupaten Pinrang.")
    item = next(s for s in split_sentences(text) if s.text.startswith("b. Dinas"))
    assert list_lead(text, item) is not None
    assert [s.text[:8] for _, s in with_leads([(_hit(text), item)], set())] == ["b. Dinas"]
