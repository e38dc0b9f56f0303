"""A regulation's own relations: what it cites (its Mengingat, the regulations its amending article names),
amends or revokes (its title: "PERUBAHAN ATAS …", "PENCABUTAN …"; its articles: "… dicabut dan dinyatakan
tidak berlaku")."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from core.legal_patterns import NAMING_WORD, REVOCATION
from core.types import Region, RegulationRef, RegulationRelation
from ingest.legal.headings import Heading, walk
from ingest.legal.konsiderans import Part
from ingest.legal.lines import collapse
from ingest.legal.title import NOMOR, Title, parse_heading_ref, subject_case
from ingest.regulations import parse_regulation_refs

if TYPE_CHECKING:
    from core.gazetteer import Gazetteer

_AMENDS_SUBJECT = re.compile(
    r"^(?P<what>PERUBAHAN(?:\s+\w+)?\s+ATAS|PENCABUTAN(?:\s+ATAS)?)\s+(?P<target>.+?\bNOMOR\b.+?\b(?:TAHUN\s+\d{4}|/\d{4}))",
    re.I,
)
# Where one legal basis ends and the next begins: a ';', a numbered item, or (when OCR lost the numbers)
# "...Nomor 3602), Undang-Undang ...".
_ITEM_BREAK = re.compile(rf";|^\s*\d{{1,2}}\s*\.\s|(?<=\)),\s+(?=(?:{NAMING_WORD})\b)", re.M)
_EVIDENCE_CHARS = 500
# "diubah dengan Peraturan Wali Kota:\na. Nomor 53 Tahun 2022 ..., dan\nb. Nomor 28 Tahun 2023": one instrument
# named for a list of numbers.
_SHARED_JENIS = re.compile(
    r"\b(?P<jenis>(?:Peraturan|Keputusan)(?:\s+[A-Z][a-z]+){1,4})\s*:\s*(?=[a-z]\s*\.\s*Nomor\b)"
)
_LISTED_NOMOR = re.compile(r"\s*[a-z]\s*\.\s*(?P<ref>Nomor\s+\S+\s+Tahun\s+\d{4})[^\n]*")


class RelationReader:
    """Reads the relations of one regulation (``own``, issued by ``region``) from its parsed parts."""

    def __init__(self, text: str, own: RegulationRef, region: Region | None, gazetteer: Gazetteer) -> None:
        self.text, self.own, self.region, self.gazetteer = text, own, region, gazetteer

    def relations(self, title: Title | None, konsiderans: list[Part], roots: list[Heading]) -> list[RegulationRelation]:
        """Amends/revokes from the title, cites from Mengingat, revokes from the articles, and the regulations
        the amending articles name (cites, unless amended or revoked already); one edge per kind and target."""
        found = self._subject(title) if title else []
        found += self._cites(konsiderans) + self._revokes(roots)
        changed = {r.target.key for r in found if r.kind in {"amends", "revokes"}}
        found += [r for r in self._preamble_references(roots) if r.target.key not in changed]
        seen: set[tuple[str, str]] = set()
        unique = []
        for rel in found:
            if (rel.kind, rel.target.key) not in seen and rel.target.key != self.own.key:
                seen.add((rel.kind, rel.target.key))
                unique.append(rel)
        return unique

    def amended_in(self, article: Heading) -> RegulationRef | None:
        """The regulation an amending article changes: the first one it names before or in its first directive
        ("Beberapa ketentuan dalam Peraturan Wali Kota Kendari Nomor 48 Tahun 2021 ... diubah sebagai berikut:",
        "Ketentuan Pasal 11 dalam Peraturan Wali Kota ... diubah")."""
        first = min((d for h in walk([article]) for d in h.changes), key=lambda d: d.start, default=None)
        named = self.text[article.head_end : max(article.own_end, first.end) if first else article.own_end]
        mentions = parse_regulation_refs(named, self.gazetteer, default_region=self.region)
        return next((m.ref for m in mentions if m.ref.key != self.own.key), None)

    def _subject(self, title: Title) -> list[RegulationRelation]:
        m = _AMENDS_SUBJECT.match(title.raw_subject)
        if not m:
            return []
        target_text = m.group("target")
        nomor = NOMOR.search(target_text)
        jenis = target_text[: nomor.start()] if nomor else target_text
        instrument, target_region, number, year = parse_heading_ref(jenis, nomor, self.gazetteer, self.region)
        if not number:
            return []
        subject = re.sub(r"^\s*TENTANG\s+", "", title.raw_subject[m.end() :], flags=re.I).strip()
        target = RegulationRef(instrument=instrument, number=number, year=year,
                               region_code=target_region.code if target_region else None,
                               region_name=target_region.official if target_region else None,
                               subject=subject_case(subject) or None, surface=collapse(target_text))
        kind = "revokes" if m.group("what").upper().startswith("PENCABUTAN") else "amends"
        return [RegulationRelation(kind=kind, source=self.own, target=target, evidence=title.raw_subject)]

    def _cites(self, konsiderans: list[Part]) -> list[RegulationRelation]:
        """Every regulation the Mengingat names, however its items are (or are not, after OCR) numbered."""
        return [rel for name, start, end in konsiderans if name == "Mengingat"
                for rel in self._references(self.text[start:end])]

    def _references(self, passage: str) -> list[RegulationRelation]:
        out = [self._cite(mention.ref, _evidence(passage, mention.start))
               for mention in parse_regulation_refs(passage, self.gazetteer, default_region=self.region)]
        for shared in _SHARED_JENIS.finditer(passage):
            pos = shared.end()
            while item := _LISTED_NOMOR.match(passage, pos):
                listed = f"{shared.group('jenis')} {item.group('ref')}"
                out += [self._cite(mention.ref, collapse(item.group()))
                        for mention in parse_regulation_refs(listed, self.gazetteer, default_region=self.region)]
                pos = item.end()
        return out

    def _cite(self, target: RegulationRef, evidence: str) -> RegulationRelation:
        return RegulationRelation(kind="cites", source=self.own, target=target, evidence=evidence)

    def _preamble(self, article: Heading) -> str:
        return self.text[article.head_end : article.own_end]

    def _preamble_references(self, roots: list[Heading]) -> list[RegulationRelation]:
        """The regulations an amending article names before its changes: the amended one and its earlier
        amendments ("yang telah beberapa kali diubah terakhir dengan Peraturan Wali Kota Nomor 28 Tahun 2023")."""
        return [rel for h in roots if h.kind == "amendment_article" for rel in self._references(self._preamble(h))]

    def _revokes(self, roots: list[Heading]) -> list[RegulationRelation]:
        out = []
        for h in walk(roots):
            if h.kind not in {"pasal", "diktum", "amendment_article"}:
                continue
            body = self.text[h.head_end : h.own_end]
            for m in REVOCATION.finditer(body):
                begin = max(body.rfind(". ", 0, m.start()), body.rfind(";", 0, m.start()), -1) + 1
                sentence = body[begin : m.end()]
                out += [RegulationRelation(kind="revokes", source=self.own, target=mention.ref,
                                           evidence=collapse(sentence))
                        for mention in parse_regulation_refs(sentence, self.gazetteer, default_region=self.region)]
        return out


def _evidence(passage: str, pos: int) -> str:
    """The legal-basis item around ``pos``."""
    breaks = [m for m in _ITEM_BREAK.finditer(passage) if m.group() or m.start() != pos]
    begin = max((m.end() for m in breaks if m.end() <= pos), default=0)
    stop = next((m.start() for m in breaks if m.start() > pos), len(passage))
    return collapse(passage[begin:stop])[:_EVIDENCE_CHARS]
