"""The page's own CSS: what its ``<style>`` rules, ``style`` attributes and presentational attributes
(``<font color>``, ``bgcolor``) declare for each element, weighed as the cascade does (``!important``,
inline, specificity, source order).

tinycss2 parses style sheets, at-rules and declarations as the CSS Syntax spec says (comments, strings,
escapes, ``!important``, unclosed blocks); ``selectors.py`` matches the rules' selectors. Rules for other
media (``print``, width queries) are left out; linked style sheets are never fetched, so their hidden text
is kept (the PDF of such a page would show it).
"""

from __future__ import annotations

import functools
import itertools
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import tinycss2
from bs4 import Tag

from ingest.loaders.legibility import (
    DEFAULT_PX,
    INVISIBLE_ALPHA,
    TINY_PX,
    Value,
    font_px,
    is_colour,
    is_size,
    keyword,
    opacity,
    significant,
)
from ingest.loaders.selectors import ElementIndex, Selector, Specificity, compile_selectors

logger = logging.getLogger(__name__)

MAX_MATCHES = 200_000
MAX_NESTING = 3
Rank = tuple[int, int, Specificity, int]  # (!important, inline, specificity, source order)
Declared = dict[str, tuple[Value, Rank]]
Declarations = dict[str, tuple[Value, bool]]  # property -> (value, !important)

_TRACKED = frozenset({"display", "visibility", "opacity", "color", "font-size", "background-color",
                      "background-image"})
_LOWEST: Rank = (0, 0, (0, 0, 0), -1)
_NO_SELECTOR: Specificity = (0, 0, 0)


# --- declarations ----------------------------------------------------------------------------------------

def parse_declarations(content: str | Iterable[Any]) -> Declarations:
    """The tracked properties of a declaration block (a rule's content or a ``style`` attribute)."""
    out: Declarations = {}
    for item in tinycss2.parse_blocks_contents(content, skip_comments=True, skip_whitespace=True):
        if item.type == "declaration":
            for name, value in _longhands(item.lower_name, significant(item.value)):
                out[name] = (value, item.important)
    return out


def _inline_declarations(style: str) -> Declarations:
    """A ``style`` attribute's declarations, read-only: the cache hands the same dict to each caller."""
    # Pages saved from Word repeat one style attribute on every span, and tinycss2 tokenizes in pure Python;
    # a long one is not kept, so that the cache cannot hold on to a hostile page's megabytes.
    return _cached_declarations(style) if len(style) <= 1000 else parse_declarations(style)


_cached_declarations = functools.lru_cache(maxsize=4096)(parse_declarations)


def _longhands(name: str, value: Value) -> Iterator[tuple[str, Value]]:
    """The tracked properties one declaration sets: the shorthands ``background`` and ``font`` reduced."""
    if name == "background":
        if any(_is_image(token) for token in value):
            yield "background-image", value
        name, value = "background-color", tuple(itertools.islice(filter(is_colour, value), 1))
    elif name == "font":
        # "font: bold 12px/1.5 Arial", or the hiding idiom "font: 0/0 a": the size comes before any "/".
        before_slash = itertools.takewhile(lambda token: token != "/", value)
        name, value = "font-size", tuple(itertools.islice(filter(is_size, before_slash), 1))
    if name in _TRACKED and value:
        yield name, value


def _is_image(token: Any) -> bool:
    if token.type == "url":
        return True
    return token.type == "function" and any(word in token.lower_name for word in ("url", "gradient", "image"))


# --- the page's style sheets -----------------------------------------------------------------------------

def _sheets(root: Tag) -> Iterator[str]:
    # Never cut short: padding would push a hiding rule past the cut. A style sheet too big to read in time
    # fails the file at its parse deadline, which keeps its hidden text out all the same.
    for style in root.find_all("style"):
        media = str(style.get("media", ""))
        if not media or _for_screen(tinycss2.parse_component_value_list(media)):
            yield style.get_text()


def _for_screen(query: Iterable[Any]) -> bool:
    """A media query for the screen or all media, without features (widths and colour schemes vary)."""
    tokens = significant(list(query))
    if any(token.type in ("() block", "function") for token in tokens):
        return False
    kinds = {token.lower_value for token in tokens if token.type == "ident"} - {"only"}
    return not kinds or bool(kinds & {"screen", "all"})


def _style_rules(nodes: Iterable[Any], depth: int = 0) -> Iterator[Any]:
    """The qualified rules in source order, with those of ``@media`` for the screen and ``@supports``."""
    for node in nodes:
        if node.type == "qualified-rule":
            yield node
        elif node.type == "at-rule" and node.content is not None and depth < MAX_NESTING and (
                node.lower_at_keyword == "supports" or
                (node.lower_at_keyword == "media" and _for_screen(node.prelude))):
            yield from _style_rules(tinycss2.parse_blocks_contents(node.content, skip_comments=True,
                                                                   skip_whitespace=True), depth + 1)


@dataclass(frozen=True)
class _Rule:
    order: int
    selector: Selector
    declarations: Declarations


def _rules(root: Tag) -> list[_Rule]:
    rules: dict[tuple[str, str], _Rule] = {}
    nodes = (node for sheet in _sheets(root)
             for node in _style_rules(tinycss2.parse_stylesheet(sheet, skip_comments=True, skip_whitespace=True)))
    for order, node in enumerate(nodes):
        declarations = parse_declarations(node.content)
        if not declarations:
            continue
        signature = _signature(declarations)
        for selector in compile_selectors(node.prelude):
            rules.pop((selector.source, signature), None)  # a repeated rule counts once, at its last place
            rules[(selector.source, signature)] = _Rule(order, selector, declarations)
    return list(rules.values())


def _signature(declarations: Declarations) -> str:
    try:
        return repr(sorted((name, tinycss2.serialize(value), important)
                           for name, (value, important) in declarations.items()))
    except RecursionError:  # a value nested thousands deep (serialize recurses): never taken for a repeat
        return f"unique {id(declarations)}"


# --- matching and the cascade ----------------------------------------------------------------------------

def stylesheet_styles(root: Tag) -> dict[int, Declared]:
    """What the page's ``<style>`` rules declare for each element (keyed by ``id(tag)``), cascade-ranked.

    Matching is bounded (soupsieve matches some 50,000 elements a second): rules that hide text are matched
    first, within a budget of their own, so that a flood of other rules cannot crowd out a ``display:none``.
    The other rules (colours, backgrounds, what shows text again) follow; when they need more than their
    budget, none of them are applied rather than some, so that white text is never judged against a
    background rule that was left out."""
    rules = _rules(root)
    if not rules:
        return {}
    index = ElementIndex(root)
    styles: dict[int, Declared] = {}
    _apply([r for r in rules if _hides(r.declarations)], index, styles, MAX_MATCHES)
    hidden_only = {key: dict(declared) for key, declared in styles.items()}
    if _apply([r for r in rules if not _hides(r.declarations)], index, styles, MAX_MATCHES) < 0:
        logger.info("the page's style rules need more than %d matches; only those that hide were applied",
                    MAX_MATCHES)
        return hidden_only
    return styles


def _hides(declarations: Declarations) -> bool:
    def value(name: str) -> Value:
        return declarations.get(name, ((), False))[0]

    size = value("font-size")
    return (keyword(value("display")) == "none" or keyword(value("visibility")) in ("hidden", "collapse")
            or opacity(value("opacity")) <= INVISIBLE_ALPHA or (bool(size) and font_px(size, DEFAULT_PX) <= TINY_PX))


def _apply(rules: list[_Rule], index: ElementIndex, styles: dict[int, Declared], budget: int) -> int:
    """Declare ``rules`` on the elements they match; the budget left (negative: it ran out, rules skipped)."""
    for rule in rules:
        candidates = index.candidates(rule.selector)
        if not candidates:
            continue
        budget -= len(candidates)
        if budget < 0:
            return budget
        for tag in rule.selector.filter(candidates):
            declared = styles.setdefault(id(tag), {})
            for name, (value, important) in rule.declarations.items():
                _declare(declared, name, value, (int(important), 0, rule.selector.specificity, rule.order))
    return budget


def _declare(declared: Declared, name: str, value: Value, rank: Rank) -> None:
    if name not in declared or rank >= declared[name][1]:
        declared[name] = (value, rank)


def element_style(tag: Tag, styles: dict[int, Declared]) -> dict[str, Value]:
    """The tracked properties that win the cascade for ``tag``: presentational attributes, the page's rules
    (from :func:`stylesheet_styles`), its ``style`` attribute."""
    declared: Declared = {}
    if tag.name == "font" and tag.get("color"):
        declared["color"] = (_attribute_value(tag["color"]), _LOWEST)
    if tag.get("bgcolor"):
        declared["background-color"] = (_attribute_value(tag["bgcolor"]), _LOWEST)
    for name, entry in styles.get(id(tag), {}).items():
        _declare(declared, name, *entry)
    if inline := tag.get("style"):
        for name, (value, important) in _inline_declarations(str(inline)).items():
            _declare(declared, name, value, (int(important), 1, _NO_SELECTOR, 0))
    return {name: value for name, (value, _rank) in declared.items()}


def _attribute_value(value: Any) -> Value:
    return significant(tinycss2.parse_component_value_list(str(value)))
