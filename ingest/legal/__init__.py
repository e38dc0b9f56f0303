"""Indonesian legal structure: title block, konsiderans, BAB → Bagian → Paragraf → Pasal → ayat, diktum,
Penjelasan, Lampiran, amendments (Pasal I / II and what they change) and the regulation's own relations
(cites / amends / revokes).

Every offset is into the text given (a document's clean text). The parts, in the order a regulation is read:
``title`` (the title block), ``konsiderans``, ``body`` (the batang tubuh's headings, nested by
``headings``), ``amendments``, ``closing`` (Penutup, Penjelasan, Lampiran), ``sections`` and ``ayat`` (the
units to chunk) and ``relations``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from core.legal_patterns import ARTICLE, DECIDING, ENACTING, TITLE_WORD
from core.types import AmendedUnit, LegalDocument, OutlineNode, Region, RegulationRef, RegulationRelation
from ingest.legal.amendments import amended_units, record_changes
from ingest.legal.body import scan_body
from ingest.legal.closing import MENETAPKAN, closing_start, tail_nodes
from ingest.legal.headings import Heading, nest, to_node
from ingest.legal.konsiderans import Part, konsiderans
from ingest.legal.lines import first_at
from ingest.legal.relations import RelationReader
from ingest.legal.sections import sections
from ingest.legal.title import parse_title

if TYPE_CHECKING:
    from core.gazetteer import Gazetteer

__all__ = ["amendment_changes", "looks_like_regulation", "outline_counts", "parse_legal"]

_SIGNS = (
    re.compile(rf"^\s*(?:{TITLE_WORD})\b.*\n(?:.*\n){{0,3}}?\s*NOMOR\b", re.M),
    re.compile(r"^\s*Menimbang\b", re.M),
    re.compile(r"^\s*Mengingat\b", re.M),
    re.compile(rf"^\s*(?:{DECIDING}|{ENACTING})\b", re.M),
    re.compile(rf"^\s*{ARTICLE}\s*$", re.M),
    # An Instruksi has no konsiderans or articles: it instructs its addressees, item by item.
    re.compile(r"\bmenginstruksikan\b|^\s*Kepada\s*:", re.M | re.I),
    re.compile(r"^\s*KESATU\s*:", re.M),
)


def looks_like_regulation(text: str) -> bool:
    """A regulation opens with a title block and konsiderans; three of these signs are enough."""
    head = text[:20000]
    return sum(bool(sign.search(head)) for sign in _SIGNS) >= 3


def parse_legal(text: str, gazetteer: Gazetteer, hint: RegulationRef | None = None,
                number_reading: str | None = None) -> LegalDocument:
    """Parse a regulation's clean text into its legal structure.

    ``hint`` (what the manifest or file name says the regulation is) is used only for fields the text
    does not yield — the Kendari scan's handwritten number is the case in point. ``number_reading`` is the
    title's number read again from the scanned page where the text's reading was a guess.
    """
    title = parse_title(text, gazetteer, hint, number_reading)
    own = title.ref if title else hint
    region = title.region if title and title.region else _hint_region(hint, gazetteer)
    scan_from = title.end if title else 0
    decide = first_at(MENETAPKAN, text, scan_from, len(text))
    body_from = decide if decide is not None else scan_from
    closing = closing_start(text, body_from)
    tail = tail_nodes(text, closing if closing is not None else body_from)
    stops = [p for p in (closing, tail[0].start if tail else None) if p is not None]
    body_end = min(stops) if stops else len(text)
    amendment = bool(title and re.match(r"PERUBAHAN\b", title.raw_subject, re.I))
    flat = scan_body(text, body_from, body_end, amendment)
    amendment = amendment or any(h.kind == "amendment_article" for h in flat)
    roots = nest(flat, text, body_end)
    if amendment:
        record_changes(text, roots)
    parts = konsiderans(text, scan_from, flat[0].start if flat else body_end)
    reader = RelationReader(text, own, region, gazetteer) if own else None
    relations = reader.relations(title, parts, roots) if reader else []
    return LegalDocument(
        regulation=own,
        jenis=title.jenis if title else "",
        outline=tuple(_outline(parts, roots, tail)),
        sections=tuple(sections(text, title, parts, roots, tail, body_end)),
        relations=tuple(relations),
        is_amendment=amendment,
        amendments=_amendments(text, roots, relations, reader) if amendment and reader else (),
    )


def _hint_region(hint: RegulationRef | None, gazetteer: Gazetteer) -> Region | None:
    return gazetteer.resolve(hint.region_code) if hint and hint.region_code else None


def _amendments(text: str, roots: list[Heading], relations: Sequence[RegulationRelation],
                reader: RelationReader) -> tuple[AmendedUnit, ...]:
    """The changes, each of the regulation the title says is amended, else of the one its article names."""
    titled = next((r.target for r in relations if r.kind == "amends"), None)
    return amended_units(text, roots, lambda article: titled or reader.amended_in(article))


def _outline(parts: Sequence[Part], roots: list[Heading], tail: list[OutlineNode]) -> list[OutlineNode]:
    nodes = []
    if parts:
        nodes.append(OutlineNode(kind="konsiderans", label="Konsiderans", start=parts[0][1], end=parts[-1][2],
                                 children=tuple(OutlineNode(kind="konsiderans", label=name, start=s, end=e)
                                                for name, s, e in parts)))
    return nodes + [to_node(h) for h in roots] + tail


def outline_counts(doc: LegalDocument) -> dict:
    """Summary figures for tests and for the outline-accuracy measure."""
    nodes = list(_walk_nodes(doc.outline))
    pasal = [n.label.split(" ", 1)[1] for n in nodes if n.kind == "pasal"]
    return {
        "bab": sum(n.kind == "bab" for n in nodes),
        "bagian": sum(n.kind == "bagian" for n in nodes),
        "paragraf": sum(n.kind == "paragraf" for n in nodes),
        "pasal": len(pasal),
        "pasal_numbers": pasal,
        "first_pasal": pasal[0] if pasal else None,
        "last_pasal": pasal[-1] if pasal else None,
        "amendment_articles": [n.label for n in nodes if n.kind == "amendment_article"],
        "amended_pasal": [n.label for n in nodes if n.kind == "amended_pasal"],
        "amendment_changes": [(a.unit, a.action) for a in doc.amendments],
        "diktum": [n.label for n in nodes if n.kind == "diktum"],
        "lampiran": sum(n.kind == "lampiran" for n in nodes),
        "penjelasan": sum(n.kind == "penjelasan" for n in nodes),
    }


def amendment_changes(doc: LegalDocument) -> list[OutlineNode]:
    """The outline's amendment_change nodes: one per directive, labelled with the units it names ('Pasal 11',
    'Pasal 11A, Pasal 11B'), titled with the action. ``doc.amendments`` holds the same changes one unit each,
    with the amended regulation."""
    return [n for n in _walk_nodes(doc.outline) if n.kind == "amendment_change"]


def _walk_nodes(nodes: Sequence[OutlineNode]) -> Iterator[OutlineNode]:
    for node in nodes:
        yield node
        yield from _walk_nodes(node.children)
