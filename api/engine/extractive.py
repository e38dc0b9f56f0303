"""The extractive engine: answers made of verbatim sentences from the best evidence, each cited.

Offline and deterministic. The pipeline: the question's plan (``api.engine.plan``) → each group's candidates,
re-ranked by the learned passage model, and the learned gate's verdict (``api.engine.retrieval``) → candidate
sentences of the best passages, scored by the learned sentence model → citations. What the structure of a
regulation settles is not left to a model: an article the question names is its answer, read in ayat order;
an amendment's recorded directives answer what it changes; a title block or closing is quoted only when the
question asks about the instrument itself.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property

from api.engine.citations import (
    MAX_ARTICLE_QUOTE_CHARS,
    MAX_QUOTE_CHARS,
    Sentence,
    clip,
    holds_signature,
    list_lead,
    make_citation,
    too_short,
    whole_list,
)
from api.engine.definitions import asked_definition, first
from api.engine.features import Terms, asked_noun, asked_term, defined_term, is_asked_article, states_noun
from api.engine.instruments import (
    amendment_evidence,
    as_hit,
    city_instruments,
    commencement_evidence,
    revocation_evidence,
    role_evidence,
)
from api.engine.issuers import issued_by
from api.engine.learned import AnsweringModels, load_models
from api.engine.matching import agreement, term_in, word_at
from api.engine.plan import QueryPlan, analyse, identity_roles
from api.engine.retrieval import (
    Group,
    Ranked,
    group_terms,
    identity_unasked,
    plan_groups,
    question_terms_of,
    rank_group,
    with_docs,
)
from api.engine.sentences import sentence_rows_of, stated_words
from api.messages import DEFAULT_LANG, Lang, message
from core.roles import closing_sentence
from core.settings import AnswerSettings
from core.types import (
    IDENTITY_ROLES,
    Answer,
    AnswerSentence,
    Citation,
    CityAnswer,
    DocumentMeta,
    NearestDocument,
    PageSpan,
    Passage,
    PassageRole,
    Region,
    SearchFilters,
    SearchHit,
)
from vectorstore.hybrid import HybridRetriever, QueryIdentifiers, query_identifiers

# In a comparison, a sentence naming only the rival region is about the rival: it moves below every sentence
# that names this region or none (the model's probabilities lie in 0–1).
RIVAL_PENALTY = 1.0
# A regulation's own commencement clause ("Peraturan Daerah ini mulai berlaku pada tanggal diundangkan"), which
# every instrument ends with (UU 12/2011, Lampiran II), answers only when it takes effect: unasked, it moves below
# every other sentence. Not a transitional clause that names it ("Pada saat Peraturan Gubernur ini mulai berlaku,
# … dicabut"), which answers what it replaces.
UNASKED_COMMENCEMENT_PENALTY = 1.0
_COMMENCEMENT_CLAUSE = re.compile(
    r"^(?:pasal\s+\w+\s+|[a-z]+\s*:\s*)?(?:peraturan|keputusan|instruksi|undang-undang|qanun|perda|perbup|perwal\w*|"
    r"pergub)\b[^,;:]{0,60}?\bini\s+(?:mulai\s+)?berlaku\b", re.IGNORECASE)
# An article the question names is its answer whatever words it uses: it ranks above every other sentence.
ASKED_ARTICLE_BONUS = 1.0
# So is the definition of the term a definition question names.
DEFINED_TERM_BONUS = 1.0


@dataclass(frozen=True)
class Scoring:
    """What candidate sentences are scored against, worked out once per question."""

    plan: QueryPlan
    terms: Terms
    titles: Mapping[str, str]  # passage id → the titles of its chapter and part
    models: AnsweringModels
    # The regions compared and where their instruments are read, for :attr:`numbers`.
    regions: tuple[Region, ...] = ()
    retriever: HybridRetriever | None = field(default=None, repr=False, compare=False)

    @cached_property
    def numbers(self) -> dict[str, frozenset[str]]:
        """In a comparison of regions, each region's instruments as "number/year": a sentence naming only a
        rival's instruments is about the rival, as one naming only the rival is (:func:`favour_region`). Read
        when an answer is written, not for a search."""
        if self.retriever is None or len(self.regions) < 2:
            return {}
        return {r.code: frozenset(f"{i.ref.number}/{i.ref.year}".lower()
                                  for i in city_instruments(self.retriever, r.code)) for r in self.regions}


@dataclass
class Evidence:
    """The hits gathered for one group of the answer: a region, a named instrument or the whole corpus."""

    group: Group
    hits: list[SearchHit]
    probs: list[float] = field(default_factory=list)
    covered: bool = False
    registry: list[SearchHit] = field(default_factory=list)  # passages naming the city's instruments asked about
    # The passages the answer must be read from: the article the question names, or the directives of the
    # amendment it asks about. They answer it whatever words they use, in their own order.
    focus: list[SearchHit] = field(default_factory=list)
    terms: Terms | None = None  # the question's words this group is judged on (retrieval.group_terms)
    # Whether the focus is in the search's order (an asked article's passages, the asked paragraph first) or in
    # the document's (a clause's passages): one article cut into passages is one answer, none ranks below another.
    focus_ranked: bool = True

    @property
    def region(self) -> Region | None:
        return self.group.region

    @property
    def focus_in_order(self) -> bool:
        """Is the focus a clause read in the document's order (its passages one answer)?"""
        return bool(self.focus) and not self.focus_ranked


def asked_article_hits(ranked: Ranked, plan: QueryPlan, k: int) -> list[SearchHit]:
    """The evidence passages that are the article the question names, of the instrument it names when it does."""
    if not plan.articles:
        return []
    asked = []
    for hit in ranked.hits[:k]:
        if not is_asked_article(hit.passage, plan.articles):
            continue
        if plan.instruments and hit.passage.doc_id not in plan.doc_ids:
            continue
        asked.append(hit)
    return asked


def gather(
    retriever: HybridRetriever,
    question: str,
    filters: SearchFilters,
    k: int,
    cities: Sequence[Region] | None = None,
    settings: AnswerSettings | None = None,
    judge: bool = True,
) -> tuple[list[Evidence], Scoring]:
    """Evidence per group of the plan (or per city given), and how its sentences are to be scored. Without
    ``judge`` the gate is not asked whether the evidence answers (a search only lists it), so no group but one
    with a focus, a definition or registry passages counts as covered."""
    settings = settings or retriever.library.settings.answer
    plan = analyse(retriever, question, filters)
    if cities is not None:
        plan = replace(plan, regions=tuple(cities))
    models = load_models(settings.model_path)
    terms = question_terms_of(retriever, plan)
    regions = plan.regions if cities is None else tuple(cities)
    scoring = Scoring(plan, terms, retriever.unit_titles(), models, tuple(regions), retriever)
    groups = plan_groups(plan, filters) if cities is None else region_groups(retriever, plan, cities, filters)
    # The directives of an amendment the question names are the same whatever group is asked about.
    asks_change = plan.amendment and not plan.about_instrument
    directives, changing = [], []
    if asks_change:
        directives = amendment_evidence(retriever, changed_identifiers(question, plan, retriever.documents()))
        changing = stating_change(retriever, plan)
        if plan.change == "disisipkan":
            changing += inserted_evidence(retriever, changing)
    evidence, gates = [], []
    for group in groups:
        own_terms = group_terms(retriever, terms, group, groups)
        ranked = rank_group(retriever, plan, group, own_terms, settings, models, judge)
        best = zip(ranked.hits[:k], ranked.probs[:k], strict=False)
        kept = [(h, p) for h, p in best if not identity_unasked(h, plan)]
        defined = asked_definition(retriever, plan, group.instrument.doc_ids if group.instrument else (),
                                   ranked.hits[:k])
        if defined is not None:  # first, and as sure as can be
            kept = [(defined, 1.0), *((h, p) for h, p in kept if h.passage.passage_id != defined.passage.passage_id)]
        hits, probs = [h for h, _ in kept], [p for _, p in kept]
        own_directives = _of_group(directives, group, retriever)
        # Of an amendment's directives, the article the question names, when it names one the amendment holds.
        asked_directives = [h for h in own_directives if is_asked_article(h.passage, plan.articles)]
        asked = asked_article_hits(ranked, plan, settings.evidence_passages)
        own_changing = _of_group(changing, group, retriever) if group.instrument is not None else []
        focus = first(asked or asked_directives or own_directives, *own_changing)
        if not focus and group.instrument is not None:
            focus = clause_evidence(retriever, plan, group.instrument.doc_ids)
            if plan.elucidation:  # a whole Penjelasan is long: the passages the search ranks come first
                focus = in_rank_order(focus, ranked.hits)
        if plan.about_instrument and not focus:
            focus = identity_evidence(retriever, group, identity_roles(plan))
        registry = registry_evidence(retriever, group.region, scoring, settings) if (
            group.region is not None and plan.regulatory) else []
        side = settings.named_side_gate if group.instrument is not None and len(groups) > 1 else 1.0
        covered = bool(registry or focus or defined) or ranked.answerable >= models.gate.threshold * side
        evidence.append(Evidence(group, hits, probs, covered and bool(hits or focus or registry), registry, focus,
                                 own_terms, focus_ranked=bool(asked) or plan.elucidation))
        gates.append(ranked.answerable)
    return with_answered_rivals(evidence, gates, models.gate.threshold * settings.answered_side_gate), scoring


_NOT_DIRECTIVES = frozenset({*IDENTITY_ROLES, PassageRole.KONSIDERANS})
# How a directive words each change, its drafting slips too ("Pasal 2 disisip 2 (dua) ayat"); not the citation
# formula "sebagaimana telah diubah", which names an instrument by its history.
_DIRECTIVE_VERBS = {"disisipkan": r"\bdisisip\w*", "dihapus": r"\bdihapus\w*",
                    "diubah": r"(?<!telah )(?<!sebagaimana )\bdiubah\b"}


def stating_change(retriever: HybridRetriever, plan: QueryPlan) -> list[SearchHit]:
    """The passages of the named instruments whose directive makes the change the question asks for
    (:func:`change_directive`): the article's new text shows what it says now, not what was inserted or deleted.
    Read from the text, as the registry records changes of whole articles only."""
    pattern = change_directive(plan)
    if pattern is None:
        return []
    # A directive is an article's (Pasal I's), not a title's, a considering clause's or a legal basis's.
    return [as_hit(retriever, p) for d in plan.doc_ids for p in retriever.passages_of(d)
            if p.role not in _NOT_DIRECTIVES and pattern.search(p.text)]


# The units a directive inserts into a list or an article, as it names them: "disisipkan 1 (satu) angka yakni angka
# 17A", "disisip 2 (dua) ayat yakni ayat (3)a dan (3)b" (a drafting slip for (3a)). An inserted article has its own
# heading (Pasal 12A) and is found as an asked article.
_INSERTS = re.compile(r"\bdisisip\w*\s+(?:\d+\s*\([a-z\s]+\)\s*)?(?P<kind>angka|ayat)\W+(?:yakni|yaitu)\s+"
                      r"(?P<units>[^.:;]{1,80}?)(?=\s+(?:sehingga|dan\s+ketentuan|yang)\b|[.:;]|$)", re.IGNORECASE)
_INSERTED_LABEL = re.compile(r"\((\d+[a-z]?)\)([a-z]?)|\b(\d+[a-z])\b", re.IGNORECASE)


def inserted_openings(text: str) -> list[tuple[int, re.Pattern[str]]]:
    """For each unit a directive in ``text`` inserts, where the directive ends and how the unit opens in the
    restated text after it: "17A. …" for an angka, "(3a) …" (or the directive's own slip, "(3)a") for an ayat."""
    found = []
    for directive in _INSERTS.finditer(text):
        for bracketed, letter, bare in _INSERTED_LABEL.findall(directive["units"]):
            label = bare or bracketed + letter
            if directive["kind"].lower() == "angka":
                opens = rf"(?<![\w(]){re.escape(label)}\.\s"
            else:
                number, suffix = (label[:-1], label[-1]) if label[-1].isalpha() else (label, "")
                opens = rf"\({number}{suffix}\)\s" + (rf"|\({number}\){suffix}\s" if suffix else "")
            found.append((directive.end(), re.compile(opens, re.IGNORECASE)))
    return found


def inserted_evidence(retriever: HybridRetriever, directives: Sequence[SearchHit]) -> list[SearchHit]:
    """The passages holding the units ``directives`` insert, read from the text after each directive: what was
    inserted is the inserted unit's own wording, which a long restated article (a Pasal 1 of forty definitions)
    may hold far from the directive. A directive's own passage, when it holds the unit too, is not repeated."""
    seen = {h.passage.passage_id for h in directives}
    found: list[SearchHit] = []
    for hit in directives:
        for end, opens in inserted_openings(hit.passage.text):
            if opens.search(hit.passage.text, end):
                continue
            after = (p for p in retriever.passages_of(hit.passage.doc_id) if p.index > hit.passage.index)
            holder = next((p for p in after if opens.search(p.text)), None)
            if holder is not None and holder.passage_id not in seen:
                seen.add(holder.passage_id)
                found.append(as_hit(retriever, holder))
    return found


def change_directive(plan: QueryPlan) -> re.Pattern[str] | None:
    """What a directive making the asked change (:attr:`QueryPlan.change`) says, to the article the question
    names when it names one: "Di antara ayat (3) dan ayat (4), Pasal 2 disisipkan 2 (dua) ayat"."""
    if plan.change is None:
        return None
    action = _DIRECTIVE_VERBS[plan.change]
    if not plan.articles:
        return re.compile(action, re.IGNORECASE)
    article = rf"\bpasal\s+(?:{'|'.join(re.escape(a) for a in plan.articles)})\b"
    # The article nearest the verb: "Diantara Pasal 2 dan Pasal 3 disisipkan … Pasal 2A" inserts 2A, not into 2.
    return re.compile(rf"{article}(?:(?!\bpasal\b)[^.;:]){{0,160}}?{action}|{action}[^.;:]{{0,80}}?{article}",
                      re.IGNORECASE)


def changed_identifiers(question: str, plan: QueryPlan, metas: Mapping[str, DocumentMeta]) -> QueryIdentifiers:
    """The instruments whose amendments a question asks about: those it numbers, and the documents of those it
    describes by kind, issuer and year ("the 2024 amendment to Yogyakarta's governor regulation on official
    travel"), by their own numbers."""
    written = query_identifiers(question)
    refs = [metas[d].regulation for d in plan.doc_ids if d in metas]
    named = tuple((ref.number, ref.year) for ref in refs if ref is not None and ref.year is not None)
    return replace(written, numbers=tuple(dict.fromkeys((*written.numbers, *named))))


def with_answered_rivals(evidence: Sequence[Evidence], gates: Sequence[float], floor: float) -> list[Evidence]:
    """In a comparison one of whose sides the evidence answers, another named side (an instrument, or a region
    named apart from it) is read from its best passages once the gate gives them ``floor``: the asker named it
    as speaking to the same topic, and a side left blank beside an answered one reads as "no such rule" where
    the rule is there in other words. A comparison no side of which is answered stays unanswered."""
    if len(evidence) < 2 or not any(e.covered for e in evidence):
        return list(evidence)
    return [replace(e, covered=True) if (not e.covered and e.hits and (e.group.instrument or e.group.side)
                                         and gate >= floor) else e
            for e, gate in zip(evidence, gates, strict=True)]


_NAMES_INSTRUMENTS = frozenset({"other", "list"})


def in_rank_order(focus: Sequence[SearchHit], ranked: Sequence[SearchHit]) -> list[SearchHit]:
    """The focus passages the search ranked, in its order, then the rest in the document's."""
    at = {h.passage.passage_id: i for i, h in enumerate(ranked)}
    return sorted(focus, key=lambda h: at.get(h.passage.passage_id, len(at)))


def clause_evidence(retriever: HybridRetriever, plan: QueryPlan, doc_ids: Sequence[str]) -> list[SearchHit]:
    """The clauses of a named instrument that a question about its revocations, its entry into force, its
    elucidation or its legal bases asks for, whatever words they use. The elucidation and the legal bases are read
    only when no clause before them is asked."""
    found = revocation_evidence(retriever, doc_ids) if plan.revocation else []
    if plan.commencement:
        have = {h.passage.passage_id for h in found}
        found += [h for h in commencement_evidence(retriever, doc_ids) if h.passage.passage_id not in have]
    if plan.elucidation and not found:
        found = role_evidence(retriever, doc_ids, PassageRole.PENJELASAN)
    # The legal bases when they are what is asked: which instruments ("nomor berapa", "which regulation"), not a
    # figure an instrument "menjadi acuan" for, nor a revocation the question asks about one of them.
    if plan.legal_basis and not found and plan.answer_type in _NAMES_INSTRUMENTS:
        found = role_evidence(retriever, doc_ids, PassageRole.LEGAL_BASIS)
    return found


def _of_group(hits: Sequence[SearchHit], group: Group, retriever: HybridRetriever) -> list[SearchHit]:
    """The hits that belong to the group: its instrument's, else its region's own documents. Comparing two
    amendments, each side reads its own directives, not both."""
    if group.instrument is not None:
        return [h for h in hits if h.passage.doc_id in group.instrument.doc_ids]
    if group.region is not None:
        metas = retriever.documents()
        return [h for h in hits if issued_by(metas.get(h.passage.doc_id), group.region)]
    return list(hits)


def region_groups(
    retriever: HybridRetriever, plan: QueryPlan, regions: Sequence[Region], filters: SearchFilters
) -> list[Group]:
    """A comparison's groups, one per region; a region whose instrument the question names is read from it."""
    metas = retriever.documents()
    groups = []
    for region in regions:
        own = next((i for i in plan.found_instruments if any(issued_by(metas.get(d), region) for d in i.doc_ids)),
                   None)
        if own is not None:
            groups.append(Group(region=region, instrument=own, filters=with_docs(filters, own.doc_ids)))
        else:
            groups.append(Group(region=region, filters=filters))
    return groups


def identity_evidence(retriever: HybridRetriever, group: Group, roles: frozenset[PassageRole]) -> list[SearchHit]:
    """For a question about a named instrument itself (who signed it, when it was enacted or promulgated, its
    title): the parts of it that state what is asked (:func:`api.engine.plan.identity_roles`)."""
    if group.instrument is None:
        return []
    signed = PassageRole.CLOSING in roles
    found = [p for doc_id in group.instrument.doc_ids for p in retriever.passages_of(doc_id)
             if p.role in roles or (signed and holds_signature(p.text))]
    return [as_hit(retriever, p) for p in found]


def registry_evidence(
    retriever: HybridRetriever, region: Region, scoring: Scoring, settings: AnswerSettings
) -> list[SearchHit]:
    """For "how does the city regulate X": a passage naming each of the city's instruments whose subject is X
    (from the registry; a table of regulations often ranks below the prose about them). Most of the subject's
    words must be the question's."""
    found: dict[str, SearchHit] = {}
    terms = scoring.terms
    for instrument in city_instruments(retriever, region.code):
        subject = instrument.ref.subject
        if not subject or not instrument.passages:
            continue
        if agreement(terms.terms, subject, terms.weights) >= 0.5:
            passage = instrument.passages[0]
            found.setdefault(passage.passage_id, as_hit(retriever, passage))
    return list(found.values())[: settings.registry_passages]


def sentence_rows(
    group: Evidence, scoring: Scoring, settings: AnswerSettings, regions: Sequence[Region] = ()
) -> list[tuple[list[float], SearchHit, Sentence]]:
    """The candidate sentences of the best passages and the registry's (of the focus passages alone when there
    are some, :class:`Evidence`), each with the sentence model's features."""
    plan = scoring.plan
    if group.focus:
        pool = [(h, 1.0) for h in group.focus]
    else:
        pool = list(zip(group.hits[: settings.evidence_passages], group.probs, strict=False))
        ranked = {h.passage.passage_id for h, _ in pool}
        # The registry's passages name the city's instruments on the topic: as sure as the best ranked one.
        best = max(group.probs, default=1.0)
        pool += [(h, best) for h in group.registry if h.passage.passage_id not in ranked]
    identifiers = _identifier_tokens(plan)
    limit = MAX_ARTICLE_QUOTE_CHARS if group.focus else MAX_QUOTE_CHARS
    judged_on = group.terms or scoring.terms
    return [(row, hit, clip(sentence, _focus(sentence, judged_on.terms), limit))
            for rank, (hit, prob) in enumerate(pool)
            for row, sentence in sentence_rows_of(hit, prob, 0 if group.focus_in_order else rank, plan, judged_on,
                                                  identifiers=identifiers,
                                                  title=scoring.titles.get(hit.passage.passage_id, ""),
                                                  regions=regions)]


def score_sentences(
    group: Evidence, scoring: Scoring, settings: AnswerSettings, regions: Sequence[Region] = ()
) -> list[tuple[float, SearchHit, Sentence]]:
    """Candidate sentences best first (score, hit, sentence), by the learned sentence model."""
    bonus = ASKED_ARTICLE_BONUS if group.focus else 0.0
    plan = scoring.plan
    definition = plan.answer_type == "definition"
    noun = asked_noun(plan.question) if plan.answer_type in ("amount", "duration", "date") else None
    directive = change_directive(plan) if group.focus else None
    # What an asked insertion inserted states the change as much as the directive does.
    inserted = [opens for h in group.focus for _, opens in inserted_openings(h.passage.text)] if (
        directive and plan.change == "disisipkan") else []
    scored = [(scoring.models.sentence.probability(row) + bonus
               + (DEFINED_TERM_BONUS if definition and asked_term(plan.asks_in, defined_term(sentence.text)) else 0.0)
               + (settings.asked_noun_bonus if noun and states_noun(sentence.text, noun, plan.answer_type) else 0.0)
               + (settings.directive_bonus if directive and (directive.search(sentence.text) or any(
                   o.match(sentence.text) for o in inserted)) else 0.0)
               - (UNASKED_COMMENCEMENT_PENALTY if unasked_commencement(sentence.text, plan) else 0.0),
               hit, sentence)
              for row, hit, sentence in sentence_rows(group, scoring, settings, regions)]
    scored.sort(key=lambda item: (-item[0], item[1].passage.passage_id, item[2].start))
    return scored


def unasked_commencement(text: str, plan: QueryPlan) -> bool:
    """Is the sentence the instrument's own commencement clause, in an answer to a question that does not ask
    when it takes effect (nor about the instrument itself)? A question asking for a date may ask it in words the
    plan does not read as such ("from when does the amendment apply?"): its answer may be that clause."""
    asks_when = plan.commencement or plan.about_instrument or plan.answer_type == "date"
    return not asks_when and _COMMENCEMENT_CLAUSE.match(text) is not None


def _identifier_tokens(plan: QueryPlan) -> tuple[str, ...]:
    return tuple(f"{i.number}/{i.year}".lower() for i in plan.instruments)


def _focus(sentence: Sentence, terms: Sequence[str]) -> int | None:
    """Where in a long sentence the question's words are, so a clipped quote keeps them."""
    at = word_at(sentence.text, terms)
    return None if at is None else sentence.start + at


def pick(
    scored: Sequence[tuple[float, SearchHit, Sentence]],
    limit: int,
    seen: set[str] | None = None,
    per_passage: int = 2,
    terms: Terms | None = None,
    gain: float = AnswerSettings().new_terms_gain,
    referring_gain: float = 0.0,
) -> list[tuple[SearchHit, Sentence]]:
    """The best sentences, at most ``per_passage`` from one passage, without repeating the same text (nor any
    text in ``seen``, which is updated: a comparison does not show one sentence under two groups). Given the
    question's ``terms``, each next sentence also gains ``gain`` times the share of the question's words it adds
    to those the chosen ones hold (``answer.new_terms_gain``): a question asking two things is answered on both."""
    chosen: list[tuple[SearchHit, Sentence]] = []
    taken: dict[str, list[Sentence]] = {}
    seen = set() if seen is None else seen
    holds = _held_terms(scored, terms if gain else None)
    shares = _gain_shares(terms, gain)
    covered: set[str] = set()
    refers = [_referred_ayat(sentence.text) if referring_gain else frozenset() for _, _, sentence in scored]
    quoted_ayat: set[tuple[str, str]] = set()  # (passage id, ayat) of the opening sentence
    remaining = list(range(len(scored)))
    while remaining and len(chosen) < limit:
        # The best sentence opens the answer as the model ranks it; what follows it gains for what it adds, and
        # for completing the opening paragraph it refers back to.
        best = max(remaining, key=lambda i: (
            scored[i][0] + (sum(shares.get(t, 0.0) for t in holds[i] - covered) if chosen else 0.0)
            + (referring_gain if any((scored[i][1].passage.passage_id, a) in quoted_ayat for a in refers[i])
               else 0.0), -i))
        remaining.remove(best)
        _, hit, sentence = scored[best]
        key = " ".join(sentence.text.lower().split())
        mine = taken.setdefault(hit.passage.passage_id, [])
        # A list item is not quoted again beside the list that holds it.
        overlaps = any(s.start < sentence.end and sentence.start < s.end for s in mine)
        if key in seen or len(mine) >= per_passage or overlaps:
            continue
        chosen.append((hit, sentence))
        seen.add(key)
        mine.append(sentence)
        covered |= holds[best]
        # Only the opening sentence's paragraph: followed from paragraph to paragraph, references lead away from
        # what the question asks ("(5) Semester antara sebagaimana dimaksud pada ayat (4) …", "(6) … ayat (5)").
        opening = _AYAT_OPENS.match(sentence.text) if len(chosen) == 1 else None
        if opening is not None:
            quoted_ayat.add((hit.passage.passage_id, opening.group(1).lower()))
    return chosen


_AYAT_OPENS = re.compile(r"\((\d+[a-z]?)\)\s")
_AYAT_CITED = re.compile(r"\b(?:dimaksud|tersebut)\s+(?:pada|dalam|di)\s+ayat\s*\((\d+[a-z]?)\)", re.IGNORECASE)


def _referred_ayat(text: str) -> frozenset[str]:
    """The paragraphs of its own article a sentence refers back to ("Tindak pidana sebagaimana dimaksud dalam ayat
    (1) merupakan tindak pidana pelanggaran"): it completes what they say."""
    return frozenset(m.group(1).lower() for m in _AYAT_CITED.finditer(text))


def _held_terms(scored: Sequence[tuple[float, SearchHit, Sentence]], terms: Terms | None) -> list[frozenset[str]]:
    if terms is None or not terms.terms:
        return [frozenset()] * len(scored)
    out = []
    for _, hit, sentence in scored:
        words = stated_words(sentence.text, hit.passage.acronyms)
        out.append(frozenset(t for t in terms.terms if term_in(t, words)))
    return out


def _gain_shares(terms: Terms | None, gain: float) -> dict[str, float]:
    """What each question word adds to a sentence's score where the answer does not yet hold it."""
    if terms is None:
        return {}
    total = sum(terms.weights.get(t, 1.0) for t in terms.terms)
    return {t: gain * terms.weights.get(t, 1.0) / total for t in terms.terms} if total else {}


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


def _names(text: str, region: Region) -> bool:
    return re.search(rf"(?<!\w){re.escape(region.name)}(?!\w)", text, re.IGNORECASE) is not None


def favour_region(
    scored: Sequence[tuple[float, SearchHit, Sentence]], region: Region, others: Sequence[Region],
    numbers: dict[str, frozenset[str]] | None = None,
) -> list[tuple[float, SearchHit, Sentence]]:
    """In a comparison, a sentence naming only a rival region, or only a rival's instruments ("SPBE (Mayor's
    Regulation 10/2022)" in a paper on two cities), is about the rival (a two-city passage is evidence for both,
    but its sentences rarely are). Names match as whole words: "Batu" is not in "batubara"."""
    rivals = [r for r in others if r.code != region.code]
    numbers = numbers or {}
    rescored = []
    for score, hit, sentence in scored:
        if sentence.city is not None:  # a table cell speaks for its column's city
            mine, theirs = sentence.city == region.code, any(sentence.city == r.code for r in rivals)
        else:
            cited = set(query_identifiers(sentence.text).tokens)
            mine = _names(sentence.text, region) or bool(cited & numbers.get(region.code, frozenset()))
            theirs = any(_names(sentence.text, r) or cited & numbers.get(r.code, frozenset()) for r in rivals)
        if theirs and not mine:
            score -= RIVAL_PENALTY
        rescored.append((score, hit, sentence))
    rescored.sort(key=lambda item: (-item[0], item[1].passage.passage_id, item[2].start))
    return rescored


def city_answers(
    groups: Sequence[Evidence], scoring: Scoring, book: CitationBook, settings: AnswerSettings | None = None
) -> list[CityAnswer]:
    """One cited answer per group; a group without sufficient evidence says so explicitly."""
    settings = settings or AnswerSettings()
    answers = []
    regions = [g.region for g in groups if g.region is not None]
    limit = settings.sentences if len(groups) == 1 else settings.sentences_per_group
    shown: set[str] = set()
    for group in groups:
        code, name = group.group.code, group.group.name
        # A province's passages are cited without a city (a Pergub names none), but its answer is its own side.
        side = group.region.code if group.region is not None else code
        scored = score_sentences(group, scoring, settings, regions)
        if group.region is not None and len(regions) > 1:
            scored = favour_region(scored, group.region, regions, scoring.numbers)
        # What a revoking clause revokes is its whole list, one instrument an item.
        own_limit = settings.revoked_items if scoring.plan.revocation and group.focus_in_order else limit
        per_passage = own_limit if group.focus else settings.per_passage
        chosen = pick(scored, own_limit, shown, per_passage=per_passage, terms=group.terms or scoring.terms,
                      gain=settings.new_terms_gain, referring_gain=settings.referring_gain) if group.covered else []
        if group.focus:  # an article reads in its own order: ayat (1) before ayat (2)
            chosen.sort(key=lambda item: (item[0].passage.index, item[1].start))
            chosen += complement(group, scoring, settings, chosen, shown, regions)
        if not chosen:
            answers.append(CityAnswer(city=side, city_name=name, no_evidence=True))
            continue
        chosen = [(hit, whole_list(hit.passage.text, s)) for hit, s in with_leads(chosen, shown)]
        sentences = tuple(
            AnswerSentence(text=display(s.text), citations=(book.cite(hit, s, code),)) for hit, s in chosen
        )
        answers.append(CityAnswer(city=side, city_name=name, sentences=sentences))
    return answers


# A definition list's item states its term and meaning: "… adalah …", "… yang selanjutnya disebut …".
_DEFINES = re.compile(r"\badalah\b|\byang\s+selanjutnya\s+(?:di)?(?:sebut|singkat)", re.IGNORECASE)


def with_leads(chosen: Sequence[tuple[SearchHit, Sentence]], shown: set[str]) -> list[tuple[SearchHit, Sentence]]:
    """The chosen sentences, each list item among them after its list's lead-in when no chosen sentence holds it:
    "e. Pegawai … yang diberikan cuti di luar tanggungan negara" quoted alone does not say that such an employee
    gets no allowance, "Tunjangan Kinerja … tidak diberikan kepada:" does. The lead-in takes no place of its own
    among the sentences chosen. A definition ("8. Sekretariat DPRD adalah …") says all it says without "Dalam
    Peraturan Walikota ini yang dimaksud dengan:"."""
    held = [(hit.passage.passage_id, s.start, s.end) for hit, s in chosen]
    out: list[tuple[SearchHit, Sentence]] = []
    for hit, sentence in chosen:
        defined = hit.passage.role == PassageRole.DEFINITIONS or _DEFINES.search(sentence.text)
        lead = None if defined else list_lead(hit.passage.text, sentence)
        passage_id = hit.passage.passage_id
        if lead is not None and not too_short(lead.text) and not any(
                p == passage_id and lo <= lead.start < hi for p, lo, hi in held):
            out.append((hit, clip(lead)))
            held.append((passage_id, lead.start, lead.end))
            shown.add(" ".join(lead.text.lower().split()))
        out.append((hit, sentence))
    return out


def complement(
    group: Evidence, scoring: Scoring, settings: AnswerSettings, chosen: Sequence[tuple[SearchHit, Sentence]],
    shown: set[str], regions: Sequence[Region] = (),
) -> list[tuple[SearchHit, Sentence]]:
    """For an answer read from its focus (the asked article, the revoking clause, the directive): the sentence of
    the ranked evidence that adds most of what the question asks and the focus does not say ("which decree was
    revoked, and how long did the university have to comply": the revoking clause answers the first part only).
    None when no sentence adds ``answer.focus_complement_share`` of the question's words (by rarity)."""
    terms = group.terms or scoring.terms
    # A question about the instrument itself is answered by its title or closing, which name its subject: their
    # words are no part left unanswered.
    if not chosen or not settings.focus_complement_share or not terms.terms or scoring.plan.about_instrument:
        return []
    focus_ids = {h.passage.passage_id for h in group.focus}
    kept = [(h, p) for h, p in zip(group.hits, group.probs, strict=False)
            if h.passage.passage_id not in focus_ids and h.passage.role not in IDENTITY_ROLES]
    rest = replace(group, focus=[], hits=[h for h, _ in kept], probs=[p for _, p in kept], registry=[])
    scored = score_sentences(rest, scoring, settings, regions)
    held = _held_terms([(0.0, hit, sentence) for hit, sentence in chosen], terms)
    answered = frozenset().union(*held)
    shares = _gain_shares(terms, 1.0)
    best: tuple[float, SearchHit, Sentence] | None = None
    for (score, hit, sentence), holds in zip(scored, _held_terms(scored, terms), strict=True):
        added = sum(shares.get(t, 0.0) for t in holds - answered)
        if (added >= settings.focus_complement_share and not closing_sentence(sentence.text)
                and (best is None or score + added > best[0])):
            best = (score + added, hit, sentence)
    if best is None:
        return []
    return pick([best], 1, shown)


def render(answers: Sequence[CityAnswer], lang: Lang = DEFAULT_LANG) -> str:
    parts = []
    for answer in answers:
        if answer.no_evidence:
            body = message("answer.city_no_passage", lang, city=answer.city_name or message("answer.this_city", lang))
        else:
            body = " ".join(f"{s.text} " + "".join(f"[{n}]" for n in s.citations) for s in answer.sentences)
        parts.append(f"{answer.city_name}: {body}" if answer.city_name and len(answers) > 1 else body)
    return "\n\n".join(parts)


def searched_text(
    question: str, filters: SearchFilters, groups: Sequence[Evidence], lang: Lang = DEFAULT_LANG,
    within: Sequence[str] = (),
) -> str:
    """What was searched, for the reader of an answer or a refusal: the question, the regions, the plans it was
    limited to (``within``, :func:`scope_labels`) and the caller's filters."""
    bits = [message("searched.query", lang, question=question)]
    names = [g.group.name for g in groups if g.group.name]
    if names:
        bits.append(message("searched.cities", lang, cities=", ".join(names)))
    if within:
        bits.append(message("searched.within", lang, documents="; ".join(within)))
    active = {k: v for k, v in filters.model_dump(exclude={"cities"}).items() if v not in (None, [], "")}
    if active:
        bits.append(message("searched.filters", lang, filters=", ".join(f"{k}={v}" for k, v in active.items())))
    return " ".join(bits) + "."


def scope_labels(retriever: HybridRetriever, plan: QueryPlan) -> list[str]:
    """The plans a question named in words and was searched inside (:attr:`QueryPlan.scope`), as a planner
    names them."""
    metas = retriever.documents()
    labels = [m.plan.label for d in plan.scope if (m := metas.get(d)) is not None and m.plan is not None]
    return list(dict.fromkeys(labels))


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
    answers = city_answers(groups, scoring, book, retriever.library.settings.answer)
    covered = any(not a.no_evidence for a in answers)
    searched = searched_text(question, filters, groups, lang, scope_labels(retriever, scoring.plan))
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
        text=render(answers, lang),
        covered=True,
        by_city=tuple(answers),
        citations=tuple(book.citations),
        searched=searched,
        nearest_documents=nearest(groups),
    )

