"""The selectors of the page's style rules: parsed by cssselect2, matched by soupsieve.

cssselect2's parser gives each selector its specificity, its pseudo-element and its parts; soupsieve,
BeautifulSoup's own selector engine, matches it against the page (cssselect2 matches only ElementTree).
Selectors of pseudo-elements (whose generated text is not in the document) are left out.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import soupsieve
import tinycss2
from bs4 import Tag
from cssselect2 import parser as selector_parser

Specificity = tuple[int, int, int]
# States a static page is never in: soupsieve matches them to nothing, so matching them only spends budget.
_DYNAMIC = frozenset({"hover", "focus", "focus-within", "focus-visible", "active", "visited", "target"})


@dataclass(frozen=True)
class Selector:
    source: str  # as soupsieve reads it
    specificity: Specificity
    subject: str | None  # the id, class or tag name its rightmost part requires: the index key
    required: frozenset[str]  # each "#id" and ".class" an element of the chain must carry
    simple: bool  # nothing but the subject: the index alone answers it

    def filter(self, candidates: list[Tag]) -> list[Tag]:
        """The candidates (from :class:`ElementIndex`) this selector matches."""
        if self.simple:
            return candidates
        try:
            # filter() shares one matcher over the candidates; match() per element re-walks the tree each time.
            return list(soupsieve.compile(self.source).filter(candidates))
        except Exception:  # what cssselect2 parses but soupsieve does not support is skipped, as a browser would
            return []


def compile_selectors(prelude: Iterable[Any]) -> Iterator[Selector]:
    """The selectors of a rule's prelude (``h1, .note p``) that can match an element of a static page."""
    return filter(None, map(_compile, _split_list(prelude)))


def _split_list(prelude: Iterable[Any]) -> Iterator[list[Any]]:
    # Each selector of a list stands alone: one a parser cannot read does not take the others down with it.
    part: list[Any] = []
    for token in prelude:
        if token == ",":
            yield part
            part = []
        else:
            part.append(token)
    yield part


def _compile(tokens: list[Any]) -> Selector | None:
    """One selector of a rule's list; None for pseudo-elements, states a static page is never in, and what
    cannot be parsed (a browser drops those too)."""
    try:
        parsed = list(selector_parser.parse(tokens))
        source = tinycss2.serialize(tokens).strip()
    except Exception:  # SelectorError, and RecursionError on :not(:not(... thousands deep
        return None
    if len(parsed) != 1 or parsed[0].pseudo_element is not None:
        return None
    compounds = _compounds(parsed[0].parsed_tree)
    simples = [simple for compound in compounds for simple in compound.simple_selectors]
    if any(isinstance(simple, selector_parser.PseudoClassSelector) and simple.name in _DYNAMIC for simple in simples):
        return None
    subject = next(iter(_keys(compounds[0].simple_selectors)), None)
    simple = len(compounds) == 1 and len(compounds[0].simple_selectors) == 1 and subject is not None
    required = frozenset(key for key in _keys(simples) if key[0] in "#.")
    return Selector(source, parsed[0].specificity, subject, required, simple)


def _compounds(tree: Any) -> list[Any]:
    """The compound selectors of a chain (``.a > p``), rightmost first."""
    compounds = []
    while isinstance(tree, selector_parser.CombinedSelector):
        compounds.append(tree.right)
        tree = tree.left
    return [*compounds, tree]


def _keys(simples: Iterable[Any]) -> list[str]:
    """Index keys of simple selectors, ids and classes before tag names (the rarer key narrows more)."""
    ids_and_classes, names = [], []
    for simple in simples:
        if isinstance(simple, selector_parser.IDSelector):
            ids_and_classes.append(f"#{simple.ident}")
        elif isinstance(simple, selector_parser.ClassSelector):
            ids_and_classes.append(f".{simple.class_name}")
        elif isinstance(simple, selector_parser.LocalNameSelector):
            names.append(simple.lower_local_name)
    return ids_and_classes + names


class ElementIndex:
    """The page's elements by id, class and tag name, so that a rule is matched only against the elements its
    rightmost part can select (as browsers hash rules), and a rule naming a class or id the page never uses is
    skipped outright — most of a framework's style sheet."""

    def __init__(self, root: Tag) -> None:
        self.every = root.find_all(True)
        self.by_key: dict[str, list[Tag]] = {}
        for tag in self.every:
            keys = [tag.name, *(f".{c}" for c in tag.get_attribute_list("class") if c)]
            if tag.get("id"):
                keys.append(f"#{tag['id']}")
            for key in keys:
                self.by_key.setdefault(key, []).append(tag)

    def candidates(self, selector: Selector) -> list[Tag]:
        """Elements ``selector`` might match; empty when it names a class or id absent from the page."""
        if any(key not in self.by_key for key in selector.required):
            return []
        return self.by_key.get(selector.subject, []) if selector.subject else self.every
