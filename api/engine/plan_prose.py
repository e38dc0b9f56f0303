"""A plan's figure stated in prose: the passage answer to a figure question no indicator row names, kept only when
it states a figure for the asked thing.

A plan states many figures outside its tables ('inflasi ... diharapkan akan berada pada nilai antara 4,5-5,5%',
'total anggaran sebesar Rp 22.438.838.000'), so a question asking a plan for a figure that no row names is answered
from the passages, as any question. But the passage answer quotes the sentences nearest the question whether or not
they state what it asks, and a plan's prose is near every question about the plan ('tujuan, sasaran, strategi dan
arah kebijakan ... Tahun 2016-2021'): asked for an indicator the plan never sets, it would quote them. So the answer
stands only when one quoted sentence states a figure (a number that is not a year nor a table's or page's number)
together with half of the words of what is asked, and, when the question names a year the plan is not for alone,
that year.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from api.engine.matching import Words
from core.legal_patterns import SMALL_ROMAN_LETTER
from core.types import Answer, Passage

# A figure: digits that are not a year alone ('4,5-5,5%', '25,50 %', 'Rp 22.438.838.000', '16 unit').
_NUMBER = re.compile(r"(?<![\w.,])\d[\d.,]*")
# Numbers that name a place in a document, not a quantity: a table's or a chapter's number ('Tabel 5.1', 'Bab III'),
# an instrument's ('Nomor 86'), a page's running number ('IV-4', 'II-18').
# A page label's chapter numeral is read before a hyphen only: after a full stop the number may open a sentence.
_PLACE = re.compile(r"(?:\b(?:tabel|table|gambar|figure|grafik|bab|chapter|pasal|article|ayat|nomor|no|number)\.?\s*"
                    rf"|\b{SMALL_ROMAN_LETTER}{{1,4}}\s?-\s?)$", re.IGNORECASE)
# The share of the asked terms a sentence must name to state the asked thing: one generic word of a question
# ('index', which a plan's every 'indikator' translates) is not enough.
MIN_TERMS_NAMED = 0.5
_YEAR = re.compile(r"(?:19|20)\d\d")


def states_figure(sentence: str) -> bool:
    """Does the sentence state a figure other than a year or a list number ('2016', '1.')?"""
    for match in _NUMBER.finditer(sentence):
        figure = match.group(0).rstrip(".,")
        if not figure or _YEAR.fullmatch(figure):
            continue
        # A bare one- or two-digit number ending in a full stop numbers a list item or a chapter.
        if figure.isdigit() and len(figure) <= 2 and match.group(0).endswith("."):
            continue
        if _PLACE.search(sentence[max(match.start() - 12, 0):match.start()]):
            continue
        return True
    return False


def _names(sentence: str, term: tuple[frozenset[str], ...]) -> bool:
    words = Words.of(sentence)
    return any(all(words.has(w) for w in alt) for alt in term)


def prose_answers(answer: Answer, terms: Sequence[tuple[frozenset[str], ...]], year: int | None,
                  passages: Mapping[str, Passage] | None = None) -> bool:
    """Does one of the answer's quoted sentences state a figure, with half of the asked terms and the asked year
    (``year``: None when the question names none of its own) in the sentence or the passage it is quoted from
    (``passages``: the year opens a paragraph, 'pada Desember 2017, jumlah ASN ... Selain itu ... 4 pegawai')?"""
    cited = {c.marker: c.passage_id for c in answer.citations}
    for city in answer.by_city:
        for said in city.sentences:
            sentence = said.text
            if not states_figure(sentence):
                continue
            if year is not None and str(year) not in sentence:
                around = [passages[cited[m]].text for m in said.citations
                          if passages is not None and m in cited and cited[m] in passages]
                if not any(str(year) in text for text in around):
                    continue
            if not terms or sum(_names(sentence, term) for term in terms) >= MIN_TERMS_NAMED * len(terms):
                return True
    return False


def refusal(answer: Answer, plan: str, year: int | None) -> Answer:
    """The passage answer withdrawn: the plan's rows do not name what was asked and no quoted sentence states it."""
    when = f" for {year}" if year is not None else ""
    text = (f"{plan} sets no figure{when} for what is asked: no row of its tables names it, and the passages found "
            "state no figure for it.")
    return Answer(question=answer.question, text=text, covered=False, searched=answer.searched,
                  nearest_documents=answer.nearest_documents,
                  notes=("Searched the plan's indicator rows and its text; the nearest passages state no figure for "
                         "the question's words.",))
