"""When a question's word is in a text: as itself, as another affixed form of its root, by its first letters,
or as a glossary translation ("work" → "kerja" → "bekerja"); and how much each word counts (its rarity).
Retrieval's query expansion (``vectorstore.lexical.expand_query``) reads words by the same root
(:func:`vectorstore.stemming.stem`), translations and misreadings; only the first-letters match is the engine's
alone (why: at ``_PREFIX``)."""

from __future__ import annotations

import math
import re
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


# A span of years ("the 2025-2029 RPJMD") names one period: the index reads it whole and year by year.
_YEAR_RANGE = re.compile(r"((?:19|20)\d\d)-((?:19|20)\d\d)")
_LONE_YEAR = re.compile(r"(?<![\d\-–—/])((?:19|20)\d\d)(?![\d\-–—/])")


def question_terms(question: str, cities: Sequence[Region] = ()) -> list[str]:
    """The words an answer sentence should share with the question (city names and filler removed); a span of
    years counts once, as itself, not again as each of its years (unless the question also asks a year alone):
    as three words of the highest rarity it outweighed every other word the question asks."""
    city_words = {t for r in cities for t in tokenize(r.name)}
    terms = [t for t in content_terms(question) if t not in _GENERIC and t not in city_words]
    spanned = {y for t in terms if (span := _YEAR_RANGE.fullmatch(t)) for y in span.groups()}
    return [t for t in terms if t not in spanned or t in _LONE_YEAR.findall(question)]


# The answer engine also matches a word by its first five letters, a crude cognate root ("evaluate" →
# "evaluasi", "provincial" → "provinsi": loanwords keep their stem's spelling, which neither stemmer nor the
# glossary's cognate rules reach). Retrieval does not: expanding the lexical query by it (English roots beside
# it) lost unanswerable refusals (tuning 0.71 → 0.67, test 0.82 → 0.71), and dropping it here lost key facts on
# every one of five tries (README, "Tried and not kept"). Only a longer word has a root to guess: a word of five
# letters is its own first five, so it would match every word it begins ("organ" in "organisasi").
_PREFIX = 5
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Words:
    """The words of a text as :func:`term_in` matches them: its tokens, their roots
    (:func:`~vectorstore.stemming.stem`) and their first five letters."""

    tokens: frozenset[str]
    prefixes: frozenset[str]
    roots: frozenset[str]

    @classmethod
    def of(cls, text: str) -> Words:
        tokens = frozenset(tokenize(text))
        return cls(tokens, frozenset(t[:_PREFIX] for t in tokens if len(t) >= _PREFIX),
                   frozenset(map(stem, tokens)))

    def with_text(self, text: str) -> Words:
        """These words and those of ``text`` (a sentence read with its chapter's title)."""
        other = Words.of(text)
        return Words(self.tokens | other.tokens, self.prefixes | other.prefixes, self.roots | other.roots)

    def has(self, word: str) -> bool:
        return word in self.tokens or stem(word) in self.roots

    def has_prefix(self, word: str) -> bool:
        return len(word) > _PREFIX and word[:_PREFIX] in self.prefixes


def term_in(term: str, words: Words) -> bool:
    """A question term is in a text as itself, by its root or first letters, or as a translation in any
    affixed form ("work" → "kerja" → "bekerja")."""
    if words.has(term) or words.has_prefix(term):
        return True
    alternatives = translations(term)
    if any(all(words.has(part) for part in alt.split()) for alt in alternatives):
        return True
    # A scan's word misread by one look-alike glyph ("dibehankan") is the asked word, as the index reads it.
    return any(words.has(misread) for alt in (term, *alternatives) if " " not in alt for misread in misreadings(alt))


def word_at(text: str, terms: Sequence[str]) -> int | None:
    """Where in ``text`` the first of ``terms`` that it holds begins, matched as :func:`term_in` matches a word
    by itself (as written, by its root or by its first letters)."""
    lowered = text.lower()
    found = [(m.start(), m.group()) for m in _WORD.finditer(lowered)]
    for term in terms:
        at = lowered.find(term)
        if at < 0:
            root, prefix = stem(term), term[:_PREFIX] if len(term) > _PREFIX else None
            at = next((start for start, word in found
                       if stem(word) == root or (prefix is not None and word.startswith(prefix))), -1)
        if at >= 0:
            return at
    return None


def agreement(terms: Sequence[str], text: str | Words, weights: Mapping[str, float] | None = None) -> float:
    """Share of question terms found in ``text`` (:func:`term_in`; its words when already read), each term
    counted by its ``weights`` (all alike without)."""
    if not terms:
        return 0.0
    words = text if isinstance(text, Words) else Words.of(text)

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


