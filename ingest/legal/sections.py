"""The leaf units a regulation is chunked by: Judul, each konsiderans part, each Pasal (with its ayat),
heading passages, each diktum, Penutup, Penjelasan and each Lampiran."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from core.types import OutlineNode, PassageKind, Section
from ingest.legal.ayat import ayat_sections
from ingest.legal.headings import ARTICLE_KINDS, Heading
from ingest.legal.konsiderans import Part
from ingest.legal.lines import rstrip_end
from ingest.legal.title import Title

_HEADING_KINDS = {"bab", "bagian", "paragraf"}


def sections(text: str, title: Title | None, konsiderans: Sequence[Part], roots: list[Heading],
             tail: Sequence[OutlineNode], body_end: int) -> list[Section]:
    out = []
    if title:
        first = len(text) - len(text.lstrip())
        stop = konsiderans[0][1] if konsiderans else title.end
        out.append(Section(path=("Judul",), start=first, end=rstrip_end(text, first, stop), kind=PassageKind.TITLE))
    out += [Section(path=("Konsiderans", name), start=s, end=e, kind=PassageKind.KONSIDERANS)
            for name, s, e in konsiderans]
    out += _merge_headings(list(_body_sections(text, roots, ())))
    closing_end = tail[0].start if tail else len(text)
    if roots and body_end < closing_end and text[body_end:closing_end].strip():
        out.append(Section(path=("Penutup",), start=body_end, end=rstrip_end(text, body_end, closing_end)))
    for node in tail:
        label = node.label.title() if node.kind == "penjelasan" else "Lampiran" + node.label[8:]
        out.append(Section(path=(label,), start=node.start, end=node.end, kind=PassageKind(node.kind)))
    return [s for s in out if s.end > s.start]


def _body_sections(text: str, headings: list[Heading], parents: tuple[str, ...],
                   opening: int | None = None) -> Iterator[Section]:
    """``opening``: where the first heading's section starts when the parent's heading stands bare above it."""
    for n, h in enumerate(headings):
        path = (*parents, h.path_label)
        start = opening if n == 0 and opening is not None else h.start
        own_end = rstrip_end(text, start, h.children[0].start) if h.children else h.end
        bare = h.kind in ARTICLE_KINDS and bool(h.children) and not text[h.head_end : h.children[0].start].strip()
        if h.kind in ARTICLE_KINDS:
            # A bare "Pasal I" (or "1. Ketentuan ... diubah:") travels with the article it introduces.
            if not bare:
                yield Section(path=path, start=start, end=own_end, kind=PassageKind.PASAL)
            if not h.children:
                yield from ayat_sections(text, h, path)
        elif h.kind in _HEADING_KINDS:
            # A heading passage cites the unit it heads; a BAB heading with its first Bagian's heading
            # right under it heads that Bagian too ("BAB III › Bagian Kesatu").
            yield Section(path=path, start=start, end=own_end, kind=PassageKind.HEADING)
        elif h.kind == "diktum":
            yield Section(path=(*parents, f"Diktum {h.label}"), start=start, end=h.end, kind=PassageKind.DIKTUM)
        yield from _body_sections(text, h.children, path, start if bare else None)


def _merge_headings(found: list[Section]) -> list[Section]:
    """Consecutive heading sections, each heading the next, become one passage named by the innermost."""
    out: list[Section] = []
    for s in found:
        prev = out[-1] if out else None
        if (prev is not None and prev.kind == s.kind == PassageKind.HEADING and s.path[: len(prev.path)] == prev.path
                and prev.end <= s.start):
            out[-1] = s.model_copy(update={"start": prev.start})
        else:
            out.append(s)
    return out
