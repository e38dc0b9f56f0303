"""Evidence for a planned question: the answer's groups (one per compared instrument or region, else one), each
group's candidates from the hybrid retriever (dense + lexical, fused), re-ranked by the learned passage model,
and the learned gate's verdict on whether they answer the question.

Used by ``POST /search`` (the re-ranked hits), the extractive engine and the comparison alike.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field

from api.engine.features import GATE_PASSAGES, Terms, gate_features, passage_features
from api.engine.issuers import issued_by
from api.engine.learned import AnsweringModels, load_models
from api.engine.matching import Words, agreement, question_terms, term_in, term_weights
from api.engine.plan import NamedInstrument, QueryPlan, identity_asked
from api.engine.sentences import stated_sentence
from core.acronyms import expanded
from core.legal_patterns import cited_articles
from core.settings import AnswerSettings
from core.types import IDENTITY_ROLES, Passage, PassageRole, Region, RegulationRef, SearchFilters, SearchHit
from vectorstore.hybrid import HybridRetriever


@dataclass(frozen=True)
class Group:
    """One part of an answer: a region, a named instrument, or the whole corpus."""

    region: Region | None = None
    instrument: NamedInstrument | None = None
    filters: SearchFilters = field(default_factory=SearchFilters)
    side: str = ""  # a region beside a named instrument: what the question asks of it

    @property
    def asked(self) -> str:
        """What the question asks of this side alone; "" when it does not ask its sides apart."""
        return self.instrument.asked if self.instrument is not None else self.side

    @property
    def code(self) -> str | None:
        """The region code passages are evidence for. A province's group is its own documents instead: passages
        are evidence for the cities they name, and a Pergub names none."""
        return self.region.code if self.region is not None and self.region.kind != "provinsi" else None

    @property
    def name(self) -> str | None:
        if self.region is not None:
            return self.region.official
        return self.instrument.label if self.instrument is not None else None


@dataclass(frozen=True)
class Ranked:
    """A group's candidates, best first, with the passage model's probability that each holds the answer."""

    group: Group
    hits: tuple[SearchHit, ...]
    probs: tuple[float, ...]
    coverages: tuple[float, ...]
    answerable: float  # the gate's probability that these passages answer the question


def plan_groups(plan: QueryPlan, filters: SearchFilters) -> list[Group]:
    """A comparison of named instruments gets a group (and an evidence quota) per instrument, one of regions a
    group per region; a single named instrument restricts the one group to its documents, and each region
    asked about beside it (:attr:`QueryPlan.beside`) is a group of its own."""
    found = plan.found_instruments
    if len(found) >= 2:
        return [Group(instrument=i, filters=with_docs(filters, i.doc_ids)) for i in found]
    if len(plan.regions) >= 2 and not found:
        return [Group(region=r, filters=filters) for r in plan.regions]
    if found:
        return [Group(instrument=found[0], filters=with_docs(filters, found[0].doc_ids)),
                *(Group(region=side.region, filters=filters, side=side.asked) for side in plan.beside)]
    region = plan.regions[0] if plan.regions else None
    return [Group(region=region, filters=with_docs(filters, plan.scope) if plan.scope else filters)]


def identity_unasked(hit: SearchHit, plan: QueryPlan) -> bool:
    """A title block, closing or list of legal bases names an instrument: evidence only when the question asks
    about the instrument itself (its title, date, signer) or, for the legal bases, what it rests on
    (:func:`identity_asked`)."""
    return hit.passage.role in IDENTITY_ROLES and not identity_asked(hit.passage.role, plan)


def ranked_last(hit: SearchHit, plan: QueryPlan) -> bool:
    """Passages that answer only another kind of question go below the rest: those naming the instrument
    (:func:`identity_unasked`), and its considering clauses unless the question asks why it was made or what it
    rests on (they restate its subject, so they hold a question's words without answering it)."""
    if identity_unasked(hit, plan):
        return True
    return hit.passage.role == PassageRole.KONSIDERANS and not plan.reason


def province_documents(retriever: HybridRetriever, province: Region) -> list[str]:
    """The documents a province issued, or that no region issued and are about it (:func:`issued_by`)."""
    return [doc_id for doc_id, meta in retriever.documents().items() if issued_by(meta, province)]


def with_docs(filters: SearchFilters, doc_ids: Sequence[str]) -> SearchFilters:
    # A document filter the caller set still applies: the instrument's documents within it.
    kept = [d for d in doc_ids if not filters.doc_ids or d in filters.doc_ids] or list(doc_ids)
    return filters.model_copy(update={"doc_ids": kept})


def question_terms_of(retriever: HybridRetriever, plan: QueryPlan) -> Terms:
    terms = tuple(question_terms(plan.content, plan.regions))
    weights, unseen = term_weights(retriever, terms)
    # An English plural of a word the texts hold only in the singular (Indonesian does not inflect): "SOPs".
    singular = {t: t[:-1] for t in unseen if len(t) > 3 and t.endswith("s") and t[:-1] not in terms
                and not term_weights(retriever, [t[:-1]])[1]}
    if singular:
        terms = tuple(singular.get(t, t) for t in terms)
        weights, unseen = term_weights(retriever, terms)
    return Terms(terms, weights, unseen)


# A side's own clause with fewer content words than this is elliptical: it is judged on the whole question.
MIN_SIDE_TERMS = 2


def group_terms(retriever: HybridRetriever, terms: Terms, group: Group, groups: Sequence[Group]) -> Terms:
    """The question's words a group's evidence is judged on: in a comparison of named instruments, the words
    of a rival's title ("… dengan Perbup Pinrang 2/2019 tentang remunerasi RSU Lasinrang") are the rival's to
    hold, not this side's."""
    rivals = [g for g in groups if g is not group and g.instrument is not None]
    if group.instrument is not None:
        terms = within_instrument(retriever, terms, group.instrument.doc_ids)
    if group.asked and len(groups) > 1:
        # Asked apart ("… by which bodies, and under BAN-PT 9/2020 when …"), a side is judged on its own clause,
        # unless that clause leans on the other's words ("and which in Perbup 3/2015?").
        own_clause = set(question_terms(group.asked))
        own_clause |= {w[:-1] for w in own_clause if w.endswith("s")}  # as read: "SOPs" as "sop" (question_terms_of)
        asked = tuple(t for t in terms.terms if t in own_clause)
        if len(asked) >= MIN_SIDE_TERMS:
            terms = Terms(asked, terms.weights, terms.unseen & frozenset(asked))
    if group.instrument is None or not rivals:
        return terms
    own = [_instrument_words(retriever, group.instrument)]
    theirs = [_instrument_words(retriever, g.instrument) for g in rivals]
    # A word of the rival's text that this side's text never uses asks about the rival ("… insentif karyawan
    # menurut Perbup Pinrang"): this side is not judged on it.
    kept = tuple(t for t in terms.terms
                 if any(term_in(t, w) for w in own) or not any(term_in(t, w) for w in theirs))
    return Terms(kept, terms.weights, terms.unseen) if kept else terms


def within_instrument(retriever: HybridRetriever, terms: Terms, doc_ids: Sequence[str]) -> Terms:
    """``terms`` weighed for a search inside an instrument's documents: a word most of its passages hold (the
    university a statute is of, "Haluoleo") tells its passages apart as little as it tells the library's."""
    cache: dict[tuple[str, ...], list[Words]] = retriever.derived("instrument passage words", dict)
    key = tuple(doc_ids)
    if key not in cache:
        if len(cache) >= WORDS_CACHED:  # a long-running API asks about ever more instruments: memory stays flat
            cache.clear()
        cache[key] = [Words.of(expanded(p.text, p.acronyms)) for d in doc_ids for p in retriever.passages_of(d)]
    words = cache[key]
    if not words:
        return terms
    weights = dict(terms.weights)
    for term in terms.terms:
        share = sum(term_in(term, w) for w in words) / len(words)
        weights[term] = weights.get(term, 1.0) * (1.0 - share * LOCAL_SHARE)
    return Terms(terms.terms, weights, terms.unseen)


# Instruments whose passages' words are kept between questions.
WORDS_CACHED = 64
# How much a word's share of an instrument's passages takes from its weight there (1: a word in every passage
# weighs nothing).
LOCAL_SHARE = 0.9


def _instrument_words(retriever: HybridRetriever, instrument: NamedInstrument | None) -> Words:
    """The words of an instrument's documents, title and text, as :func:`term_in` matches them."""
    doc_ids = instrument.doc_ids if instrument else ()
    cache: dict[tuple[str, ...], Words] = retriever.derived("instrument_words", dict)
    if doc_ids not in cache:
        titles = " ".join(f"{r.label} {r.subject or ''}" for r in _regulations(retriever, doc_ids))
        text = " ".join(expanded(p.text, p.acronyms) for d in doc_ids for p in retriever.passages_of(d))
        cache[doc_ids] = Words.of(f"{titles}\n{text}")
    return cache[doc_ids]


@dataclass(frozen=True)
class Candidates:
    """A group's fused candidates in fused order, with the passage model's features for each."""

    group: Group
    hits: tuple[SearchHit, ...]
    rows: tuple[list[float], ...]
    coverages: tuple[float, ...]


def candidates(
    retriever: HybridRetriever, plan: QueryPlan, group: Group, terms: Terms, settings: AnswerSettings
) -> Candidates:
    # Inside a named instrument's documents its name matches only its title block and closing: search the rest.
    query = (group.asked or plan.content) if group.instrument is not None or group.side else (
        plan.content if plan.scope else plan.question)
    cities = [group.code] if group.code and not group.filters.doc_ids else []
    filters = group.filters
    if group.region is not None and group.region.kind == "provinsi" and not filters.doc_ids:
        # A province with no document of its own in the library: its name alone is what there is to go on.
        own = province_documents(retriever, group.region)
        filters = filters.model_copy(update={"doc_ids": own}) if own else filters
    hits = retriever.search_cities(query, filters, settings.candidates, cities)
    hits = [*hits, *citing(retriever, hits, filters, cities)]
    titles = retriever.unit_titles()
    best_dense = max((h.dense_score or 0.0 for h in hits), default=0.0)
    best_lexical = max((h.lexical_score or 0.0 for h in hits), default=0.0)
    rows, coverages = [], []
    for rank, hit in enumerate(hits):
        coverage = agreement(terms.terms, expanded(hit.passage.text, hit.passage.acronyms), terms.weights)
        # What heads the passage: its chapter titles, and for a plan table's rows the caption and column headings.
        title = "\n".join(t for t in (titles.get(hit.passage.passage_id, ""), hit.passage.context,
                                      cited_text(retriever, hit.passage)) if t)
        with_titles = agreement(terms.terms, f"{hit.passage.text}\n{title}", terms.weights) if title else coverage
        rows.append(passage_features(hit, rank, plan, terms, coverage, with_titles, best_dense, best_lexical))
        coverages.append(coverage)
    return Candidates(group, tuple(hits), tuple(rows), tuple(coverages))


# The best candidates whose citing articles join them: a penal article ("Setiap orang yang melanggar ketentuan
# pasal 2, 3, 4 dan 6 diancam pidana …") states nothing of what it punishes but the articles' numbers.
CITED_FROM = 8


@dataclass(frozen=True)
class ArticleCitations:
    """Which articles of a document cite which (built once per store generation)."""

    cites: Mapping[str, frozenset[str]]  # passage id → article numbers it cites, its own excepted
    cited_by: Mapping[tuple[str, str], tuple[Passage, ...]]  # (doc id, article) → the articles citing it
    articles: Mapping[tuple[str, str], tuple[Passage, ...]]  # (doc id, article) → its passages


# Documents whose article citations are kept between questions: a question reads those of its candidates' documents.
CITATIONS_CACHED = 512


def article_citations(retriever: HybridRetriever, doc_id: str) -> ArticleCitations:
    """Which articles of a document cite which, read from its passages once (until the store changes or
    :data:`CITATIONS_CACHED` other documents were read)."""
    cache: dict[str, ArticleCitations] = retriever.derived("article citations", dict)
    if doc_id not in cache:
        if len(cache) >= CITATIONS_CACHED:
            cache.clear()
        cache[doc_id] = _citations_of(doc_id, retriever.passages_of(doc_id))
    return cache[doc_id]


def _citations_of(doc_id: str, passages: Sequence[Passage]) -> ArticleCitations:
    cites: dict[str, frozenset[str]] = {}
    cited_by: dict[tuple[str, str], list[Passage]] = defaultdict(list)
    articles: dict[tuple[str, str], list[Passage]] = defaultdict(list)
    for passage in passages:
        own = (passage.pasal or "").lower()
        if own:
            articles[(doc_id, own)].append(passage)
        cited = cited_articles(passage.text) - {own}
        if cited:
            cites[passage.passage_id] = cited
            if own:
                for number in cited:
                    cited_by[(doc_id, number)].append(passage)
    return ArticleCitations(cites, {k: tuple(v) for k, v in cited_by.items()},
                            {k: tuple(v) for k, v in articles.items()})


def citing(
    retriever: HybridRetriever, hits: Sequence[SearchHit], filters: SearchFilters, cities: Sequence[str]
) -> list[SearchHit]:
    """The articles of the best candidates' documents that cite one of them, are not candidates yet, and pass the
    search's filters ("Pasal 12 of Perwali 24/2019" is that article alone)."""
    seen = {h.passage.passage_id for h in hits}
    # The filters' passages (None: every passage), worked out only once a citing article is found.
    allowed: AbstractSet[str] | None = None
    asked = False
    found: list[SearchHit] = []
    for hit in hits[:CITED_FROM]:
        index = article_citations(retriever, hit.passage.doc_id)
        for passage in index.cited_by.get((hit.passage.doc_id, (hit.passage.pasal or "").lower()), ()):
            if passage.passage_id in seen:
                continue
            if not asked:
                allowed, asked = retriever.allowed(filters, cities), True
            if allowed is None or passage.passage_id in allowed:
                seen.add(passage.passage_id)
                found.append(hit.model_copy(update={"passage": passage, "score": 0.0, "dense_score": None,
                                                    "lexical_score": None, "highlights": ()}))
    return found


def cited_text(retriever: HybridRetriever, passage: Passage) -> str:
    """The text of the articles of its own document a passage cites: what it refers to is part of what it says."""
    index = article_citations(retriever, passage.doc_id)
    return "\n".join(p.text for number in sorted(index.cites.get(passage.passage_id, ()))
                     for p in index.articles.get((passage.doc_id, number), ()))


def gate_rows(
    probs: Sequence[float], hits: Sequence[SearchHit], coverages: Sequence[float], plan: QueryPlan, terms: Terms,
    sentence: Callable[[Sequence[float]], float], described: Words | None = None,
) -> list[list[float]]:
    """The gate's features for the question as a whole, then for each part of a compound topic ("pengelolaan
    sampah dan air bersih": a side that answers one part answers its share of the question). The gate's verdict
    is the best of them, in answering and in choosing the gate's threshold alike (``scripts/train_answering.py``).
    ``sentence``: the sentence model's probability, for whether the passages state the answer."""
    def stated(part: Terms) -> tuple[float, str]:
        return stated_sentence(hits[:GATE_PASSAGES], probs[:GATE_PASSAGES], plan, part, sentence)

    rows = [gate_features(probs, hits, coverages, plan, terms, *stated(terms))]
    for part in topic_parts(plan, terms, described):
        covered = tuple(agreement(part.terms, h.passage.text, part.weights) for h in hits)
        rows.append(gate_features(probs, hits, covered, plan, part, *stated(part)))
    return rows


def rank_candidates(
    found: Candidates, plan: QueryPlan, terms: Terms, models: AnsweringModels, described: Words | None = None,
    judge: bool = True,
) -> Ranked:
    """The candidates re-ranked by the passage model, and the gate's verdict on the best of them (0 without
    ``judge``: a search lists evidence and answers nothing)."""
    if not found.hits:
        return Ranked(found.group, (), (), (), 0.0)
    demoted = [ranked_last(h, plan) for h in found.hits]
    scored = sorted(
        ((models.passage.probability(row), rank) for rank, row in enumerate(found.rows)),
        key=lambda item: (demoted[item[1]], -item[0], item[1]),
    )
    probs = tuple(p for p, _ in scored)
    hits = tuple(found.hits[i].model_copy(update={"score": round(p, 6)}) for p, i in scored)
    coverages = tuple(found.coverages[i] for _, i in scored)
    if not judge:
        return Ranked(found.group, hits, probs, coverages, 0.0)
    rows = gate_rows(probs, hits, coverages, plan, terms, models.sentence.probability, described)
    return Ranked(found.group, hits, probs, coverages, max(models.gate.probability(row) for row in rows))


_CONJUNCTION = re.compile(r"\s*(?:[,;&]|\b(?:dan|serta|and)\b)\s*", re.IGNORECASE)


def topic_parts(plan: QueryPlan, terms: Terms, described: Words | None = None) -> list[Terms]:
    """The parts of a compound topic ("waste and clean water"), each as the question's words it holds; none
    when the question is not one. ``described``: the subjects of the instruments a comparison names, whose
    words describe an instrument ("UU 13/2003 and PermenPANRB 14/2017 on satisfaction surveys") rather than
    ask about it, so they make no part."""
    pieces = [set(question_terms(piece, plan.regions)) for piece in _CONJUNCTION.split(plan.content)]
    parts = [tuple(t for t in terms.terms if t in piece) for piece in pieces]
    parts = [part for part in parts if part and not (described and all(term_in(t, described) for t in part))]
    if len(parts) < 2:
        return []
    return [Terms(part, terms.weights, terms.unseen & frozenset(part)) for part in parts]


def rank_group(
    retriever: HybridRetriever,
    plan: QueryPlan,
    group: Group,
    terms: Terms,
    settings: AnswerSettings,
    models: AnsweringModels | None = None,
    judge: bool = True,
) -> Ranked:
    found = candidates(retriever, plan, group, terms, settings)
    return rank_candidates(found, plan, terms, models or load_models(settings.model_path),
                           described_words(retriever, plan), judge)


def described_words(retriever: HybridRetriever, plan: QueryPlan) -> Words | None:
    """In a comparison of named instruments, the words of their subjects (:func:`topic_parts`)."""
    return _subject_words(retriever, plan.doc_ids) if len(plan.found_instruments) >= 2 else None


def _subject_words(retriever: HybridRetriever, doc_ids: Sequence[str]) -> Words:
    """The words of the subjects ("tentang …") of an instrument's documents."""
    return Words.of(" ".join(r.subject or "" for r in _regulations(retriever, doc_ids)))


def _regulations(retriever: HybridRetriever, doc_ids: Sequence[str]) -> list[RegulationRef]:
    """The identities of those of ``doc_ids`` that are regulations."""
    metas = retriever.documents()
    return [ref for d in doc_ids if d in metas and (ref := metas[d].regulation) is not None]
