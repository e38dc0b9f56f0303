"""The headings of the batang tubuh as a tree: each runs to the next heading of its level or higher."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from core.types import OutlineNode
from ingest.legal.lines import rstrip_end

if TYPE_CHECKING:
    from ingest.legal.amendments import Directive

# Pasal I of an amending regulation holds its numbered changes ("angka"), each the article it rewrites; an
# amended article sits at a Pasal's level, like a diktum of a Keputusan.
LEVEL = {"amendment_article": 0, "amendment_item": 1, "bab": 2, "bagian": 3, "paragraf": 4, "pasal": 5,
         "amended_pasal": 5, "diktum": 5}
ARTICLE_KINDS = {"pasal", "amendment_article", "amendment_item", "amended_pasal"}
AMENDMENT_KINDS = {"amendment_article", "amendment_item", "amended_pasal"}


@dataclass
class Heading:
    kind: str
    label: str
    number: str
    start: int
    title: str = ""
    head_end: int = 0
    end: int = 0
    children: list[Heading] = field(default_factory=list)
    changes: list[Directive] = field(default_factory=list)  # the amendment directives in its own text

    @property
    def path_label(self) -> str:
        """How the unit reads in a citation path: an amended article says what happened to it."""
        return f"{self.label} ({self.title})" if self.kind == "amended_pasal" and self.title else self.label

    @property
    def own_end(self) -> int:
        """Where the heading's own text ends: at its first child, else at its end."""
        return self.children[0].start if self.children else self.end


def nest(flat: list[Heading], text: str, end: int) -> list[Heading]:
    """Each heading runs to the next one of its level or higher; deeper ones become its children."""
    for n, heading in enumerate(flat):
        level = LEVEL[heading.kind]
        stop = next((h.start for h in flat[n + 1 :] if LEVEL[h.kind] <= level), end)
        heading.end = rstrip_end(text, heading.start, stop)
    roots: list[Heading] = []
    stack: list[Heading] = []
    for heading in flat:
        while stack and LEVEL[stack[-1].kind] >= LEVEL[heading.kind]:
            stack.pop()
        (stack[-1].children if stack else roots).append(heading)
        stack.append(heading)
    return roots


def walk(headings: list[Heading]) -> Iterator[Heading]:
    for h in headings:
        yield h
        yield from walk(h.children)


def to_node(h: Heading) -> OutlineNode:
    children = sorted([*(d.node() for d in h.changes), *(to_node(c) for c in h.children)], key=lambda n: n.start)
    return OutlineNode(kind=h.kind, label=h.label, title=h.title, start=h.start, end=h.end, children=tuple(children))
