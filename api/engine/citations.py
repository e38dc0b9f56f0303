"""Sentences of a passage and the verbatim citations made from them.

Every quote is a slice of the passage text, so its offsets in the document's clean text are
``passage.start + offset`` and ``clean_text[c.start:c.end] == c.quote`` holds by construction.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from core.types import Citation, DocumentMeta, PageSpan, Passage
from vectorstore.hybrid import citation_label

# A sentence ends at . ! ? followed by space and a capital/digit/bracket, at a paragraph break, or at
# a line break before a list item; "No. 5", "Kab. X", "dll." and decimals do not end sentences.
_BOUNDARY = re.compile(
    r"(?<=[.!?])(?<!\bNo\.)(?<!\bno\.)(?<!\bKab\.)(?<!\bjo\.)(?<!\bdll\.)(?<!\bal\.)(?<!\bPs\.)"
    r"\s+(?=[\"'“(\[]?[A-Z0-9]|!\[|<)|\n\s*\n|\n(?=\s*(?:\(\w{1,3}\)|[a-z0-9]{1,2}[.)]\s))"
)
MAX_QUOTE_CHARS = 420
MIN_SENTENCE_CHARS = 25


@dataclass(frozen=True)
class Sentence:
    """A sentence as a span of its passage's text."""

    start: int
    end: int
    text: str
    city: str | None = None  # a table cell's column city (``api.engine.tables``)


def split_sentences(text: str) -> list[Sentence]:
    """Sentences of ``text`` as stripped spans (``text[s.start:s.end] == s.text``)."""
    sentences: list[Sentence] = []
    cursor = 0
    for match in [*_BOUNDARY.finditer(text), None]:
        end = match.start() if match else len(text)
        piece = text[cursor:end]
        lead = len(piece) - len(piece.lstrip())
        body = piece.strip()
        if body:
            start = cursor + lead
            sentences.append(Sentence(start, start + len(body), body))
        cursor = match.end() if match else len(text)
    return sentences


def clip(sentence: Sentence, focus: int | None = None, limit: int = MAX_QUOTE_CHARS) -> Sentence:
    """A long "sentence" (a flattened table) cut to a word-bounded window around ``focus``."""
    if len(sentence.text) <= limit:
        return sentence
    focus = 0 if focus is None else max(0, focus - sentence.start)
    lo = max(0, min(focus - limit // 3, len(sentence.text) - limit))
    hi = lo + limit
    text = sentence.text
    window = lo, hi
    while 0 < lo < window[1] and not text[lo - 1].isspace():
        lo += 1
    while lo < hi < len(text) and not text[hi].isspace():
        hi -= 1
    if not text[lo:hi].strip():  # one "word" longer than the window (a run of digits): cut it where it falls
        lo, hi = window
    piece = text[lo:hi]
    lead = len(piece) - len(piece.lstrip())
    body = piece.strip()
    return Sentence(sentence.start + lo + lead, sentence.start + lo + lead + len(body), body, sentence.city)


def make_citation(
    marker: int,
    passage: Passage,
    meta: DocumentMeta | None,
    sentence: Sentence,
    pages: Sequence[PageSpan] = (),
    city: str | None = None,
) -> Citation:
    """A citation of ``sentence`` (a span of ``passage.text``); ``pages`` (the document's layout) gives the
    page the quote starts on, which may be later than the passage's first page."""
    start = passage.start + sentence.start
    page = passage.page_start
    if passage.page_end != passage.page_start:
        page = next((span.number for span in pages if span.start <= start < span.end), page)
    return Citation(
        marker=marker,
        passage_id=passage.passage_id,
        doc_id=passage.doc_id,
        title=meta.title if meta else passage.doc_id,
        page=page,
        section=passage.section,
        start=start,
        end=passage.start + sentence.end,
        quote=sentence.text,
        city=city,
        label=citation_label(passage, meta, page),
        ocr_confidence=passage.ocr_confidence,
    )
