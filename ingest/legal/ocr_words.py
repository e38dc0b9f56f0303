"""Words of a title block that OCR misspelt, repaired from the document's own vocabulary.

A regulation names its subject again and again: the konsiderans restates the title ("menetapkan Peraturan
Presiden tentang Tunjangan Kinerja Pegawai di Lingkungan Lembaga …"), the articles use its words. A title
word that the document never writes again, one OCR letter confusion away from a word it writes often, is
that word misread ("LEMHAGA" for LEMBAGA).
"""

from __future__ import annotations

import re
from collections import Counter

# Letters Tesseract confuses in print and handwriting: each pair is (what OCR wrote, what was there) — "k" for
# "li" ("Juk" for Juli), "o" for "a" ("Jon" for Jan), "h" for "b" ("LEMHAGA"), "rn" for "m", "c" for "e".
_CONFUSIONS = (("h", "b"), ("b", "h"), ("rn", "m"), ("m", "rn"), ("c", "e"), ("e", "c"), ("l", "i"), ("i", "l"),
               ("1", "l"), ("0", "o"), ("ii", "u"), ("u", "ii"), ("cl", "d"), ("ri", "n"), ("n", "ri"),
               ("k", "li"), ("t", "l"), ("l", "t"), ("o", "a"))
_MIN_LENGTH = 5  # shorter words have too many real neighbours ("hak" / "bak")
_MIN_USES = 3  # the word the document really uses is written at least this often
_WORD = re.compile(r"[A-Za-z01]+")


def variants(word: str) -> set[str]:
    """Each word OCR may have misread as ``word``, one confusion undone."""
    return {word[:i] + printed + word[i + len(read) :] for read, printed in _CONFUSIONS
            for i in range(len(word)) if word.startswith(read, i)}


def _cased(like: str, word: str) -> str:
    if like.isupper():
        return word.upper()
    return word.capitalize() if like[:1].isupper() else word


def repair(phrase: str, text: str) -> tuple[str, bool]:
    """``phrase`` (a subject read from ``text``) with its misread words replaced, and whether any was."""
    uses = Counter(w.lower() for w in _WORD.findall(text))
    changed = False

    def fix(m: re.Match[str]) -> str:
        nonlocal changed
        word = m.group()
        lower = word.lower()
        if len(word) < _MIN_LENGTH or uses[lower] > 1:
            return word
        known = [v for v in variants(lower) if uses[v] >= _MIN_USES]
        if len(known) != 1:
            return word
        changed = True
        return _cased(word, known[0])

    return _WORD.sub(fix, phrase), changed
