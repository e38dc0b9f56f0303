"""What an amending regulation changes in the regulation it amends.

Its Pasal I holds numbered changes ("angka"), each introduced by a directive naming a unit of the amended
regulation and what happens to it: "Ketentuan Pasal 11 diubah sehingga berbunyi sebagai berikut:",
"Di antara Pasal 11 dan Pasal 12 disisipkan 1 (satu) pasal, yakni Pasal 11A ...", "Pasal 13 dihapus.".
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace

from core.legal_patterns import ARTICLE, PARAGRAPH, UNIT, UNIT_LIST
from core.types import AmendedUnit, AmendmentAction, OutlineNode, RegulationRef
from ingest.legal.headings import AMENDMENT_KINDS, Heading, walk
from ingest.legal.lines import collapse

_VERB = r"\b(?:diubah|disisipkan|dihapus|ditambah(?:kan)?)\b"
# "2. Di antara Pasal 11 dan Pasal 12 disisipkan ...": a numbered change opens with the unit it changes.
AMEND_ITEM = re.compile(
    rf"^(?P<num>\d{{1,3}})\s*\.\s+(?=(?:Ketentuan|Di\s*antara|Pasal|BAB|Bab|Bagian|Paragraf|Lampiran|Penjelasan"
    rf"|Judul|Ayat|Huruf|Angka|Setelah|Sebelum)\b).*{_VERB}"
)
# The line that introduces an amended article's new wording: "... diubah sehingga berbunyi sebagai berikut:".
DIRECTIVE_LINE = re.compile(rf"{_VERB}.*:$")

_AYAT_OF = rf"(?:(?P<ayat>{PARAGRAPH})\s+)?"
# "Ketentuan Pasal 11 [dalam Peraturan ... yang telah diubah dengan ...] diubah sehingga berbunyi ..."; the
# verb of an earlier amendment ("diubah dengan", "diubah beberapa kali") is not the directive's.
_CHANGED = re.compile(
    rf"Ketentuan\s+{_AYAT_OF}(?P<unit>{UNIT})(?:(?!Ketentuan\b)[\s\S]){{0,1200}}?"
    r"\b(?:diubah|ditambah(?:kan)?)\b(?!\s+(?:dengan|beberapa|terakhir))"
)
_INSERTED = re.compile(
    r"Di\s*antara\s+(?P<between>[^:;]{0,120}?)\s+disisipkan\b[^:;]{0,200}?\b(?:yakni|yaitu)\s+"
    rf"(?P<new>{UNIT_LIST})"
)
_DELETED = re.compile(rf"{_AYAT_OF}(?P<unit>{UNIT})\s+dihapus\b")
_NEW_UNIT = re.compile(rf"{ARTICLE}|{PARAGRAPH}")
# A directive's sentence runs on to "... sebagai berikut:" or its full stop, never past its line.
_DIRECTIVE_END = re.compile(r"[:;]|\.(?=\s|$)|(?=\n)")
_MAX_DIRECTIVE_TAIL = 300


@dataclass(frozen=True)
class Directive:
    """One directive and the units it names: several when it inserts more than one ("yakni Pasal 11A dan
    Pasal 11B"); offsets span the directive's sentence."""

    units: tuple[str, ...]
    action: AmendmentAction
    start: int
    end: int

    def node(self) -> OutlineNode:
        return OutlineNode(kind="amendment_change", label=", ".join(self.units), title=self.action,
                           start=self.start, end=self.end)


def amended_action(directive: str, number: str) -> str:
    """What the directive does to Pasal ``number``: 'disisipkan' when it inserts it, else 'diubah'."""
    if not directive:
        return ""
    inserted = re.search(r"disisipkan\b.*?\b(?:yakni|yaitu)\b(?P<new>.*)", directive)
    if inserted and re.search(rf"\bPasal\s+{re.escape(number)}\b", inserted.group("new")):
        return "disisipkan"
    return "diubah" if re.search(r"\b(?:diubah|ditambah(?:kan)?)\b", directive) else ""


def record_changes(text: str, roots: list[Heading]) -> None:
    """Read each amending unit's directives into its ``changes``. A unit named twice (the angka's line and the
    amended article's lead line are often one) is recorded once, where it is first named."""
    seen: set[tuple[str, str]] = set()
    for h in walk(roots):
        if h.kind not in AMENDMENT_KINDS:
            continue
        start = h.head_end if h.kind == "amendment_article" else h.start
        stop = h.head_end if h.kind == "amended_pasal" else h.own_end
        for directive in _directives(text, start, stop):
            units = tuple(u for u in directive.units if (u, directive.action) not in seen)
            overlaps = any(c.start < directive.end and directive.start < c.end for c in h.changes)
            if units and not overlaps:
                seen.update((u, directive.action) for u in units)
                h.changes.append(replace(directive, units=units))
        h.changes = _to_sentence_ends(text, h.changes, stop)


def _to_sentence_ends(text: str, directives: list[Directive], stop: int) -> list[Directive]:
    """Each directive runs on to the end of its sentence ("... sebagai berikut:"), short of the next one."""
    ordered = sorted(directives, key=lambda d: d.start)
    out = []
    for n, d in enumerate(ordered):
        limit = min(stop, d.end + _MAX_DIRECTIVE_TAIL, *(later.start for later in ordered[n + 1 :]))
        end = _DIRECTIVE_END.search(text, d.end, limit)
        out.append(replace(d, end=end.end() if end else d.end))
    return out


def amended_units(text: str, roots: list[Heading],
                  target_of: Callable[[Heading], RegulationRef | None]) -> tuple[AmendedUnit, ...]:
    """Every recorded change as an AmendedUnit of the regulation ``target_of`` (an amending article) amends."""
    out = []
    for article in (h for h in roots if h.kind == "amendment_article"):
        target = target_of(article)
        if target is None:
            continue
        for h in walk([article]):
            out += [AmendedUnit(target=target, unit=unit, action=d.action, start=d.start, end=d.end,
                                evidence=text[d.start : d.end]) for d in h.changes for unit in d.units]
    return tuple(sorted(out, key=lambda a: a.start))


def _directives(text: str, start: int, stop: int) -> Iterator[Directive]:
    def directive(units: list[str], action: AmendmentAction, m: re.Match[str]) -> Directive:
        return Directive(tuple(collapse(u) for u in units), action, m.start(), m.end())

    for m in _CHANGED.finditer(text, start, stop):
        yield directive([_unit_label(m.group("unit"), m.group("ayat"))], "diubah", m)
    for m in _INSERTED.finditer(text, start, stop):
        within = re.search(ARTICLE, m.group("between"))
        new = _NEW_UNIT.findall(m.group("new"))
        yield directive([n if n.startswith("Pasal") or within is None else f"{within.group()} {n}" for n in new],
                        "disisipkan", m)
    for m in _DELETED.finditer(text, start, stop):
        yield directive([_unit_label(m.group("unit"), m.group("ayat"))], "dihapus", m)


def _unit_label(unit: str, ayat: str | None) -> str:
    """'ayat (2) Pasal 15' is cited as 'Pasal 15 ayat (2)'."""
    return f"{unit} {ayat}" if ayat else unit
