"""One file in, passages out: load → clean → structure → chunk → annotate. Runs inside a worker process."""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field
from pathlib import Path

from core.acronyms import defined_acronyms, entries
from core.gazetteer import Gazetteer
from core.settings import Settings
from core.types import (
    CleanDocument,
    DocumentMeta,
    IndicatorRow,
    LegalDocument,
    ManifestEntry,
    Passage,
    RegulationRef,
)
from ingest.annotate import annotate_chunks
from ingest.chunking import split_passages
from ingest.cleaning import clean_pages
from ingest.handwritten_number import title_number_reading
from ingest.injection import flag_instructions
from ingest.legal import looks_like_regulation, parse_legal
from ingest.loaders import load_document
from ingest.metadata import (
    document_language,
    infer_cities,
    infer_doc_type,
    infer_title,
    infer_year,
    primary_region,
    resolve_cities,
)
from ingest.plans.identity import enacting_regulation
from ingest.plans.reader import indicator_rows, is_plan, read_plan, read_rows
from ingest.plans.row_spans import table_rows
from ingest.plans.tables import RawRow
from ingest.regulations import parse_regulation_refs
from ingest.structure import find_sections

HASH_CHUNK = 1 << 20
# Raised when ingest reads documents differently in a way their stored passages must catch up with; an unchanged
# file read by an older version is read again. 1: the acronyms a document defines (2026-12-06). 2: a plan table's
# cell listing several indicators gives each the values on its own lines; tables printed side by side in one
# ruling are read as tables of their own (2026-12-06). 3: the provinces' short names ("Kalbar", "Sulut") are
# mentions; a plan table's header ends at its first data row, header and body ruled apart are read as one, a scanned
# table's words are grouped into lines by their centres and its shaded cells and dropped tables recovered (2026-12-07).
# 4: a plan table's cells at a page's foot, rows broken over a page, lines set over each other, values ruled apart
# from their indicators, a narrow column's broken words and units (2026-12-07).
# 5: a narrow cell's abbreviation before a word the table spells whole is two words ('juml pelayanan'), not one.
# 6: a plan table's word clipped by its cell keeps its hidden letters, no longer read into the cell beside it.
# 7: a plan table's cell line running past its rule is a word the cell broke: closed up with a lower-case line after.
# 8: a scanned table's figure lines are read again in single-line mode limited to figures, kept where surer.
# 9: a born-digital plan table leaves out white letters on bare cells, reads fills of one colour as one cell, a row
# per unit a unit cell lists a line, an 'Uraian' naming rows of figures by year, a wrapped closing bracket closed up,
# a budget table's 'RKPD 2016' / 'Rupiah' sub-headings read as its header.
# 10: a scanned page img2table leaves askew is turned by its ruling's slope; a bracketed year read '12016)', cells of
# no width under a merged cell, '≥' / '≤' found in the image, lines of ink the table's reading dropped read as figures.
# 11: a born-digital plan table's figures touching across a rule are each their own cell's; a funds table's rows of
# nil ('-') budgets are read; a total's label merged over the code and name columns names its row; a line of blanks
# over a line's letters no longer spaces them.
# 12: a scanned chart's column of boxes an arrow joins is read box by box; a '%' read '#6', 'f6', 'd6' is '%';
# unsure words of a scanned table read again alone, enlarged.
READER_VERSION = 12


@dataclass(frozen=True)
class ProcessedDocument:
    """Everything the store needs about one file, computed without touching the store."""

    meta: DocumentMeta
    clean: CleanDocument
    passages: list[Passage]
    mentions: list[tuple[RegulationRef, str]]
    legal: LegalDocument | None
    timings: dict[str, float] = field(default_factory=dict)
    indicators: list[IndicatorRow] = field(default_factory=list)


def content_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(HASH_CHUNK):
            digest.update(block)
    return digest.hexdigest()


def doc_id_for(sha256: str) -> str:
    return sha256[:16]


def _regulation_hint(entry: ManifestEntry | None, gazetteer: Gazetteer) -> RegulationRef | None:
    """What the curator's title says a regulation is; the text wins wherever it can be read."""
    if entry is None or entry.doc_type != "regulation" or not entry.title:
        return None
    refs = parse_regulation_refs(entry.title, gazetteer)
    return refs[0].ref if refs else None


def _parse_structure(text: str, entry: ManifestEntry | None, gazetteer: Gazetteer,
                     number_reading: str | None = None) -> LegalDocument | None:
    if (entry is not None and entry.doc_type == "regulation") or looks_like_regulation(text):
        legal = parse_legal(text, gazetteer, hint=_regulation_hint(entry, gazetteer), number_reading=number_reading)
        if legal.regulation is not None:
            return legal
    return None


def _legal_structure(path: Path, media_type: str, clean: CleanDocument, entry: ManifestEntry | None,
                     gazetteer: Gazetteer, settings: Settings) -> LegalDocument | None:
    """The regulation's structure; a scanned title's number the text could only guess is read again from the
    page image, and the text parsed again with that reading."""
    legal = _parse_structure(clean.text, entry, gazetteer)
    if legal is None or media_type != "application/pdf":
        return legal
    reading = title_number_reading(path, clean, legal, settings)
    return (_parse_structure(clean.text, entry, gazetteer, reading) or legal) if reading else legal


def tables_budget(settings: Settings, elapsed_s: float) -> float:
    """Seconds the indicator-table reader may take: its own budget, but never past the parse time limit, which
    covers the whole of this function in the worker. A 500-page plan's text took 160 s of the 300 on a busy
    machine (benchmark.py --plan 500): the tables' 150 s on top would have had the worker killed and the whole
    plan lost, text and all."""
    limit = settings.ingest.parse_timeout_s
    left = limit - elapsed_s - _AFTER_TABLES_S - _AFTER_TABLES_SHARE * limit
    return max(0.0, min(settings.ingest.plan_tables_budget_s, left))


# Kept back from the parse time limit for what follows the tables: tying rows to passages, handing the
# document back to the main process.
_AFTER_TABLES_S = 10.0
_AFTER_TABLES_SHARE = 0.05


def process_file(path: Path, settings: Settings, entry: ManifestEntry | None) -> ProcessedDocument:
    timings: dict[str, float] = {}
    began = started = time.perf_counter()
    sha = content_hash(path)
    extracted = load_document(path, settings)
    clean = clean_pages(extracted.pages)
    timings["parse"] = time.perf_counter() - started

    started = time.perf_counter()
    gazetteer = Gazetteer.default()
    legal = _legal_structure(path, extracted.media_type, clean, entry, gazetteer, settings)
    plan = read_plan(clean, legal, gazetteer) if is_plan(clean.text, entry, legal) else None
    if plan is not None:
        sections = plan.sections
    else:
        sections = list(legal.sections) if legal is not None else find_sections(clean.text)
    structure_s = time.perf_counter() - started

    # A plan's tables are read before it is cut into passages: the passages keep its rows whole and carry their
    # table's caption and headings (ingest.plans.row_spans).
    raw: list[RawRow] = []
    warnings = extracted.warnings
    if plan is not None and extracted.media_type == "application/pdf":
        started = time.perf_counter()
        budget = tables_budget(settings, time.perf_counter() - began)
        raw, table_warnings = read_rows(path, clean, budget, settings)
        warnings = (*warnings, *table_warnings)
        timings["tables"] = time.perf_counter() - started

    started = time.perf_counter()
    chunks = split_passages(
        clean,
        sections,
        target_chars=settings.ingest.passage_target_chars,
        max_chars=settings.ingest.passage_max_chars,
        overlap_chars=settings.ingest.passage_overlap_chars,
        tables=table_rows(raw, clean),
        table_chars=settings.ingest.table_passage_chars,
    )
    doc_id = doc_id_for(sha)
    cities = resolve_cities(entry.cities, gazetteer) if entry and entry.cities else ()
    if legal is not None and legal.regulation is not None and legal.regulation.region_code:
        cities = tuple(dict.fromkeys((legal.regulation.region_code, *cities)))
    if not cities:
        cities = infer_cities(clean.text, gazetteer, legal)
    acronyms = defined_acronyms(clean.text)
    passages, mentions = annotate_chunks(
        chunks,
        clean,
        doc_id=doc_id,
        doc_cities=cities,
        is_regulation=legal is not None,
        default_region=primary_region(cities, gazetteer),
        gazetteer=gazetteer,
        acronyms=acronyms,
    )
    indicators: list[IndicatorRow] = []
    if plan is not None and raw:
        indicators = indicator_rows(raw, clean, passages, doc_id=doc_id, plan_key=plan.plan.key)
    timings["chunk"] = structure_s + time.perf_counter() - started
    doc_type = entry.doc_type if entry and entry.doc_type else infer_doc_type(clean.text, legal)
    if plan is not None:
        doc_type = "plan"
    meta = DocumentMeta(
        doc_id=doc_id,
        filename=path.name,
        media_type=extracted.media_type,
        title=(entry.title if entry and entry.title else infer_title(clean.text, path.name, legal)),
        authors=entry.authors if entry else (),
        year=(entry.year if entry and entry.year else infer_year(clean.text, legal)),
        language=document_language(clean.text, entry),
        doc_type=doc_type,
        cities=cities,
        regulation=(legal.regulation if legal is not None
                    else enacting_regulation(clean, gazetteer) if plan is not None else None),
        plan=plan.plan if plan is not None else None,
        page_count=len(extracted.pages),
        passage_count=len(passages),
        ocr_pages=tuple(p.number for p in extracted.pages if p.source == "ocr"),
        warnings=(*warnings, *instruction_warnings(path.name, clean.text)),
        acronyms=entries(acronyms),
        reader=READER_VERSION,
    )
    return ProcessedDocument(meta, clean, passages, mentions, legal, timings, indicators)


# A warning quotes a few flagged sentences, each cut short: enough for a curator to find them.
WARNED_SENTENCES = 3
WARNED_CHARS = 120


def instruction_warnings(name: str, text: str) -> tuple[str, ...]:
    """The sentences that read as orders to an assistant stay in the document (its offsets and pages are the
    source's) but are never quoted as evidence; the warning says so, so a curator can look at the source."""
    flagged = flag_instructions(text)
    if not flagged:
        return ()
    shown = "; ".join(f'"{f.text[:WARNED_CHARS]}{"…" if len(f.text) > WARNED_CHARS else ""}"'
                      for f in flagged[:WARNED_SENTENCES])
    more = f" and {len(flagged) - WARNED_SENTENCES} more" if len(flagged) > WARNED_SENTENCES else ""
    return (f"{name}: {len(flagged)} sentence(s) read as instructions to an assistant (a possible prompt "
            f"injection) are kept but never quoted: {shown}{more}",)


def process_path(path: Path, settings: Settings) -> ProcessedDocument:
    """Worker entry point: looks up the manifest itself so only the path crosses the process boundary."""
    from ingest.manifest import manifest_entry_for

    return process_file(path, settings, manifest_entry_for(path))


def attach_passages(nodes: tuple, passages: list[Passage]) -> tuple:
    """Fill each outline node with the passages that lie inside it, so an outline entry opens its text."""
    out = []
    for node in nodes:
        inside = tuple(p.passage_id for p in passages if node.start <= p.start and p.end <= node.end)
        children = attach_passages(node.children, passages)
        out.append(node.model_copy(update={"passage_ids": inside, "children": children}))
    return tuple(out)
