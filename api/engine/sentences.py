"""The sentences an answer may quote from a passage, and which of them the sentence model would quote: what the
answer picks from (``api.engine.extractive``) and what the gate asks of the best passages (does any sentence
state the answer?) are read alike."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import replace

from api.engine.citations import (
    Sentence,
    list_items,
    opens_item,
    split_sentences,
    too_short,
    with_lists,
    with_signatures,
)
from api.engine.features import ANSWER_SHAPES, Terms, is_asked_article, sentence_features, shape_match
from api.engine.injection import looks_like_instruction
from api.engine.matching import Words, agreement
from api.engine.plan import QueryPlan
from api.engine.tables import table_cells
from core.acronyms import expanded
from core.roles import annex_heading, closing_sentence
from core.types import Passage, PassageRole, Region, SearchHit
from vectorstore.lexical import tokenize

_CLOSED = re.compile(r"[.!?:;][\"'”’)\]]*$")
# The number a table row or a list item opens with ("4. 14 Rp 11.670.000,00": row 4, class 14) is its place in
# the list, not a figure it states.
_ROW_NUMBER = re.compile(r"\d{1,3}[.)]\s+(?=\S)")


# A figure written in groups ("11.670.000", an OCR'd "14.72 1.000"): the index reads each group as a token too.
_GROUPED_FIGURE = re.compile(r"\d+(?:[.,]\d+)+")
_STANDALONE_NUMBER = re.compile(r"(?<![\d.,])\d+(?![.,]?\d)")


def stated_words(text: str, acronyms: Sequence[str] = ()) -> Words:
    """The words a sentence states, as a question's words are matched against them: not the number it is
    listed under, nor the digit groups of a figure, so a question's "kelas jabatan 14" is in the row
    "4. 14 Rp 11.670.000,00", not in "14. 4 Rp 2.350.000,00" nor in "15 Rp 14.721.000,00"."""
    label = _ROW_NUMBER.match(text)
    stated = text[label.end():] if label else text
    words = Words.of(expanded(stated, acronyms))
    alone = set(_STANDALONE_NUMBER.findall(stated))
    groups = {g for figure in _GROUPED_FIGURE.findall(stated) for g in re.split(r"[.,]", figure)} - alone
    if not groups:
        return words
    return Words(words.tokens - groups, words.prefixes, words.roots - groups)


HEADING_MAX_WORDS = 14


def candidate_sentences(passage: Passage, regions: Sequence[Region] = ()) -> list[Sentence]:
    """The passage's sentences, a table row's cells taken one by one (see ``api.engine.tables``), a
    bulleted run item by item and a considering clause's run of reasons reason by reason."""
    text = passage.text
    sentences = [
        item
        for sentence in with_signatures(text, with_lists(text, split_sentences(text)))
        for cell in table_cells(text, sentence, regions)
        for item in list_items(cell)
    ]
    if passage.role != PassageRole.KONSIDERANS:
        return sentences
    return [reason for sentence in sentences for reason in considerations(sentence)]


# Where a considering clause's next reason opens when the scan lost its "b." and the full stop before it: each
# reason is a "bahwa …" clause, run on after a comma or semicolon.
_NEXT_REASON = re.compile(r"(?<=[,;])\s+(?=bahwa\b)", re.IGNORECASE)


def considerations(sentence: Sentence) -> list[Sentence]:
    """A considering clause's reasons run into one sentence ("bahwa dengan keluarnya putusan MK …, bahwa
    menindaklanjuti Keputusan Mendagri …, bahwa berdasarkan pertimbangan …") as one sentence each: quoted whole
    the run is clipped to one window, which keeps the reason holding the question's words and cuts the others."""
    cuts = [m.start() for m in _NEXT_REASON.finditer(sentence.text)]
    if not cuts:
        return [sentence]
    bounds = [0, *cuts, len(sentence.text)]
    reasons = []
    for lo, hi in zip(bounds, bounds[1:], strict=False):
        piece = sentence.text[lo:hi]
        body = piece.strip()
        if body:
            start = sentence.start + lo + (len(piece) - len(piece.lstrip()))
            reasons.append(replace(sentence, start=start, end=start + len(body), text=body, listed=False))
    return reasons


def looks_like_heading(text: str) -> bool:
    """A title, caption or table header: short, no closing punctuation. It names what a passage is about but
    states nothing."""
    return len(text.split()) <= HEADING_MAX_WORDS and not _CLOSED.search(text)


def _closed_item(text: str) -> bool:
    return opens_item(text) and text.endswith(",")


def quotable(text: str, plan: QueryPlan, item: bool = False) -> bool:
    """May the answer quote this sentence? Not a fragment, not orders to the assistant (documents are
    untrusted); unless the question asks about the instrument, not a closing formula, an annex's title, nor a
    caption or heading that names what follows and states no figure ("SPBE Index Categories of Balikpapan
    City & Samarinda City"; a table row's "88,31 – 100,00 A Sangat baik" states one). A list's item is not a
    heading: a bulleted one, or a lettered one closed by the comma a decree's items end with as others end with a
    semicolon ("a. Menetapkan PPK, PP-SPM dan Bendahara Pengeluaran,": short, it states what the list lists)."""
    if too_short(text) or looks_like_instruction(text):
        return False
    if plan.about_instrument:
        return True
    if not (item or _closed_item(text)) and looks_like_heading(text) and not any(c.isdigit() for c in text):
        return False
    return not (closing_sentence(text) or annex_heading(text))


def sentence_rows_of(
    hit: SearchHit, prob: float, rank: int, plan: QueryPlan, terms: Terms, *, title: str = "",
    identifiers: Sequence[str] = (), regions: Sequence[Region] = (), shape: str | None = None,
) -> list[tuple[list[float], Sentence]]:
    """The quotable sentences of one ranked passage (of the answer type ``shape`` only, when given), each with
    the sentence model's features: read alike by the answer (``extractive.sentence_rows``) and the gate."""
    rows = []
    article = is_asked_article(hit.passage, plan.articles)
    for position, sentence in enumerate(candidate_sentences(hit.passage, regions)):
        text = sentence.text
        if not quotable(text, plan, sentence.item) or (shape is not None and not shape_match(shape, text)):
            continue
        stated = stated_words(text, hit.passage.acronyms)
        coverage = agreement(terms.terms, stated, terms.weights)
        with_title = agreement(terms.terms, stated.with_text(title), terms.weights) if title else coverage
        rows.append((sentence_features(
            text, passage_prob=prob, passage_rank=rank, coverage=coverage, coverage_titles=with_title, plan=plan,
            role=hit.passage.role, identifier=any(t in tokenize(text) for t in identifiers),
            heading=looks_like_heading(text) and not sentence.item, item=sentence.item, first=position == 0,
            article=article, language=hit.passage.language, terms=terms,
        ), sentence))
    return rows


def stated_answer(
    hits: Sequence[SearchHit], probs: Sequence[float], plan: QueryPlan, terms: Terms,
    probability: Callable[[Sequence[float]], float],
) -> float:
    """How sure the sentence model is that some sentence of ``hits`` states the answer in the shape asked (an
    amount for "how much"): a near miss shares the question's words but states no such thing."""
    return stated_sentence(hits, probs, plan, terms, probability)[0]


def stated_sentence(
    hits: Sequence[SearchHit], probs: Sequence[float], plan: QueryPlan, terms: Terms,
    probability: Callable[[Sequence[float]], float],
) -> tuple[float, str]:
    """:func:`stated_answer` and the sentence it is read from ("" when none has the asked shape): the gate also
    asks how much of the question that sentence holds, since a near miss's figure is about something else."""
    shape = plan.answer_type if plan.answer_type in ANSWER_SHAPES else None
    best = (0.0, "")
    for rank, (hit, prob) in enumerate(zip(hits, probs, strict=False)):
        for row, sentence in sentence_rows_of(hit, prob, rank, plan, terms, shape=shape):
            value = probability(row)
            if value > best[0]:
                best = (value, sentence.text)
    return best
