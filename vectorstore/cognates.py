"""Indonesian spellings of an English word, by the official rules for adapting loanwords (Pedoman Umum
Pembentukan Istilah): "conservation" → "konservasi", "relaxation" → "relaksasi", "sections" → "seksi",
"technology" → "teknologi", "structure" → "struktur".

Why: most of the administrative vocabulary an English question uses reached Indonesian as such a loanword, and
the glossary cannot list them all. The spellings are candidates only: retrieval keeps those the index holds and
the answer engine those a passage holds, so a rule that misfires on a word costs nothing unless its output is a
real word of the library.
"""

from __future__ import annotations

import re
from functools import lru_cache

# Longest suffix first. Each English ending with the Indonesian endings it takes.
_SUFFIXES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("ization", ("isasi",)), ("isation", ("isasi",)), ("ation", ("asi",)), ("ction", ("ksi",)),
    ("ssion", ("si",)), ("sion", ("si",)), ("tion", ("si",)), ("graphy", ("grafi",)), ("logy", ("logi",)),
    ("ical", ("is", "ik", "ikal")), ("ics", ("ika",)), ("ity", ("itas",)), ("ive", ("if",)), ("ism", ("isme",)),
    ("ist", ("is",)), ("ary", ("er", "ari")), ("ure", ("ur",)), ("ance", ("ansi",)), ("ence", ("ensi",)),
    ("ancy", ("ansi",)), ("ency", ("ensi",)), ("ment", ("men",)), ("ic", ("ik",)),
)
# Letter by letter, in this order (PUPI's consonant and vowel adaptations).
_LETTERS: tuple[tuple[str, str], ...] = (
    (r"ph", "f"), (r"th", "t"), (r"ch", "k"), (r"ck", "k"), (r"c(?=[eiy])", "s"), (r"c", "k"), (r"qu", "kw"),
    (r"q", "k"), (r"x", "ks"), (r"y", "i"), (r"([bcdfgklmnprstvz])\1", r"\1"),
)
_WORD = re.compile(r"[a-z]{5,}")


def _singulars(word: str) -> list[str]:
    if word.endswith("ies"):
        return [word, word[:-3] + "y"]
    if word.endswith("s") and not word.endswith("ss"):
        return [word, word[:-1]]
    return [word]


def _endings(word: str) -> list[str]:
    for english, indonesian in _SUFFIXES:
        if word.endswith(english) and len(word) > len(english) + 1:
            return [word[: -len(english)] + "\0" + ending for ending in indonesian]
    if word.endswith("e"):
        return [word[:-1]]
    if word.endswith("y"):
        return [word[:-1] + "\0i"]
    return [word]


def _letters(stem: str) -> str:
    for pattern, replacement in _LETTERS:
        stem = re.sub(pattern, replacement, stem)
    return stem


@lru_cache(maxsize=4096)
def cognates(word: str) -> frozenset[str]:
    """Indonesian spellings ``word`` may have as a loanword (itself excluded); empty for short or non-Latin
    words."""
    if not _WORD.fullmatch(word):
        return frozenset()
    found: set[str] = set()
    for singular in _singulars(word):
        for marked in _endings(singular):
            stem, _, ending = marked.partition("\0")
            found.add(_letters(stem) + ending)
    return frozenset(found - {word})
