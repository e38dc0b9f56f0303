"""Acronyms a document defines ("Tenaga Kerja Asing yang selanjutnya disingkat TKA", "Anggaran Pendapatan dan
Belanja Daerah (APBD)") and what they stand for wherever the document later uses them. Indonesian regulations
define an acronym once, in Pasal 1, and write only the acronym after: an article on "tarif Retribusi Penggunaan
TKA" answers a question on the foreign-worker levy only once "TKA" is read as "Tenaga Kerja Asing".

Ingest finds the definitions (:func:`defined_acronyms`) and gives each passage the ones its text uses
(:func:`used_in`, stored as ``Passage.acronyms``); the index and the answer read a text with its acronyms'
long forms (:func:`expanded`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import lru_cache

# "… yang selanjutnya disingkat RPTKA", "… yang selanjutnya disebut Perda", "… selanjutnya disingkat dengan SKPD",
# a programme's name of two words ("Donggala Tanggap Laporan Rakyat yang selanjutnya disebut Dota Lara").
_INTRODUCED = re.compile(
    r"\b(?:yang\s+)?selanjutnya\s+(?:dapat\s+)?(?:disingkat|disebut)(?:\s+dengan)?\s+"
    r"(?P<short>[A-Z][A-Za-z]{1,11}(?:\s[A-Z][A-Za-z]{1,11})?)(?![\w-])"
)
# "Sistem Pemerintahan Berbasis Elektronik (SPBE)": two capitals at least, so "(satu)" is no acronym.
_PARENTHESISED = re.compile(r"\((?P<short>[A-Z][A-Za-z]{0,9}[A-Z][A-Za-z]{0,9})\)")
# Where a definition's long form can start: an item's number, a sentence's end, a line ("Dinas Perhubungan,
# Informatika dan Komunikasi yang selanjutnya disebut Dinas" holds a comma).
_FORM_START = re.compile(r"(?:^|\n|[.;:]\s|\b\d{1,3}\.\s|\b[a-z]\.\s)")
MAX_LONG_WORDS = 14
_JOINING = frozenset({"dan", "atau", "dan/atau", "di", "ke", "dari", "untuk", "yang", "and", "or", "of", "the", "for",
                      "in", "on"})
_SEPARATOR = ": "


def defined_acronyms(text: str) -> dict[str, str]:
    """Each acronym ``text`` defines, with its long form; the first definition holds when two differ."""
    found: dict[str, str] = {}
    for pattern in (_INTRODUCED, _PARENTHESISED):
        for match in pattern.finditer(text):
            short = match.group("short")
            long_form = _long_form(short, _words_before(text, match.start()))
            if long_form and short not in found:
                found[short] = long_form
    return found


def entries(acronyms: Mapping[str, str]) -> tuple[str, ...]:
    """Each acronym with its long form, as passages and documents keep them: "TKA: Tenaga Kerja Asing"."""
    return tuple(f"{short}{_SEPARATOR}{long_form}" for short, long_form in acronyms.items())


def used_in(text: str, acronyms: Mapping[str, str]) -> tuple[str, ...]:
    """The acronyms ``text`` writes whose long form it does not also write, as "TKA: Tenaga Kerja Asing"."""
    lowered = text.lower()
    return entries({short: long_form for short, long_form in acronyms.items()
                    if _written(short, text) and long_form.lower() not in lowered})


def named_by(text: str, acronyms: Sequence[str]) -> tuple[str, ...]:
    """The acronyms (entries) whose long form ``text`` writes: a regulation's subject "Donggala Tanggap Laporan
    Rakyat" is also named "Dota Lara"."""
    lowered = text.lower()
    return tuple(short for short, long_form in map(_split, acronyms) if long_form.lower() in lowered)


def written_in(text: str, acronyms: Sequence[str]) -> tuple[str, ...]:
    """Of a passage's acronyms ("TKA: Tenaga Kerja Asing"), those ``text`` (a sentence of it) writes."""
    return tuple(entry for entry in acronyms if _written(_split(entry)[0], text))


def expanded(text: str, acronyms: Sequence[str]) -> str:
    """``text`` followed by the long forms of the acronyms (``Passage.acronyms``) it writes."""
    longs = [_split(entry)[1] for entry in written_in(text, acronyms)]
    return "\n".join([text, *longs]) if longs else text


def _split(entry: str) -> tuple[str, str]:
    """An entry's acronym and long form: "TKA: Tenaga Kerja Asing" → ("TKA", "Tenaga Kerja Asing")."""
    short, _, long_form = entry.partition(_SEPARATOR)
    return short, long_form


def _written(short: str, text: str) -> bool:
    return _as_word(short).search(text) is not None


@lru_cache(maxsize=4096)
def _as_word(short: str) -> re.Pattern[str]:
    """``short`` as a word of its own ("TKA", not the "TKA" of "RPTKA"), compiled once: every candidate sentence
    of every answer asks it, beyond what ``re``'s own cache of 512 patterns keeps."""
    return re.compile(rf"(?<![\w-]){re.escape(short)}(?![\w-])")


def _words_before(text: str, end: int) -> str:
    """The words a definition's long form is read from: back to where its item or sentence starts."""
    window = text[max(0, end - 200) : end]
    starts = list(_FORM_START.finditer(window))
    window = window[starts[-1].end() :] if starts else window
    return " ".join(window.split()[-MAX_LONG_WORDS:])


def _long_form(short: str, words: str) -> str | None:
    """The shortest run of ``words`` ending them whose letters spell ``short`` in order, its first letter
    opening a word (Schwartz & Hearst, 2003, "A simple algorithm for identifying abbreviation definitions");
    None when there is none or it is a single word (a short name, "Dinas", not an acronym)."""
    letters = [c.lower() for c in short if c.isalnum()]
    at = len(words) - 1
    for k in range(len(letters) - 1, -1, -1):
        first = k == 0
        while at >= 0 and (words[at].lower() != letters[k] or (first and at > 0 and words[at - 1].isalnum())):
            at -= 1
        if at < 0:
            return None
        at -= 1
    long_form = words[at + 1 :].strip(" ,;:.")
    # Each word of a long form gives the acronym a letter, give or take its joining words: "KK Miskin Bobot Luas
    # Wilayah" is no "KM", a run of prose across a bracket no acronym at all.
    spelled = [w for w in long_form.split() if any(c.isalpha() for c in w) and w.lower() not in _JOINING]
    if len(long_form.split()) < 2 or len(spelled) > len(letters) + 1 or re.search(r"[()]", long_form):
        return None
    return long_form
