"""When a question's word is in a text: as itself, as another affixed form of its root, by its first letters,
or as a glossary translation ("work" → "kerja" → "bekerja"); and how much each word counts (its rarity).
Retrieval's query expansion (``vectorstore.lexical.expand_query``) and the answer engine read words alike."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from core.types import Region
from vectorstore.glossary import translations
from vectorstore.hybrid import HybridRetriever, content_terms
from vectorstore.lexical import misreadings, tokenize
from vectorstore.stemming import stem

# Words that every question about a city carries and that say nothing about what is asked.
_GENERIC = frozenset(
    (
        "city", "kota", "kabupaten", "regency", "pemkot", "pemkab", "government", "pemerintah", "regional",
        "daerah", "local", "what", "which", "does", "apa", "bagaimana", "mengapa", "kenapa", "how", "many", "much",
        "regulate", "regulates", "mengatur", "diatur", "say", "says", "said", "tell", "about", "compare",
        "bandingkan", "between", "antara", "kedua", "both", "is", "are", "there", "ada",
        # How a question points at a text rather than what it asks about.
        "cover", "covers", "covered", "mention", "mentions", "mentioned", "discuss", "discusses", "describe",
        "describes", "explain", "explains", "state", "states", "stated", "contain", "contains", "include",
        "includes", "under", "according", "regarding", "concerning", "related", "out", "give", "gives", "list",
        "menyebutkan", "menjelaskan", "berisi", "isi", "memuat", "menurut", "berdasarkan", "terkait", "mengenai",
        "sebutkan", "jelaskan",
        # The modal and framing words of an English question ("what fine must …", "how does … define …"): the
        # Indonesian text states the rule without them.
        "must", "may", "shall", "might", "could", "such", "once", "still", "define", "defines", "defined", "mean",
        "means", "meant", "earlier", "seberapa",
        # Phrasal verbs that frame an English question ("what does the bylaw set out", "set up under", "set aside
        # over five years", "how are X handled"): the Indonesian text states the rule without them.
        "set", "up", "aside", "over", "handled", "handle", "handles",
        # How a comparison joins its sides.
        "compared", "comparing", "dibandingkan", "membandingkan", "versus", "vs",
    )
)
_STEM = 5


def question_terms(question: str, cities: Sequence[Region] = ()) -> list[str]:
    """The words an answer sentence should share with the question (city names and filler removed)."""
    city_words = {t for r in cities for t in tokenize(r.name)}
    return [t for t in content_terms(question) if t not in _GENERIC and t not in city_words]


@dataclass(frozen=True)
class Words:
    """The words of a text as :func:`term_in` matches them: tokens, 5-letter stems and affix-free roots."""

    tokens: frozenset[str]
    stems: frozenset[str]
    roots: frozenset[str]

    @classmethod
    def of(cls, text: str) -> Words:
        tokens = frozenset(tokenize(text))
        return cls(tokens, frozenset(t[:_STEM] for t in tokens if len(t) >= _STEM), frozenset(map(stem, tokens)))

    def has(self, word: str) -> bool:
        return word in self.tokens or stem(word) in self.roots


def term_in(term: str, words: Words) -> bool:
    """A question term is in a text as itself, by stem, or as a translation in any affixed form ("work" →
    "kerja" → "bekerja")."""
    if words.has(term) or (len(term) >= _STEM and term[:_STEM] in words.stems):
        return True
    alternatives = translations(term)
    if any(all(words.has(part) for part in alt.split()) for alt in alternatives):
        return True
    # A scan's word misread by one look-alike glyph ("dibehankan") is the asked word, as the index reads it.
    return any(words.has(misread) for alt in (term, *alternatives) if " " not in alt for misread in misreadings(alt))


def agreement(terms: Sequence[str], text: str, weights: Mapping[str, float] | None = None) -> float:
    """Share of question terms found in ``text`` (:func:`term_in`), each term counted by its ``weights`` (all
    alike without)."""
    if not terms:
        return 0.0
    words = Words.of(text)

    def weight(term: str) -> float:
        return weights.get(term, 1.0) if weights else 1.0

    total = sum(weight(t) for t in terms)
    return sum(weight(t) for t in terms if term_in(t, words)) / total if total else 0.0


def term_weights(retriever: HybridRetriever, terms: Sequence[str]) -> tuple[dict[str, float], frozenset[str]]:
    """Each term's rarity in the library (BM25's idf), and the terms no passage holds in any form or
    translation."""
    lexical = retriever.library.lexical
    count = len(lexical)
    weights, unseen = {}, set()
    for term in terms:
        frequency = lexical.document_frequency(term)
        weights[term] = math.log(1 + (count - frequency + 0.5) / (frequency + 0.5))
        if frequency == 0:
            unseen.add(term)
    return weights, frozenset(unseen)


