"""Sentences of a passage and the verbatim citations made from them.

Every quote is a slice of the passage text, so its offsets in the document's clean text are
``passage.start + offset`` and ``clean_text[c.start:c.end] == c.quote`` holds by construction.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from core.acronyms import written_in
from core.citation_labels import citation_label
from core.types import Citation, DocumentMeta, PageSpan, Passage

# A sentence ends at . ! ? followed by space and a capital/digit/bracket, at a paragraph break, or at a line
# break before a list item (numbered, lettered or dashed); "No. 5", "Kab. X", "Rp. 314.971.502.000" (a sum's
# figure is its sentence's point), "dll.", decimals and the "a." or "12." that opens a list item do not end
# sentences, nor does a reference wrapped before its number ("sebagaimana dimaksud pada ayat\n(1) huruf c").
_BOUNDARY = re.compile(
    r"(?<=[.!?])(?<!\bNo\.)(?<!\bno\.)(?<!\bKab\.)(?<!\bRp\.)(?<!\bjo\.)(?<!\bdll\.)(?<!\bal\.)(?<!\bPs\.)"
    r"(?<!^\w\.)(?<!\n\w\.)(?<!^\d\d\.)(?<!\n\d\d\.)"
    # A name's initial or title ("Jalan A. Abdullah", "Drs. H. Ahmad", "KH. Ahmad Dahlan") is not a full stop.
    r"(?<![\s(][A-Z]\.)(?<!\bDr\.)(?<!\bDrs\.)(?<!\bIr\.)(?<!\bKH\.)(?<!\bHj\.)(?<!\bProf\.)(?<!\bJl\.)"
    r"\s+(?=[\"'“(\[]?[A-Z0-9]|!\[|<)|\n\s*\n|(?<!\bayat)(?<!\bhuruf)(?<!\bangka)(?<!\bPasal)"
    r"\n(?=\s*(?:\(\w{1,3}\)|[a-z0-9]{1,2}[.)]\s|[a-z][,\-]\s|[-•*]\s))"
    # An OCR layer runs the closing formulas into the last article's line: they still open sentences.
    r"|\s+(?=(?:Agar\s+setiap\s+orang|(?:Ditetapkan|Disahkan|Diundangkan)\s+di)\s)"
)
# A scan's OCR reads a bullet as a lone "e", "©" or "«" before the item's capital ("e Menunjuk … e Menyiapkan …");
# no Indonesian or English word is a lone "e", but a law's explanation lists "Huruf e Cukup jelas".
_BULLET = re.compile(r"\s*[•●▪◦■]\s*|(?:(?<=\s)|^)(?<!uruf\s)[e©«]\s+(?=[A-Z][a-z])")
MAX_QUOTE_CHARS = 420
# A list chosen for the answer is quoted with its items as far as this (:func:`whole_list`): "which buildings are
# exempt" is answered by all of them, not by the first three and a cut.
MAX_LIST_QUOTE_CHARS = 800
# The article a question names is quoted whole, up to this: its operative words ("… dicabut dan dinyatakan tidak
# berlaku sepanjang …") come after the long citations a legal sentence opens with.
MAX_ARTICLE_QUOTE_CHARS = 1000
MIN_SENTENCE_CHARS = 25
# A table row is short but whole when it states a sum: "11. 7 Rp 2.928.000,00" (class 7, its allowance).
_VALUE_ROW = re.compile(r"\bRp\.?\s?\d[\d.,\s]*\d|\d\s?%", re.IGNORECASE)


def too_short(text: str) -> bool:
    """Too short to quote as an answer: OCR debris and stray numbering, not a table row stating a sum."""
    return len(text) < MIN_SENTENCE_CHARS and not _VALUE_ROW.search(text)


@dataclass(frozen=True)
class Sentence:
    """A sentence as a span of its passage's text."""

    start: int
    end: int
    text: str
    city: str | None = None  # a table cell's column city (``api.engine.tables``)
    item: bool = False  # one item of a bulleted list (:func:`list_items`)
    listed: bool = False  # a lead-in joined to the items it opens (:func:`with_lists`)


def _pieces(
    text: str, boundary: re.Pattern[str], offset: int = 0, city: str | None = None, item: bool = False
) -> list[Sentence]:
    """The stripped, non-empty pieces of ``text`` between matches of ``boundary``, as spans shifted by
    ``offset``."""
    pieces: list[Sentence] = []
    cursor = 0
    for match in [*boundary.finditer(text), None]:
        end = match.start() if match else len(text)
        piece = text[cursor:end]
        lead = len(piece) - len(piece.lstrip())
        body = piece.strip()
        if body:
            start = offset + cursor + lead
            pieces.append(Sentence(start, start + len(body), body, city, item))
        cursor = match.end() if match else len(text)
    return pieces


def split_sentences(text: str) -> list[Sentence]:
    """Sentences of ``text`` as stripped spans (``text[s.start:s.end] == s.text``)."""
    return _pieces(text, _BOUNDARY)


# An OCR layer reads a letter's "a." as "a," or "a-" as often as not.
_MARKER = r"(?P<open>\()?(?:(?P<digits>\d{1,2})|[a-z]{1,3})(?P<close>[.)]|(?<=[a-z])[,\-])\s"
_LIST_ITEM = re.compile(_MARKER)


def _item_style(text: str) -> tuple[bool, bool, str] | None:
    """How a list item is numbered ("a.", "1.", "(a)", "1)"), or None when ``text`` is not one."""
    match = _LIST_ITEM.match(text)
    if match is None or (match["open"] and match["close"] != ")"):
        return None
    return bool(match["open"]), match["digits"] is not None, ")" if match["close"] == ")" else "."


def opens_item(text: str) -> bool:
    """Does the text open with a list item's marker ("a. Menetapkan PPK, PP-SPM dan Bendahara Pengeluaran,")?"""
    return _item_style(text) is not None


# A lead-in whose OCR turned the next item's "a." into a stray mark ("… berupa: ." or "… Program Studi: ,"), or
# one whose drafter left out the colon ("Waktu pelaksanaan … adalah⏎a. setiap hari Minggu …").
_LEAD_IN = re.compile(r"(?::\s*[.,;]?|\b(?:adalah|yaitu|yakni|meliputi|terdiri\s+(?:atas|dari)|berupa|"
                      r"sebagai\s+berikut|antara\s+lain))$", re.IGNORECASE)
# A lead-in whose first item the layout kept on its line ("… sebagai berikut: a, bertakwa …").
_INLINE_FIRST_ITEM = re.compile(rf":\s*{_MARKER}")
# Items whose markers the OCR lost are known by being short: a name or a phrase, not a sentence.
LOOSE_ITEM_WORDS = 12
# An item closed by a stray mark ("Benih Ikan Mas: ." , "Program Sarjana, .") is not the list's last one.
_DEBRIS_END = re.compile(r"[,:;]\s*[.,]?$")


def with_lists(text: str, sentences: Sequence[Sentence]) -> list[Sentence]:
    """``sentences`` with each lead-in ("Susunan Organisasi terdiri atas :") joined to the items that follow it
    in one numbering style ("a.", "b." …), as far as a quote may run: alone it promises an answer it does not
    hold. The items stay candidates too. On a scan the OCR often reads the markers as stray dots: the short
    pieces after a lead-in are then its items, up to the one a full stop closes."""
    out: list[Sentence] = []
    inside = 0  # an item of the list just joined, though it ends in a colon, opens no list of its own
    for i, sentence in enumerate(sentences):
        opens = _LEAD_IN.search(sentence.text) or _INLINE_FIRST_ITEM.search(sentence.text)
        end = _list_end(sentences, i) if i >= inside and opens else i + 1
        inside = max(inside, end)
        if end == i + 1:
            out.append(sentence)
            continue
        last = sentences[end - 1].end
        out.append(Sentence(sentence.start, last, text[sentence.start : last], sentence.city, sentence.item,
                            listed=True))
    return out


def whole_list(text: str, sentence: Sentence) -> Sentence:
    """A list chosen to quote, run on through the items the quote limit cut off (up to
    :data:`MAX_LIST_QUOTE_CHARS`). Only the quote grows: the list was judged as :func:`with_lists` cut it."""
    if not sentence.listed:
        return sentence
    sentences = split_sentences(text)
    lead = next((i for i, s in enumerate(sentences) if s.start == sentence.start), None)
    if lead is None:
        return sentence
    last = sentences[_list_end(sentences, lead, MAX_LIST_QUOTE_CHARS) - 1].end
    if last <= sentence.end:
        return sentence
    return Sentence(sentence.start, last, text[sentence.start : last], sentence.city, sentence.item, listed=True)


def list_lead(text: str, sentence: Sentence) -> Sentence | None:
    """The lead-in of the list ``sentence`` is an item of, when it is one: "e. Pegawai … yang diberikan cuti di luar
    tanggungan negara" says what it says only after "Tunjangan Kinerja … tidak diberikan kepada:"."""
    style = _item_style(sentence.text)
    if sentence.listed or style is None:
        return None
    sentences = split_sentences(text)
    at = next((i for i, s in enumerate(sentences) if s.start == sentence.start), None)
    if at is None:
        return None
    for i in range(at - 1, -1, -1):
        piece = sentences[i].text
        if _LEAD_IN.search(piece) or _INLINE_FIRST_ITEM.search(piece):
            return sentences[i] if _list_end(sentences, i, len(text)) > at else None
        if _item_style(piece) != style:
            return None
    return None


def _list_end(sentences: Sequence[Sentence], lead: int, limit: int = MAX_QUOTE_CHARS) -> int:
    """Where the list opened by the lead-in at ``lead`` ends (exclusive), as far as ``limit`` characters."""
    start = sentences[lead].start
    end = lead + 1
    style = _item_style(sentences[end].text) if end < len(sentences) else None
    if style is not None:
        while (end < len(sentences) and _item_style(sentences[end].text) == style
               and sentences[end].end - start <= limit):
            end += 1
        return end
    while end < len(sentences) and sentences[end].end - start <= limit:
        piece = sentences[end].text
        marker = _item_style(piece)
        if marker is not None and marker[0] and marker[1]:  # "(2)": the article's next ayat
            break
        if marker is None and len(piece.split()) > LOOSE_ITEM_WORDS:
            break
        end += 1
        if piece.endswith(".") and not _DEBRIS_END.search(piece):
            break
    return end


# A signature block: "Ditetapkan di Bali pada tanggal 4 Januari 2021 / GUBERNUR BALI, / ttd / WAYAN KOSTER",
# one line each in the layout. Between the place-and-date line and the signer's name come the office (ending in a
# comma, "ttd" sometimes on its line), "ttd" (OCR'd "TID."), and short prefixes ("a.n.", "Plt.", "Drs.", "H.").
_SIGNED_AT = re.compile(r"(?:Ditetapkan|Disahkan|Diundangkan)\s+di\b", re.IGNORECASE)
_SIGNATURE_FILLER = re.compile(r"(?:,|\bt\.?t\.?d\.?|\bTID\.?)$|^[A-Za-z]{1,4}\.(?:\s?[A-Za-z]{1,2}\.)?$",
                               re.IGNORECASE)
SIGNATURE_MAX_LINES = 8
# The name ends its line, or where the rank, the staff number or the next signature block begins.
_NAME_END = re.compile(r"\s*\n|\s+(?:Pangkat|NIP|NRP|Ditetapkan|Disahkan|Diundangkan)\b|$")


def holds_signature(text: str) -> bool:
    """Does the text hold a signature block's place-and-date line ("Ditetapkan di … pada tanggal …")? A closing
    the chunker left inside the last article still says when and by whom."""
    return any(_SIGNED_AT.match(s.text) for s in split_sentences(text))


def with_signatures(text: str, sentences: Sequence[Sentence]) -> list[Sentence]:
    """``sentences`` with each signature block read as one sentence, from "Ditetapkan/Diundangkan di … pada
    tanggal …" to the signer's name: split at its line breaks, the date, the office and the name answer "who
    signed it, when" only together."""
    out: list[Sentence] = []
    i = 0
    while i < len(sentences):
        sentence = sentences[i]
        end = i + 1
        if _SIGNED_AT.match(sentence.text):
            while (end < len(sentences) and end - i < SIGNATURE_MAX_LINES
                   and _SIGNATURE_FILLER.search(sentences[end].text) and not _SIGNED_AT.match(sentences[end].text)):
                end += 1
            name = sentences[end] if end < len(sentences) else None
            # The office and the name may be one piece: "PRESIDEN REPUBLIK INDONESIA,⏎MEGAWATI SOEKARNOPUTRI".
            offset = _office_lines(name.text) if name is not None and end == i + 1 else 0
            # Or the place-and-date line ends signed itself: "… 8 Juli 2003 PRESIDEN REPUBLIK INDONESIA, ttd.", or
            # its office's comma lost to the OCR, the next line is the signer's name in capitals.
            signed = bool(_SIGNATURE_FILLER.search(sentence.text.rstrip(" |"))) or (
                name is not None and end == i + 1 and _in_capitals(name.text.split("\n")[0]))
            if name is not None and (end > i + 1 or offset or signed) and not _SIGNED_AT.match(name.text):
                cut = _NAME_END.search(name.text, offset)
                last = name.start + (cut.start() if cut else len(name.text))
                if last - sentence.start <= MAX_QUOTE_CHARS:
                    out.append(Sentence(sentence.start, last, text[sentence.start:last], sentence.city))
                    # what the name's piece carries after it (the gazette line, a NIP) stays a sentence
                    rest = text[last:name.end]
                    if rest.strip():
                        at = last + len(rest) - len(rest.lstrip())
                        out.append(Sentence(at, name.end, text[at:name.end], name.city, name.item))
                    i = end + 1
                    continue
            end = i + 1
        out.append(sentence)
        i = end
    return out


# A signer's name line: a few words, its letters capitals but for degrees and titles ("Drs. H. RUSLAN HANAFI, M.Si").
_NAME_MAX_WORDS = 8
_NAME_MIN_CAPITALS = 0.75


# Capitals that open what follows a signature block, not a name: the annex, the elucidation, the gazette.
_AFTER_SIGNATURE = re.compile(r"(?:LAMPIRAN|PENJELASAN|SALINAN|BAB|PASAL|LEMBARAN|BERITA|TAMBAHAN|NOREG)\b")


def _in_capitals(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    return (0 < len(line.split()) <= _NAME_MAX_WORDS and len(letters) >= 4 and not _AFTER_SIGNATURE.match(line)
            and sum(c.isupper() for c in letters) / len(letters) >= _NAME_MIN_CAPITALS)


def _office_lines(piece: str) -> int:
    """Where the signer's name starts in a piece whose first lines are the office and "ttd" (0: they are not)."""
    at = 0
    for line in piece.split("\n")[:-1]:
        if not _SIGNATURE_FILLER.search(line.strip()):
            break
        at += len(line) + 1
    return at


def list_items(sentence: Sentence) -> list[Sentence]:
    """A bulleted run flattened into one line ("• Perwali 31/2020: SPBE • Perwali 14/2022: …", the way PDF
    extraction leaves a table cell) as one sentence per item, each keeping the cell's city: quoted whole, a
    run cites instruments the question did not ask about, and a clipped window starts mid-item."""
    if not _BULLET.search(sentence.text):
        return [sentence]
    return _pieces(sentence.text, _BULLET, sentence.start, sentence.city, item=True)


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
    start = sentence.start + lo + lead
    return Sentence(start, start + len(body), body, sentence.city, sentence.item, sentence.listed)


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
        acronyms=written_in(sentence.text, passage.acronyms),
    )
