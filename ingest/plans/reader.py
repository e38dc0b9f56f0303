"""A plan read as a plan: its identity (kind, region, period), its chapters as sections, and its target tables'
rows tied to the clean text (offsets) and to the passages that cite them."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from core.gazetteer import Gazetteer
from core.settings import Settings
from core.types import CleanDocument, IndicatorRow, LegalDocument, ManifestEntry, Passage, PlanRef, Section
from ingest.plans.identity import find_chapters, nest_in_chapters, plan_kind, read_plan_identity
from ingest.plans.row_spans import FIRST_VALUE_WITHIN, row_values
from ingest.plans.scanned import scanned_page_tables
from ingest.plans.tables import RawRow, read_indicator_rows
from ingest.structure import find_sections

logger = logging.getLogger(__name__)

# Target and budget tables carry these words; other pages are not handed to the (slow) table reader.
_TABLE_PAGE = re.compile(r"indikator|target|anggaran|pagu", re.IGNORECASE)
_ANCHOR_CHARS = 40
_TAIL_CHARS = 20


@dataclass(frozen=True)
class PlanReading:
    plan: PlanRef
    sections: list[Section]


def is_plan(text: str, entry: ManifestEntry | None, legal: LegalDocument | None) -> bool:
    """A plan, or the regulation enacting one (its 'tentang' names the plan); the curator's doc_type wins."""
    if entry is not None and entry.doc_type is not None:
        return entry.doc_type == "plan"
    if legal is not None and legal.regulation is not None:
        return plan_kind(legal.regulation.subject or "") is not None
    return plan_kind(text) is not None


def read_plan(clean: CleanDocument, legal: LegalDocument | None, gazetteer: Gazetteer) -> PlanReading | None:
    plan = read_plan_identity(clean.text, gazetteer)
    if plan is None:
        return None
    chapters = find_chapters(clean)
    if legal is not None and chapters:
        # The enacting regulation's own articles come before the annex's chapters.
        base = [s for s in legal.sections if s.end <= chapters[0].start]
        base += [s for s in find_sections(clean.text) if s.start >= chapters[0].start]
    else:
        base = list(legal.sections) if legal is not None else find_sections(clean.text)
    return PlanReading(plan, nest_in_chapters(chapters, base))


def table_pages(clean: CleanDocument) -> list[int]:
    return [p.number for p in clean.pages if _TABLE_PAGE.search(re.sub(r"\s+", "", clean.text[p.start:p.end]))]


def read_rows(path: Path, clean: CleanDocument, budget_s: float, settings: Settings | None = None
              ) -> tuple[list[RawRow], list[str]]:
    """The target-table rows of a PDF, and warnings for the user: pages the time budget left unread, or why no
    table was read. Born-digital pages are read with pdfplumber; pages read by OCR (scans) are read from their
    image (ingest.plans.scanned) when ``settings`` (for the OCR) is given."""
    pages = table_pages(clean)
    if not pages:
        return [], []
    scanned = [p.number for p in clean.pages if p.source == "ocr" and p.number in set(pages)]
    skipped: list[int] = []
    try:
        rows = read_indicator_rows(path, pages, deadline=time.monotonic() + budget_s, skipped=skipped,
                                   scanned=scanned_page_tables(path, settings) if settings is not None else None,
                                   scanned_pages=scanned)
    except Exception as exc:  # pdfminer raises many types on odd files; the plan's text is still ingested
        logger.warning("%s: indicator tables not read (%s)", path.name, exc)
        return [], [f"{path.name}: the plan's indicator tables could not be read ({type(exc).__name__})"]
    if skipped:
        return rows, [f"{path.name}: indicator tables of {len(skipped)} page(s) from p. {skipped[0]} not read "
                      f"within the {budget_s:.0f} s left for tables (the table budget "
                      "BK_INGEST__PLAN_TABLES_BUDGET_S, within the parse time limit BK_INGEST__PARSE_TIMEOUT_S)"]
    return rows, []


def _alnum_index(text: str) -> tuple[str, list[int]]:
    """The text's letters and digits, lower case, with each one's offset: a match survives letter-spacing,
    line breaks and the interleaving of table columns in the text layer."""
    chars, offsets = [], []
    for i, ch in enumerate(text):
        if ch.isalnum():
            chars.append(ch.lower())
            offsets.append(i)
    return "".join(chars), offsets


def locate(indicator: str, clean: CleanDocument, page: int, values: Sequence[str] = ()) -> tuple[int, int] | None:
    """Where the indicator's words are on its page of the clean text: (start, end), or None. With the row's
    ``values`` (as row_spans.row_values gives them), where its first value follows them: a page often names an
    indicator in the narrative above its table too ('Indikator ini merupakan ...'), and the row, not that prose, is
    what the answer quotes and the evidence ``/search`` puts first."""
    span = next((p for p in clean.pages if p.number == page), None)
    if span is None:
        return None
    flat, offsets = _alnum_index(clean.text[span.start:span.end])
    wanted, _ = _alnum_index(indicator)
    if len(wanted) < 6:
        return None
    anchor = wanted[:_ANCHOR_CHARS]
    at = flat.find(anchor)
    if at < 0:
        return None
    if values:
        found = at
        while found >= 0 and flat.find(values[0], found + len(anchor),
                                       found + len(wanted) + FIRST_VALUE_WITHIN) < 0:
            found = flat.find(anchor, found + 1)
        at = found if found >= 0 else at  # no occurrence with its values: the first, as before
    end_at = at + len(wanted) if flat.startswith(wanted, at) else -1
    if end_at < 0:
        tail = flat.find(wanted[-_TAIL_CHARS:], at, at + 3 * len(wanted))
        end_at = tail + _TAIL_CHARS if tail >= 0 else at + min(len(wanted), _ANCHOR_CHARS)
    return span.start + offsets[at], span.start + offsets[end_at - 1] + 1


def _passage_for(passages: Sequence[Passage], offset: int | None, page: int) -> str | None:
    if offset is not None:
        hit = next((p for p in passages if p.start <= offset < p.end), None)
        if hit is not None:
            return hit.passage_id
    on_page = next((p for p in passages if p.page_start <= page <= p.page_end), None)
    return on_page.passage_id if on_page else None


def indicator_rows(raw: Sequence[RawRow], clean: CleanDocument, passages: Sequence[Passage], *, doc_id: str,
                   plan_key: str) -> list[IndicatorRow]:
    rows = []
    for r in raw:
        found = locate(r.indicator, clean, r.page, row_values(r))
        start, end = found if found else (None, None)
        rows.append(IndicatorRow(
            row_id=f"{doc_id}:p{r.page}:t{r.table_index}:r{r.row_index}:{r.item}", doc_id=doc_id, plan_key=plan_key,
            page=r.page, table=r.table, indicator=r.indicator, unit=r.unit, baseline=r.baseline,
            targets=tuple(r.targets), end_target=r.end_target, actuals=tuple(r.actuals),
            budgets=tuple(r.budgets), budget_realised=tuple(r.budget_realised), goal=r.goal,
            programme=r.programme, code=r.code, agency=r.agency, bbox=r.bbox, start=start, end=end,
            passage_id=_passage_for(passages, start, r.page),
        ))
    return rows
