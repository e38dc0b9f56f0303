"""The extractive engine: answers made of verbatim sentences from the best evidence, each cited.

Offline and deterministic: sentences are scored by query-term overlap (with the English–Indonesian
glossary of ``vectorstore.glossary`` and shared word stems, so an English question can pick an Indonesian
sentence), identifier matches and the rank of their passage. No model is called per sentence, so it stays fast.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from api.engine.citations import MIN_SENTENCE_CHARS, Sentence, clip, make_citation, split_sentences
from api.engine.injection import looks_like_instruction
from api.engine.tables import table_cells
from core.types import (
    Answer,
    AnswerSentence,
    Citation,
    CityAnswer,
    NearestDocument,
    PageSpan,
    Passage,
    Region,
    SearchFilters,
    SearchHit,
)
from vectorstore.glossary import translations
from vectorstore.hybrid import HybridRetriever, content_terms, query_identifiers
from vectorstore.lexical import tokenize

# Calibrated on the devset (tests/devset/questions.jsonl, see api/evaluation.py): below both, the best
# passage is only topically near the question, not an answer to it.
MIN_DENSE = 0.80
MIN_AGREEMENT = 0.5
EVIDENCE_PASSAGES = 4
SENTENCES_SINGLE = 3
SENTENCES_PER_CITY = 2
HEADING_PENALTY = 0.5
HEADING_MAX_WORDS = 14
_CLOSED = re.compile(r"[.!?:;][\"'”’)\]]*$")

# Words that every question about a city carries and that say nothing about what is asked.
_GENERIC = frozenset(
    (
        "city", "kota", "kabupaten", "regency", "pemkot", "pemkab", "government", "pemerintah", "regional",
        "daerah", "local", "what", "which", "does", "apa", "bagaimana", "mengapa", "kenapa", "how", "many", "much",
        "regulate", "regulates", "mengatur", "diatur", "say", "says", "said", "tell", "about", "compare",
        "bandingkan", "between", "antara", "kedua", "both", "is", "are", "there", "ada",
    )
)
_STEM = 5


@dataclass
class Evidence:
    """The hits gathered for one group of the answer: a city, or the whole corpus (``region`` None)."""

    region: Region | None
    hits: list[SearchHit]
    covered: bool = False
    sentences: list[tuple[float, SearchHit, Sentence]] = field(default_factory=list)


def question_terms(question: str, cities: Sequence[Region] = ()) -> list[str]:
    """The words an answer sentence should share with the question (city names and filler removed)."""
    city_words = {t for r in cities for t in tokenize(r.name)}
    return [t for t in content_terms(question) if t not in _GENERIC and t not in city_words]


def term_in(term: str, tokens: set[str], stems: set[str]) -> bool:
    if term in tokens:
        return True
    if len(term) >= _STEM and term[:_STEM] in stems:
        return True
    return any(all(word in tokens for word in alt.split()) for alt in translations(term))


def agreement(terms: Sequence[str], text: str) -> float:
    """Share of question terms found in ``text`` (exactly, by stem, or via the glossary)."""
    if not terms:
        return 0.0
    tokens = set(tokenize(text))
    stems = {t[:_STEM] for t in tokens if len(t) >= _STEM}
    return sum(term_in(t, tokens, stems) for t in terms) / len(terms)


def is_covered(hits: Sequence[SearchHit], terms: Sequence[str], question: str) -> bool:
    """Enough evidence: the best passages are close in meaning *and* share the question's words, or one
    of them carries an identifier the question names exactly."""
    if not hits:
        return False
    top = hits[:EVIDENCE_PASSAGES]
    idents = query_identifiers(question)
    if idents.tokens and any(_has_identifier(h, idents.tokens) for h in top):
        return True
    dense = max((h.dense_score or 0.0) for h in top)
    agree = max(agreement(terms, h.passage.text) for h in top)
    return dense >= MIN_DENSE and agree >= MIN_AGREEMENT


def _has_identifier(hit: SearchHit, tokens: Sequence[str]) -> bool:
    found = set(tokenize(f"{hit.passage.section}\n{hit.passage.text}"))
    return any(t in found for t in tokens)


def candidate_sentences(passage: Passage, regions: Sequence[Region] = ()) -> list[Sentence]:
    """The passage's sentences, a table row's cells taken one by one (see ``api.engine.tables``)."""
    text = passage.text
    return [cell for sentence in split_sentences(text) for cell in table_cells(text, sentence, regions)]


def score_sentences(
    hits: Sequence[SearchHit], terms: Sequence[str], question: str, regions: Sequence[Region] = ()
) -> list[tuple[float, SearchHit, Sentence]]:
    """Candidate sentences of the top passages, best first (score, hit, sentence)."""
    idents = query_identifiers(question)
    scored: list[tuple[float, SearchHit, Sentence]] = []
    for rank, hit in enumerate(hits[:EVIDENCE_PASSAGES]):
        for sentence in candidate_sentences(hit.passage, regions):
            # Documents are untrusted: a sentence giving the assistant orders is never quoted as evidence.
            if len(sentence.text) < MIN_SENTENCE_CHARS or looks_like_instruction(sentence.text):
                continue
            overlap = agreement(terms, sentence.text)
            ident = 1.0 if idents.tokens and any(t in tokenize(sentence.text) for t in idents.tokens) else 0.0
            if overlap == 0 and not ident:
                continue
            focus = _focus(sentence, terms)
            score = overlap + ident + 0.3 / (1 + rank) - (HEADING_PENALTY if looks_like_heading(sentence.text) else 0.0)
            scored.append((score, hit, clip(sentence, focus)))
    scored.sort(key=lambda item: (-item[0], item[1].passage.passage_id, item[2].start))
    return scored


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
    scored: Sequence[tuple[float, SearchHit, Sentence]], limit: int, seen: set[str] | None = None
) -> list[tuple[SearchHit, Sentence]]:
    """The best sentences, at most two from one passage, without repeating the same text (nor any text in
    ``seen``, which is updated: a comparison does not show one sentence under two cities)."""
    chosen: list[tuple[SearchHit, Sentence]] = []
    per_passage: dict[str, int] = {}
    seen = set() if seen is None else seen
    for _, hit, sentence in scored:
        key = " ".join(sentence.text.lower().split())
        pid = hit.passage.passage_id
        if key in seen or per_passage.get(pid, 0) >= 2:
            continue
        chosen.append((hit, sentence))
        seen.add(key)
        per_passage[pid] = per_passage.get(pid, 0) + 1
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
) -> list[Evidence]:
    """Evidence per city named (in the filters or the question), or one group for the whole corpus."""
    regions = list(cities) if cities is not None else retriever.question_cities(question, filters)
    terms = question_terms(question, regions)
    if not regions:
        hits = retriever.search_cities(question, filters, k, [])
        return [Evidence(None, hits, is_covered(hits, terms, question))]
    groups = []
    for region in regions:
        hits = retriever.search_cities(question, filters, k, [region.code])
        groups.append(Evidence(region, hits, is_covered(hits, terms, question)))
    return groups


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
    groups: Sequence[Evidence], question: str, book: CitationBook, per_city: int | None = None
) -> list[CityAnswer]:
    """One cited answer per group; a group without sufficient evidence says so explicitly."""
    answers = []
    regions = [g.region for g in groups if g.region is not None]
    limit = per_city or (SENTENCES_SINGLE if len(groups) == 1 else SENTENCES_PER_CITY)
    shown: set[str] = set()
    for group in groups:
        code = group.region.code if group.region else None
        name = group.region.official if group.region else None
        scored = score_sentences(group.hits, question_terms(question, regions), question, regions)
        if group.region is not None and len(regions) > 1:
            scored = favour_city(scored, group.region, regions)
        chosen = pick(scored, limit, shown) if group.covered else []
        if not chosen:
            answers.append(CityAnswer(city=code, city_name=name, no_evidence=True))
            continue
        sentences = tuple(
            AnswerSentence(text=display(s.text), citations=(book.cite(hit, s, code),)) for hit, s in chosen
        )
        answers.append(CityAnswer(city=code, city_name=name, sentences=sentences))
    return answers


def render(answers: Sequence[CityAnswer], question: str) -> str:
    parts = []
    for answer in answers:
        if answer.no_evidence:
            body = f"The corpus holds no passage about {answer.city_name or 'this'} that answers this question."
        else:
            body = " ".join(f"{s.text} " + "".join(f"[{n}]" for n in s.citations) for s in answer.sentences)
        parts.append(f"{answer.city_name}: {body}" if answer.city_name and len(answers) > 1 else body)
    return "\n\n".join(parts)


def searched_text(question: str, filters: SearchFilters, groups: Sequence[Evidence]) -> str:
    bits = [f'Searched the corpus for "{question}"']
    names = [g.region.official for g in groups if g.region is not None]
    if names:
        bits.append("in passages about " + ", ".join(names))
    active = {k: v for k, v in filters.model_dump(exclude={"cities"}).items() if v not in (None, [], "")}
    if active:
        bits.append("with filters " + ", ".join(f"{k}={v}" for k, v in active.items()))
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
    retriever: HybridRetriever, question: str, filters: SearchFilters | None = None, k: int = 8
) -> Answer:
    filters = filters or SearchFilters()
    groups = gather(retriever, question, filters, k)
    return answer_from_evidence(retriever, question, filters, groups)


def answer_from_evidence(
    retriever: HybridRetriever, question: str, filters: SearchFilters, groups: Sequence[Evidence]
) -> Answer:
    book = CitationBook(retriever)
    answers = city_answers(groups, question, book)
    covered = any(not a.no_evidence for a in answers)
    searched = searched_text(question, filters, groups)
    if not covered:
        return Answer(
            question=question,
            text="The corpus does not cover this question: no passage found is close enough to answer it. "
            + searched,
            covered=False,
            by_city=tuple(answers) if len(answers) > 1 else (),
            searched=searched,
            nearest_documents=nearest(groups),
        )
    return Answer(
        question=question,
        text=render(answers, question),
        covered=True,
        by_city=tuple(answers),
        citations=tuple(book.citations),
        searched=searched,
        nearest_documents=nearest(groups),
    )

