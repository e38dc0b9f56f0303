"""The extractive engine: answers made of verbatim sentences from the best evidence, each cited.

Offline and deterministic: sentences are scored by query-term overlap (with the English–Indonesian
glossary of ``vectorstore.glossary`` and shared word stems, so an English question can pick an Indonesian
sentence), identifier matches and the rank of their passage. No model is called per sentence, so it stays fast.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from api.engine.citations import (
    MIN_SENTENCE_CHARS,
    Sentence,
    clip,
    list_items,
    make_citation,
    split_sentences,
    with_lists,
)
from api.engine.injection import looks_like_instruction
from api.engine.instruments import amendment_evidence, as_hit, city_instruments
from api.engine.tables import table_cells
from api.messages import DEFAULT_LANG, Lang, message
from core.types import (
    Answer,
    AnswerSentence,
    Citation,
    CityAnswer,
    DocumentMeta,
    NearestDocument,
    PageSpan,
    Passage,
    Region,
    SearchFilters,
    SearchHit,
)
from vectorstore.glossary import translations
from vectorstore.hybrid import HybridRetriever, QueryIdentifiers, content_terms, key_matches, query_identifiers
from vectorstore.lexical import normalise_numbers, tokenize
from vectorstore.stemming import stem

# Calibrated on the devset (tests/devset/questions.jsonl, see api/evaluation.py): below both, the best
# passage is only topically near the question, not an answer to it.
MIN_DENSE = 0.80
MIN_DENSE_UNSEEN = 0.88
MIN_AGREEMENT = 0.5
EVIDENCE_PASSAGES = 4
REGISTRY_PASSAGES = 4
SENTENCES_SINGLE = 3
SENTENCES_PER_CITY = 3
HEADING_PENALTY = 0.5
HEADING_MAX_WORDS = 14
# The chapter a sentence sits in ("BAB II KEDUDUKAN …") says what it is about, more weakly than its own words.
TITLE_WEIGHT = 0.5
# A sentence of the shape the question asks for: an amount for "how many", an instrument for "how is it
# regulated", a directive for "what does it change".
ANSWER_SHAPE_BONUS = 0.3
ASKED_ARTICLE_BONUS = 1.0
_CLOSED = re.compile(r"[.!?:;][\"'”’)\]]*$")

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
    )
)
_STEM = 5
_QUANTITY_QUESTION = re.compile(
    r"\b(?:how\s+(?:many|much|large|big|high|long|often)|what\s+(?:share|percentage|amount|number)|berapa|"
    r"jumlah|besaran|persentase)\b",
    re.IGNORECASE,
)
# An amount: money, a percentage or a scale word, or a bare count that is neither a year nor an identifier.
_QUANTITY = re.compile(
    r"(?:\b(?:IDR|Rp|USD)\.?\s?\d|\d\s?(?:%|persen\b|percent\b)|\d\s?(?:billion|million|thousand|trillion|"
    r"miliar|milyar|juta|ribu|triliun)\b|(?<![\w/.\-\[(])(?!(?:19|20)\d\d\b)\d[\d.,]*\d(?![\w/\-\])]))",
    re.IGNORECASE,
)

_REGULATORY_QUESTION = re.compile(
    r"\b(?:regulat\w*|rules?|legal\s+(?:basis|framework)|instruments?|peraturan|mengatur|diatur|regulasi|"
    r"dasar\s+hukum|payung\s+hukum)\b",
    re.IGNORECASE,
)
_AMENDMENT_QUESTION = re.compile(r"\b(?:chang\w*|amend\w*|revis\w*|diubah|mengubah|ubah|perubahan)\b",
                                 re.IGNORECASE)
# An amending regulation's directive: "Ketentuan Pasal 11 diubah", "di antara Pasal 5 dan Pasal 6 disisipkan".
_DIRECTIVE = re.compile(r"\bPasal\s+\w+.{0,80}?\b(?:diubah|disisipkan|dihapus|ditambahkan)\b", re.IGNORECASE)
# A numbered instrument once "Nomor 31 Tahun 2020" and "No. 31 of 2020" are read as "31/2020".
_INSTRUMENT_NUMBER = re.compile(r"(?<![\w/])\d[\w.\-]*(?:/[a-z][\w.\-]*)*/(?:19|20)\d{2}\b")


@dataclass(frozen=True)
class Scoring:
    """What candidate sentences are scored against, worked out once per question."""

    terms: tuple[str, ...]
    weights: Mapping[str, float]  # each term's rarity in the corpus (idf)
    unseen: frozenset[str]  # terms no passage holds in any form or translation
    identifiers: QueryIdentifiers
    titles: Mapping[str, str]  # passage id → the titles of its chapter and part
    quantity: bool  # the question asks for an amount ("how many", "berapa")
    regulatory: bool  # the question asks how something is regulated: instruments answer it
    amendment: bool  # the question asks what an amendment changes: its directives answer it


@dataclass
class Evidence:
    """The hits gathered for one group of the answer: a city, or the whole corpus (``region`` None)."""

    region: Region | None
    hits: list[SearchHit]
    covered: bool = False
    registry: list[SearchHit] = field(default_factory=list)  # passages naming the city's instruments asked about
    # The passages the answer must be read from: the article the question names, or the directives of the
    # amendment it asks about. They answer it whatever words they use, in their own order.
    focus: list[SearchHit] = field(default_factory=list)


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
    return any(all(words.has(part) for part in alt.split()) for alt in translations(term))


def agreement(terms: Sequence[str], text: str, weights: Mapping[str, float] | None = None) -> float:
    """Share of question terms found in ``text`` (:func:`term_in`), each term counted by its ``weights`` (all
    alike without)."""
    if not terms:
        return 0.0
    words = Words.of(text)
    weight = (lambda t: weights.get(t, 1.0)) if weights else (lambda t: 1.0)
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


def scoring_for(retriever: HybridRetriever, question: str, regions: Sequence[Region]) -> Scoring:
    terms = tuple(question_terms(question, regions))
    weights, unseen = term_weights(retriever, terms)
    return Scoring(
        terms=terms,
        weights=weights,
        unseen=unseen,
        identifiers=query_identifiers(question),
        titles=retriever.unit_titles(),
        quantity=bool(_QUANTITY_QUESTION.search(question)),
        regulatory=bool(_REGULATORY_QUESTION.search(question)),
        amendment=bool(_AMENDMENT_QUESTION.search(question)),
    )


def is_covered(hits: Sequence[SearchHit], scoring: Scoring) -> bool:
    """Enough evidence: the best passages are close in meaning *and* hold most of the question's words, rare
    ones counting more (:func:`term_weights`), or one of them carries an identifier the question names.
    A question using a word no passage holds ("flood" budget) may be asking about what the corpus lacks, or
    only paraphrasing: then only a passage very close in meaning answers it."""
    if not hits:
        return False
    top = hits[:EVIDENCE_PASSAGES]
    tokens = scoring.identifiers.tokens
    if tokens and any(_has_identifier(h, tokens) for h in top):
        return True
    dense = max((h.dense_score or 0.0) for h in top)
    agree = max(agreement(scoring.terms, h.passage.text, scoring.weights) for h in top)
    return dense >= (MIN_DENSE_UNSEEN if scoring.unseen else MIN_DENSE) and agree >= MIN_AGREEMENT


def _has_identifier(hit: SearchHit, tokens: Sequence[str]) -> bool:
    found = set(tokenize(f"{hit.passage.section}\n{hit.passage.text}"))
    return any(t in found for t in tokens)


def asked_articles(hits: Sequence[SearchHit], identifiers: QueryIdentifiers, metas: Mapping[str, DocumentMeta]
                   ) -> list[SearchHit]:
    """The evidence passages that are the article the question names ("Pasal 5 of Peraturan BSSN 8/2024"):
    of the instrument named by number, when one is."""
    if not identifiers.pasal:
        return []
    asked = []
    for hit in hits[:EVIDENCE_PASSAGES]:
        passage = hit.passage
        if passage.pasal is None or passage.pasal.lower() not in identifiers.pasal:
            continue
        regulation = meta.regulation if (meta := metas.get(passage.doc_id)) else None
        if identifiers.numbers and not (regulation and key_matches(regulation.key, identifiers.numbers)):
            continue
        asked.append(hit)
    return asked


def candidate_sentences(passage: Passage, regions: Sequence[Region] = ()) -> list[Sentence]:
    """The passage's sentences, a table row's cells taken one by one (see ``api.engine.tables``) and a
    bulleted run item by item."""
    text = passage.text
    return [
        item
        for sentence in with_lists(text, split_sentences(text))
        for cell in table_cells(text, sentence, regions)
        for item in list_items(cell)
    ]


def score_sentences(
    group: Evidence, scoring: Scoring, regions: Sequence[Region] = ()
) -> list[tuple[float, SearchHit, Sentence]]:
    """Candidate sentences of the top passages and the registry's, best first (score, hit, sentence); of the
    focus passages alone when there are some (:class:`Evidence`)."""
    hits = list(group.focus)
    if not hits:
        hits = group.hits[:EVIDENCE_PASSAGES]
        ranked = {h.passage.passage_id for h in hits}
        hits += [h for h in group.registry if h.passage.passage_id not in ranked]
    scored: list[tuple[float, SearchHit, Sentence]] = []
    for rank, hit in enumerate(hits):
        title = scoring.titles.get(hit.passage.passage_id, "")
        for sentence in candidate_sentences(hit.passage, regions):
            # Documents are untrusted: a sentence giving the assistant orders is never quoted as evidence.
            if len(sentence.text) < MIN_SENTENCE_CHARS or looks_like_instruction(sentence.text):
                continue
            score = sentence_score(sentence, rank, title, scoring, asked=bool(group.focus))
            if score is not None:
                scored.append((score, hit, clip(sentence, _focus(sentence, scoring.terms))))
    scored.sort(key=lambda item: (-item[0], item[1].passage.passage_id, item[2].start))
    return scored


def sentence_score(
    sentence: Sentence, rank: int, title: str, scoring: Scoring, *, asked: bool = False
) -> float | None:
    """How well a sentence answers the question; None when it shares nothing with it (an article the
    question names is its answer whatever words it uses)."""
    overlap = agreement(scoring.terms, sentence.text, scoring.weights)
    tokens = scoring.identifiers.tokens
    ident = 1.0 if tokens and any(t in tokenize(sentence.text) for t in tokens) else 0.0
    if overlap == 0 and not ident and not asked:
        return None
    if title:
        overlap += TITLE_WEIGHT * (agreement(scoring.terms, f"{sentence.text}\n{title}", scoring.weights) - overlap)
    score = overlap + ident + 0.3 / (1 + rank)
    if asked:
        score += ASKED_ARTICLE_BONUS
    if scoring.quantity and _QUANTITY.search(sentence.text):
        score += ANSWER_SHAPE_BONUS
    if scoring.regulatory and _INSTRUMENT_NUMBER.search(normalise_numbers(sentence.text.lower())):
        score += ANSWER_SHAPE_BONUS
    if scoring.amendment and _DIRECTIVE.search(sentence.text):
        score += ANSWER_SHAPE_BONUS
    if looks_like_heading(sentence.text) and not sentence.item:
        score -= HEADING_PENALTY
    return score


def looks_like_heading(text: str) -> bool:
    """A title, caption or table header ("Fluctuations in SPBE Index Scores of Balikpapan City"): short, no
    closing punctuation. It names what a passage is about but states nothing, so it is quoted only when
    nothing better shares the question's words."""
    words = text.split()
    return len(words) <= HEADING_MAX_WORDS and not _CLOSED.search(text)


def _focus(sentence: Sentence, terms: Sequence[str]) -> int | None:
    """Where in a long sentence the question's words are, so a clipped quote keeps them."""
    lowered = sentence.text.lower()
    for term in terms:
        at = lowered.find(term[:_STEM] if len(term) >= _STEM else term)
        if at >= 0:
            return sentence.start + at
    return None


def pick(
    scored: Sequence[tuple[float, SearchHit, Sentence]],
    limit: int,
    seen: set[str] | None = None,
    per_passage: int = 2,
) -> list[tuple[SearchHit, Sentence]]:
    """The best sentences, at most ``per_passage`` from one passage, without repeating the same text (nor any
    text in ``seen``, which is updated: a comparison does not show one sentence under two cities)."""
    chosen: list[tuple[SearchHit, Sentence]] = []
    taken: dict[str, list[Sentence]] = {}
    seen = set() if seen is None else seen
    for _, hit, sentence in scored:
        key = " ".join(sentence.text.lower().split())
        mine = taken.setdefault(hit.passage.passage_id, [])
        # A list item is not quoted again beside the list that holds it.
        overlaps = any(s.start < sentence.end and sentence.start < s.end for s in mine)
        if key in seen or len(mine) >= per_passage or overlaps:
            continue
        chosen.append((hit, sentence))
        seen.add(key)
        mine.append(sentence)
        if len(chosen) == limit:
            break
    return chosen


class CitationBook:
    """Numbers citations in order of first use and reuses a number for the same quote."""

    def __init__(self, retriever: HybridRetriever) -> None:
        self.metas = retriever.documents()
        self._catalog = retriever.library.catalog
        self._pages: dict[str, tuple[PageSpan, ...]] = {}
        self.citations: list[Citation] = []
        self._by_span: dict[tuple[str, int, int, str | None], int] = {}

    def pages(self, passage: Passage) -> tuple[PageSpan, ...]:
        """The document's page layout, read only for passages that span pages."""
        if passage.page_end == passage.page_start:
            return ()
        if passage.doc_id not in self._pages:
            clean = self._catalog.get_clean(passage.doc_id)
            self._pages[passage.doc_id] = clean.pages if clean is not None else ()
        return self._pages[passage.doc_id]

    def cite(self, hit: SearchHit, sentence: Sentence, city: str | None) -> int:
        passage = hit.passage
        span = (passage.passage_id, sentence.start, sentence.end, city)
        if span not in self._by_span:
            marker = len(self.citations) + 1
            meta = self.metas.get(passage.doc_id)
            self.citations.append(make_citation(marker, passage, meta, sentence, self.pages(passage), city))
            self._by_span[span] = marker
        return self._by_span[span]


def display(text: str) -> str:
    return " ".join(text.split())


def gather(
    retriever: HybridRetriever, question: str, filters: SearchFilters, k: int, cities: Sequence[Region] | None = None
) -> tuple[list[Evidence], Scoring]:
    """Evidence per city named (in the filters or the question), or one group for the whole corpus, and how
    its sentences are to be scored."""
    regions = list(cities) if cities is not None else retriever.question_cities(question, filters)
    scoring = scoring_for(retriever, question, regions)
    metas = retriever.documents()
    # The directives of an amendment the question names are the same whatever city is asked about.
    directives = amendment_evidence(retriever, scoring.identifiers) if scoring.amendment else []
    groups = []
    targets: list[Region | None] = [*regions] or [None]
    for region in targets:
        hits = retriever.search_cities(question, filters, k, [region.code] if region else [])
        focus = asked_articles(hits, scoring.identifiers, metas) or directives
        registry = registry_evidence(retriever, region, scoring) if region and scoring.regulatory else []
        covered = bool(registry or focus) or is_covered(hits, scoring)
        groups.append(Evidence(region, hits, covered, registry, focus))
    return groups, scoring


def registry_evidence(retriever: HybridRetriever, region: Region, scoring: Scoring) -> list[SearchHit]:
    """For "how does the city regulate X": a passage naming each of the city's instruments whose subject is X
    (from the registry; a table of regulations often ranks below the prose about them)."""
    found: dict[str, SearchHit] = {}
    for instrument in city_instruments(retriever, region.code):
        subject = instrument.ref.subject
        if not subject or not instrument.passages:
            continue
        if agreement(scoring.terms, subject, scoring.weights) >= MIN_AGREEMENT:
            passage = instrument.passages[0]
            found.setdefault(passage.passage_id, as_hit(retriever, passage))
    return list(found.values())[:REGISTRY_PASSAGES]


CITY_WEIGHT = 1.0


def favour_city(
    scored: Sequence[tuple[float, SearchHit, Sentence]], region: Region, others: Sequence[Region]
) -> list[tuple[float, SearchHit, Sentence]]:
    """In a comparison, a sentence naming this city says more about it than one naming only the others
    (a two-city passage is evidence for both, but its sentences rarely are)."""
    own = region.name.lower()
    rival_regions = [r for r in others if r.code != region.code]
    rivals = [r.name.lower() for r in rival_regions]
    rescored = []
    for score, hit, sentence in scored:
        lowered = sentence.text.lower()
        if sentence.city is not None:  # a table cell speaks for its column's city
            mine, theirs = sentence.city == region.code, any(sentence.city == r.code for r in rival_regions)
        else:
            mine, theirs = own in lowered, any(name in lowered for name in rivals)
        if mine != theirs:
            score += CITY_WEIGHT if mine else -CITY_WEIGHT
        elif mine:
            score += CITY_WEIGHT / 4
        rescored.append((score, hit, sentence))
    rescored.sort(key=lambda item: (-item[0], item[1].passage.passage_id, item[2].start))
    return rescored


def city_answers(
    groups: Sequence[Evidence], scoring: Scoring, book: CitationBook, per_city: int | None = None
) -> list[CityAnswer]:
    """One cited answer per group; a group without sufficient evidence says so explicitly."""
    answers = []
    regions = [g.region for g in groups if g.region is not None]
    limit = per_city or (SENTENCES_SINGLE if len(groups) == 1 else SENTENCES_PER_CITY)
    shown: set[str] = set()
    for group in groups:
        code = group.region.code if group.region else None
        name = group.region.official if group.region else None
        scored = score_sentences(group, scoring, regions)
        if group.region is not None and len(regions) > 1:
            scored = favour_city(scored, group.region, regions)
        chosen = pick(scored, limit, shown, per_passage=limit if group.focus else 2) if group.covered else []
        if group.focus:  # an article reads in its own order: ayat (1) before ayat (2)
            chosen.sort(key=lambda item: (item[0].passage.index, item[1].start))
        if not chosen:
            answers.append(CityAnswer(city=code, city_name=name, no_evidence=True))
            continue
        sentences = tuple(
            AnswerSentence(text=display(s.text), citations=(book.cite(hit, s, code),)) for hit, s in chosen
        )
        answers.append(CityAnswer(city=code, city_name=name, sentences=sentences))
    return answers


def render(answers: Sequence[CityAnswer], question: str, lang: Lang = DEFAULT_LANG) -> str:
    parts = []
    for answer in answers:
        if answer.no_evidence:
            body = message("answer.city_no_passage", lang, city=answer.city_name or message("answer.this_city", lang))
        else:
            body = " ".join(f"{s.text} " + "".join(f"[{n}]" for n in s.citations) for s in answer.sentences)
        parts.append(f"{answer.city_name}: {body}" if answer.city_name and len(answers) > 1 else body)
    return "\n\n".join(parts)


def searched_text(
    question: str, filters: SearchFilters, groups: Sequence[Evidence], lang: Lang = DEFAULT_LANG
) -> str:
    bits = [message("searched.query", lang, question=question)]
    names = [g.region.official for g in groups if g.region is not None]
    if names:
        bits.append(message("searched.cities", lang, cities=", ".join(names)))
    active = {k: v for k, v in filters.model_dump(exclude={"cities"}).items() if v not in (None, [], "")}
    if active:
        bits.append(message("searched.filters", lang, filters=", ".join(f"{k}={v}" for k, v in active.items())))
    return " ".join(bits) + "."


def nearest(groups: Sequence[Evidence], limit: int = 3) -> tuple[NearestDocument, ...]:
    best: dict[str, NearestDocument] = {}
    for group in groups:
        for hit in group.hits:
            doc_id = hit.passage.doc_id
            score = round(hit.dense_score or 0.0, 4)
            if doc_id not in best or best[doc_id].score < score:
                best[doc_id] = NearestDocument(doc_id=doc_id, title=hit.title, score=score)
    return tuple(sorted(best.values(), key=lambda d: -d.score)[:limit])


def answer_extractive(
    retriever: HybridRetriever, question: str, filters: SearchFilters | None = None, k: int = 8,
    lang: Lang = DEFAULT_LANG,
) -> Answer:
    filters = filters or SearchFilters()
    groups, scoring = gather(retriever, question, filters, k)
    return answer_from_evidence(retriever, question, filters, groups, scoring, lang)


def answer_from_evidence(
    retriever: HybridRetriever, question: str, filters: SearchFilters, groups: Sequence[Evidence], scoring: Scoring,
    lang: Lang = DEFAULT_LANG,
) -> Answer:
    book = CitationBook(retriever)
    answers = city_answers(groups, scoring, book)
    covered = any(not a.no_evidence for a in answers)
    searched = searched_text(question, filters, groups, lang)
    if not covered:
        return Answer(
            question=question,
            text=message("answer.not_covered", lang) + " " + searched,
            covered=False,
            by_city=tuple(answers) if len(answers) > 1 else (),
            searched=searched,
            nearest_documents=nearest(groups),
        )
    return Answer(
        question=question,
        text=render(answers, question, lang),
        covered=True,
        by_city=tuple(answers),
        citations=tuple(book.citations),
        searched=searched,
        nearest_documents=nearest(groups),
    )

