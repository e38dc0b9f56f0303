"""Plain functions behind the read-only catalog routes (regulations, cities, documents, quote context)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence

from api.engine.aspects import aspects_of, matches_aspect
from api.engine.citations import Sentence, make_citation
from api.engine.compare import instrument_text
from api.engine.instruments import CityInstrument
from api.source_view import word_window
from core.api_models import (
    CityCount,
    DocumentDetail,
    Mention,
    QuoteContext,
    RegulationDetail,
    RegulationSummary,
    UnitChange,
)
from core.errors import InvalidRequestError, NotFoundError
from core.types import (
    Citation,
    DocumentMeta,
    OutlineNode,
    Passage,
    RegulationEntry,
    RegulationRef,
    RegulationRelation,
)
from vectorstore.catalog import Amendment
from vectorstore.hybrid import HybridRetriever
from vectorstore.library_parts import CatalogLike

MAX_WINDOW = 5000


def _mentions(retriever: HybridRetriever, entry: RegulationEntry) -> list[Mention]:
    passages = retriever.passages()
    metas = retriever.documents()
    out = []
    for doc_id, pid in entry.occurrences:
        meta = metas.get(doc_id)
        passage = passages.get(pid) if pid else None
        out.append(Mention(doc_id=doc_id, passage_id=pid, title=meta.title if meta else doc_id,
                           page=passage.page_start if passage else (1 if meta else None)))
    return out


def _evidence(retriever: HybridRetriever, entry: RegulationEntry) -> CityInstrument:
    passages = retriever.passages()
    found = [passages[pid] for _, pid in entry.occurrences if pid and pid in passages]
    return CityInstrument(entry.ref, tuple(found))


def list_regulations(
    retriever: HybridRetriever, city: str | None, instrument: str | None, year: int | None, aspect: str | None
) -> list[RegulationSummary]:
    code = retriever.resolve_city(city).code if city else None
    out = []
    for entry in retriever.library.regulations(city=code, instrument=instrument, year=year):
        text = instrument_text(_evidence(retriever, entry))
        if aspect and not matches_aspect(aspect, text):
            continue
        out.append(RegulationSummary(key=entry.ref.key, ref=entry.ref, label=entry.ref.label,
                                     aspects=aspects_of(text), mentions=_mentions(retriever, entry),
                                     aliases=list(entry.aliases)))
    return out


def _entry(catalog: CatalogLike, key: str) -> RegulationEntry | None:
    """The listed instrument with this key, or the one a partial mention of that key was folded into."""
    return next((e for e in catalog.list_regulations() if key == e.ref.key or key in e.aliases), None)


def _relations(catalog: CatalogLike, keys: Sequence[str]) -> tuple[list[RegulationRelation], list[RegulationRelation]]:
    """(outgoing, incoming) edges of an instrument under any of its keys."""
    found = [catalog.relations_of(k) for k in keys]
    return [r for f in found for r, _ in f.outgoing], [r for f in found for r, _ in f.incoming]


def _revoked_by(incoming: Sequence[RegulationRelation]) -> list[RegulationRef]:
    revoking = {r.source.key: r.source for r in incoming if r.kind == "revokes"}
    return list(revoking.values())


def _amendments(catalog: CatalogLike, keys: Sequence[str]) -> tuple[list[Amendment], list[Amendment]]:
    """(made, received) changes of an instrument under any of its keys."""
    found = [catalog.amendments_of(k) for k in keys]
    return [a for f in found for a in f.made], [a for f in found for a in f.received]


def _outline_nodes(nodes: Sequence[OutlineNode]) -> Iterator[OutlineNode]:
    for node in nodes:
        yield node
        yield from _outline_nodes(node.children)


def _unit_wording(catalog: CatalogLike, doc_ids: Sequence[str], kinds: set[str], unit: str) -> str:
    """The text of the outline node labelled ``unit`` ('Pasal 11') of one of ``kinds`` in the first of
    ``doc_ids`` that has one."""
    wanted = " ".join(unit.split()).casefold()
    for doc_id in doc_ids:
        node = next((n for n in _outline_nodes(catalog.get_outline(doc_id))
                     if n.kind in kinds and " ".join(n.label.split()).casefold() == wanted), None)
        clean = catalog.get_clean(doc_id) if node else None
        if node and clean:
            return clean.text[node.start : node.end].strip()
    return ""


def _own_documents(catalog: CatalogLike, key: str) -> list[str]:
    entry = _entry(catalog, key)
    return [doc_id for doc_id, pid in entry.occurrences if pid is None] if entry else []


def _unit_change(retriever: HybridRetriever, amendment: Amendment) -> UnitChange:
    change, source = amendment.change, amendment.source
    catalog = retriever.library.catalog
    holding = sorted((p for p in retriever.passages().values()
                      if p.doc_id == amendment.doc_id and p.start < change.end and change.start < p.end),
                     key=lambda p: p.start)
    return UnitChange(
        unit=change.unit, action=change.action, label=f"{change.unit} {change.action} by {source.label}",
        amended=change.target, amended_key=change.target.key, amended_by=source, amended_by_key=source.key,
        doc_id=amendment.doc_id, evidence=change.evidence, start=change.start, end=change.end,
        passage_ids=[p.passage_id for p in holding],
        citation=_directive_citation(retriever, holding[0], change.start, change.end) if holding else None,
        new_wording="" if change.action == "dihapus" else _unit_wording(catalog, [amendment.doc_id],
                                                                          {"amended_pasal"}, change.unit),
        old_wording="" if change.action == "disisipkan" else _unit_wording(
            catalog, _own_documents(catalog, change.target.key), {"pasal"}, change.unit),
    )


def _directive_citation(retriever: HybridRetriever, passage: Passage, start: int, end: int) -> Citation:
    """The part of the directive inside ``passage`` (a long one may run on into the next passage)."""
    lo, hi = max(start, passage.start) - passage.start, min(end, passage.end) - passage.start
    clean = retriever.library.catalog.get_clean(passage.doc_id)
    return make_citation(1, passage, retriever.documents().get(passage.doc_id),
                         Sentence(lo, hi, passage.text[lo:hi]), clean.pages if clean else ())


def regulation_detail(retriever: HybridRetriever, key: str) -> RegulationDetail:
    catalog = retriever.library.catalog
    entry = _entry(catalog, key.lower())
    ref = entry.ref if entry else catalog.get_regulation(key)
    if ref is None:
        raise NotFoundError(f"No regulation with key {key!r}.", hint="GET /regulations lists the keys.",
                            key="regulation_not_found", values={"key": repr(key)})
    aliases = list(entry.aliases) if entry else []
    own_docs = [doc_id for doc_id, pid in entry.occurrences if pid is None] if entry else []
    outgoing, incoming = _relations(catalog, [ref.key, *aliases])
    made, received = _amendments(catalog, [ref.key, *aliases])
    return RegulationDetail(
        key=ref.key, ref=ref, label=ref.label, aliases=aliases,
        outline=list(catalog.get_outline(own_docs[0])) if own_docs else [],
        relations_out=outgoing, relations_in=incoming,
        amended_units=[_unit_change(retriever, a) for a in received],
        changes=[_unit_change(retriever, a) for a in made],
        # A revocation is not a newer version: the text is gone, not replaced by an amended one.
        newer_amendment=any(r.kind == "amends" for r in incoming),
        revoked_by=_revoked_by(incoming),
        mentions=_mentions(retriever, entry) if entry else [],
    )


def city_counts(retriever: HybridRetriever) -> list[CityCount]:
    metas = retriever.documents()
    passages: Counter[str] = Counter(c for p in retriever.passages().values() for c in p.about_cities)
    documents: Counter[str] = Counter(c for m in metas.values() for c in m.cities)
    out = []
    for code in sorted(set(passages) | set(documents)):
        region = retriever.library.gazetteer.resolve(code)
        if region is not None and region.kind != "provinsi":
            out.append(CityCount(region=region, documents=documents[code], passages=passages[code]))
    return out


def list_documents(
    retriever: HybridRetriever, city: str | None, doc_type: str | None, year: int | None, language: str | None
) -> list[DocumentMeta]:
    code = retriever.resolve_city(city).code if city else None
    return [
        m for m in retriever.library.documents()
        if (code is None or code in m.cities)
        and (doc_type is None or m.doc_type == doc_type)
        and (year is None or m.year == year)
        and (language is None or m.language == language)
    ]


def document_detail(retriever: HybridRetriever, doc_id: str) -> DocumentDetail:
    meta = retriever.library.document(doc_id)
    clean = retriever.library.catalog.get_clean(doc_id)
    return DocumentDetail(**meta.model_dump(), pages=clean.pages if clean else ())


def _section_at(passages: list[Passage], offset: int) -> str:
    return next((p.section for p in passages if p.start <= offset < p.end), "")


def quote_context(retriever: HybridRetriever, doc_id: str, start: int, end: int, window: int) -> QuoteContext:
    retriever.library.document(doc_id)
    clean = retriever.library.catalog.get_clean(doc_id)
    if clean is None:
        raise NotFoundError(f"The text of document {doc_id!r} is missing.", hint="Re-ingest the document.",
                            key="text_missing", values={"doc_id": repr(doc_id)})
    if not 0 <= start <= end <= len(clean.text) or end - start > MAX_WINDOW * 4:
        raise InvalidRequestError(
            f"The span {start}..{end} is not inside the document (its text has {len(clean.text)} characters).",
            hint="Use the start and end of a citation.", key="span_outside",
            values={"start": start, "end": end, "length": len(clean.text)},
        )
    window = max(0, min(window, MAX_WINDOW))
    passages = [p for p in retriever.passages().values() if p.doc_id == doc_id]
    before, after = word_window(clean.text, start, end, window)
    return QuoteContext(
        before=before,
        quote=clean.text[start:end],
        after=after,
        page=clean.page_at(start),
        section=_section_at(passages, start),
    )
