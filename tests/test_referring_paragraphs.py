"""A paragraph that refers back to the answer's opening paragraph completes it (api/engine/extractive.pick,
``answer.referring_gain``): "(2) Tindak pidana sebagaimana dimaksud dalam ayat (1) merupakan tindak pidana
pelanggaran" is how the fine the opening quotes is classified."""

from __future__ import annotations

from api.engine.citations import Sentence, split_sentences
from api.engine.extractive import pick
from core.settings import AnswerSettings
from core.types import Passage, PassageRole, SearchHit

# Articles of UU 13/2003 (Ketenagakerjaan) as the devset's copy reads them.
PASAL_188 = (
    "Pasal 188\n(1) Barang siapa melanggar ketentuan sebagaimana dimaksud dalam Pasal 14 ayat (2), Pasal 38 ayat (2), "
    "Pasal 63 ayat (1), Pasal 78 ayat (1), Pasal 108 ayat (1), Pasal 111 ayat (3), Pasal 114, dan Pasal 148, "
    "dikenakan sanksi pidana denda paling sedikit Rp 5.000.000,00 (lima juta rupiah) dan paling banyak Rp "
    "50.000.000,00 (lima puluh juta rupiah).\n(2) Tindak pidana sebagaimana dimaksud dalam ayat (1) merupakan "
    "tindak pidana pelanggaran."
)
PASAL_108 = (
    "Pasal 108\n(1) Pengusaha yang mempekerjakan pekerja/ buruh sekurang-kurangnya 10 (sepuluh) orang wajib membuat "
    "peraturan perusahaan yang mulai berlaku setelah disahkan oleh Menteri atau pejabat yang ditunjuk.\n(2) "
    "Kewajiban membuat peraturan perusahaan sebagaimana dimaksud pada ayat (1) tidak berlaku bagi perusahaan yang "
    "telah memiliki perjanjian kerja bersama."
)
PASAL_189 = ("Pasal 189\nSanksi pidana penjara, kurungan, dan/atau denda tidak menghilangkan kewajiban pengusaha "
             "membayar hak-hak dan/atau ganti kerugian kepada tenaga kerja atau pekerja/buruh.")


def _hit(text: str, index: int) -> SearchHit:
    passage = Passage(passage_id=f"p{index}", doc_id="uu13", index=index, text=text, start=0, end=len(text),
                      page_start=1, page_end=1, language="id", role=PassageRole.ARTICLE)
    return SearchHit(passage=passage, title="uu13", score=1.0)


def _sentence(text: str, opening: str) -> Sentence:
    return next(s for s in split_sentences(text) if s.text.startswith(opening))


def _scored(first: tuple[str, str], then: tuple[str, str]) -> list[tuple[float, SearchHit, Sentence]]:
    """The sentence model's ranking of the articles' sentences (as it ranked them for "what fine … and how is the
    offence classified"), with ``first`` opening the answer and ``then`` second."""
    hits = {PASAL_188: _hit(PASAL_188, 0), PASAL_108: _hit(PASAL_108, 1), PASAL_189: _hit(PASAL_189, 2)}
    ranked = [first, then, *(pair for pair in ((PASAL_108, "(2)"), (PASAL_189, "Pasal"), (PASAL_188, "(2)"))
                             if pair not in (first, then))]
    scores = (0.55, 0.53, 0.35, 0.27, 0.19)
    return [(score, hits[text], _sentence(text, opening))
            for score, (text, opening) in zip(scores, ranked, strict=False)]


def _quoted(scored: list[tuple[float, SearchHit, Sentence]], gain: float) -> list[str]:
    return [f"{hit.passage.passage_id}{s.text[:3]}" for hit, s in pick(scored, 3, referring_gain=gain)]


def test_a_paragraph_referring_to_the_opening_one_is_quoted_with_it() -> None:
    scored = _scored((PASAL_188, "(1)"), (PASAL_108, "(1)"))
    gain = AnswerSettings().referring_gain
    assert gain > 0
    assert _quoted(scored, gain) == ["p0(1)", "p1(1)", "p0(2)"]
    assert _quoted(scored, 0.0) == ["p0(1)", "p1(1)", "p1(2)"]


def test_only_the_opening_paragraph_draws_its_references() -> None:
    # Pasal 108 (1) is quoted second: its ayat (2) gains nothing for referring to it, and the better ranked
    # sentence is quoted instead.
    hits = [_hit(PASAL_188, 0), _hit(PASAL_108, 1), _hit(PASAL_189, 2)]
    scored = [(0.55, hits[2], _sentence(PASAL_189, "Pasal")), (0.53, hits[1], _sentence(PASAL_108, "(1)")),
              (0.30, hits[0], _sentence(PASAL_188, "(2)")), (0.28, hits[1], _sentence(PASAL_108, "(2)"))]
    assert _quoted(scored, AnswerSettings().referring_gain) == ["p2Pas", "p1(1)", "p0(2)"]
