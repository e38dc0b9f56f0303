"""A light stemmer for Indonesian affixes (and English plurals), used to match word forms, not to index.

Indonesian builds words from one root with prefixes and suffixes ("laksana": "pelaksana", "dilaksanakan",
"pelaksanaan", "melaksanakan"), and a question rarely uses the form the regulation uses. A full stemmer
(Sastrawi) needs a root dictionary; stripping the common affixes in a fixed order is enough to put the
forms of one root in one class, and a minimum stem length keeps short words from collapsing together.
"""

from __future__ import annotations

from functools import lru_cache

MIN_STEM = 4

_PARTICLES = ("lah", "kah", "pun", "tah")
_POSSESSIVES = ("nya", "ku", "mu")
_SUFFIXES = ("kan", "an", "i")
# Longest first; each maps to what the nasal replaced ("menyusun" → "susun", "memakai" → "pakai").
_PREFIXES = (
    ("meny", "s"), ("peny", "s"), ("meng", ""), ("peng", ""), ("mem", "p"), ("pem", "p"), ("men", "t"),
    ("pen", "t"), ("ber", ""), ("per", ""), ("ter", ""), ("me", ""), ("pe", ""), ("be", ""), ("di", ""),
    ("ke", ""), ("se", ""),
)
_VOWELS = frozenset("aeiou")


def _strip_suffix(word: str, suffixes: tuple[str, ...]) -> str:
    for suffix in suffixes:
        if word.endswith(suffix) and len(word) - len(suffix) >= MIN_STEM:
            return word[: -len(suffix)]
    return word


def _strip_prefix(word: str) -> str:
    for prefix, restored in _PREFIXES:
        if not word.startswith(prefix):
            continue
        rest = word[len(prefix) :]
        # The nasal swallowed the root's first consonant only before a vowel ("menulis" → "tulis").
        if restored and rest[:1] in _VOWELS:
            rest = restored + rest
        if len(rest) >= MIN_STEM:
            return rest
    return word


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The root-like form shared by a word's affixed forms ("bertanggungjawab" → "tanggungjawab",
    "pelaksanaan" → "laksana"); English plurals lose their "s". Words with digits are left alone."""
    if len(word) <= MIN_STEM or not word.isalpha():
        return word
    root = _strip_suffix(_strip_suffix(word, _PARTICLES), _POSSESSIVES)
    root = _strip_suffix(root, _SUFFIXES)
    for _ in range(2):  # "diperlakukan", "memperbarui": two prefixes at most
        shorter = _strip_prefix(root)
        if shorter == root:
            break
        root = shorter
    if root == word and word.endswith("s") and not word.endswith("ss"):
        root = word[:-1]
    return root
