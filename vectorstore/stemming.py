"""Word roots for matching word forms (not for indexing): Snowball's Indonesian stemmer (PyStemmer), plus
English plurals.

Indonesian builds words from one root with prefixes and suffixes ("laksana": "pelaksana", "dilaksanakan",
"pelaksanaan", "melaksanakan"), and a question rarely uses the form the regulation uses. Snowball's
Indonesian algorithm (Tala 2003) strips particles, possessives, the derivational prefixes and suffixes in the
order the language allows; a minimum length keeps short words from collapsing together.
"""

from __future__ import annotations

import threading
from functools import lru_cache

import Stemmer

MIN_STEM = 4

# PyStemmer's stemmer objects are not thread-safe; the API answers from a thread pool.
_local = threading.local()


def _stemmer(language: str = "indonesian") -> Stemmer.Stemmer:
    stemmers: dict[str, Stemmer.Stemmer] = _local.__dict__.setdefault("stemmers", {})
    if language not in stemmers:
        stemmers[language] = Stemmer.Stemmer(language)
    return stemmers[language]


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The root shared by a word's affixed forms ("bertanggungjawab" → "tanggungjawab", "pelaksanaan" →
    "laksana"); English plurals lose their "s". Words with digits, and roots shorter than ``MIN_STEM``, are left
    as they are."""
    if len(word) <= MIN_STEM or not word.isalpha():
        return word
    root = _stemmer().stemWord(word)
    if len(root) < MIN_STEM:
        root = word
    if root == word and word.endswith("s") and not word.endswith("ss"):
        root = word[:-1]
    return root


@lru_cache(maxsize=50_000)
def english_stem(word: str) -> str:
    """Snowball's English (Porter 2) root: how the glossary finds "planned" under "plan" and "repeals" under
    "repeal"."""
    return _stemmer("english").stemWord(word) if word.isalpha() else word
