"""HTML: the visible text, with block structure kept as line breaks.

BeautifulSoup with the lxml builder: it tolerates broken markup, decodes by the page's own
charset declaration, and (unlike lxml.html on its own, which stops at 256 levels) keeps the
whole tree of a pathologically deep page. The walk below uses an explicit stack, so a
10,000-level page cannot exhaust Python's recursion limit.

Hidden text is dropped: it is what a reader never sees, and a favourite place for keyword
stuffing or injected instructions. Hidden means what a browser would not show for the usual
tricks: ``display:none``, ``visibility:hidden``, ``opacity:0``, transparent text or text in the
colour of its background (white on white), a font size of 1pt or less, the ``hidden`` attribute
and ``aria-hidden``. Styles come from inline ``style`` attributes, presentational attributes
(``<font color>``, ``bgcolor``) and the page's own ``<style>`` rules, weighed as the cascade
does (``!important``, inline, specificity, source order). Selectors are matched by soupsieve,
BeautifulSoup's own selector engine; rules for states a static page is not in (``:hover``,
``::before``) or for other media (``print``, width queries) are ignored, and linked stylesheets
are never fetched, so their hidden text is kept (the PDF of such a page would show it).
"""

from __future__ import annotations

import colorsys
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import soupsieve
from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.element import PageElement, PreformattedString

from core.errors import DocumentError
from core.settings import Settings
from core.types import ExtractedDocument, Page
from ingest.loaders import unreadable

logger = logging.getLogger(__name__)

_DROPPED = frozenset({"script", "style", "noscript", "template", "head", "svg", "math", "iframe", "object",
                      "canvas", "select", "button"})
_PARAGRAPH_BLOCKS = frozenset({"p", "div", "section", "article", "header", "footer", "nav", "aside", "main",
                               "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "dl", "table", "blockquote",
                               "pre", "figure", "figcaption", "form", "fieldset", "address", "hr", "caption",
                               "details", "summary", "body", "html"})
_LINE_BLOCKS = frozenset({"li", "tr", "dt", "dd", "br", "legend", "option"})
_CELLS = frozenset({"td", "th"})
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")
_RUNS = re.compile(r" {2,}")
_CELL_GAPS = re.compile(r" *\t *")
_MARKERS = re.compile(r"(?:\x00[PLC])+")

_PARAGRAPH, _LINE, _CELL = "\x00P", "\x00L", "\x00C"

# --- colours and sizes -----------------------------------------------------------------------------------

Rgb = tuple[float, float, float]
BLACK: Rgb = (0.0, 0.0, 0.0)
WHITE: Rgb = (255.0, 255.0, 255.0)
# Text below this contrast with its background (WCAG ratio; #f5f5f5 on white is 1.09) cannot be read.
MIN_CONTRAST = 1.1
TINY_PX = 4 / 3  # 1pt
DEFAULT_PX = 16.0
_NAMED: dict[str, Rgb] = {
    "black": BLACK, "white": WHITE, "silver": (192, 192, 192), "gray": (128, 128, 128), "grey": (128, 128, 128),
    "red": (255, 0, 0), "maroon": (128, 0, 0), "green": (0, 128, 0), "lime": (0, 255, 0), "blue": (0, 0, 255),
    "navy": (0, 0, 128), "yellow": (255, 255, 0), "orange": (255, 165, 0), "purple": (128, 0, 128),
    "teal": (0, 128, 128), "aqua": (0, 255, 255), "fuchsia": (255, 0, 255), "lightgray": (211, 211, 211),
    "lightgrey": (211, 211, 211), "darkgray": (169, 169, 169), "darkgrey": (169, 169, 169),
    # Near-whites: the colours of "white on white".
    "snow": (255, 250, 250), "ivory": (255, 255, 240), "ghostwhite": (248, 248, 255),
    "whitesmoke": (245, 245, 245), "floralwhite": (255, 250, 240), "seashell": (255, 245, 238),
    "mintcream": (245, 255, 250), "azure": (240, 255, 255), "aliceblue": (240, 248, 255),
    "honeydew": (240, 255, 240), "linen": (250, 240, 230), "oldlace": (253, 245, 230),
    "lavenderblush": (255, 240, 245), "cornsilk": (255, 248, 220), "beige": (245, 245, 220),
    "lightyellow": (255, 255, 224),
}
_HEX = re.compile(r"#([0-9a-f]{3,8})")
_FUNCTION = re.compile(r"(rgba?|hsla?)\(([^)]*)\)")
_SIZE_KEYWORDS = {"xx-small": 9.0, "x-small": 10.0, "small": 13.0, "medium": 16.0, "large": 18.0,
                  "x-large": 24.0, "xx-large": 32.0, "xxx-large": 48.0}
_LENGTH = re.compile(r"^(-?[\d.]+)(px|pt|pc|em|rem|%|ex|ch|mm|cm|in|q)?$")
_UNIT_PX = {"px": 1.0, "pt": 4 / 3, "pc": 16.0, "rem": DEFAULT_PX, "mm": 96 / 25.4, "cm": 96 / 2.54, "in": 96.0,
            "q": 96 / 101.6}


@dataclass(frozen=True)
class Colour:
    rgb: Rgb
    alpha: float = 1.0


def parse_colour(value: str) -> Colour | None:
    """A CSS colour (names, #hex, rgb(a), hsl(a), transparent); None for anything else (inherit, var(), ...)."""
    value = value.strip().lower()
    if value == "transparent":
        return Colour(BLACK, 0.0)
    if value in _NAMED:
        return Colour(_NAMED[value])
    if hexed := _HEX.fullmatch(value):
        digits = hexed.group(1)
        if len(digits) in (3, 4):
            digits = "".join(ch * 2 for ch in digits)
        if len(digits) not in (6, 8):
            return None
        channels = [int(digits[i:i + 2], 16) for i in range(0, len(digits), 2)]
        return Colour((channels[0], channels[1], channels[2]), channels[3] / 255 if len(channels) == 4 else 1.0)
    if function := _FUNCTION.fullmatch(value):
        return _colour_function(function.group(1), function.group(2))
    return None


def _colour_function(name: str, arguments: str) -> Colour | None:
    parts = [p for p in re.split(r"[\s,/]+", arguments.strip()) if p]
    if len(parts) not in (3, 4):
        return None
    try:
        numbers = [float(p.rstrip("%").removesuffix("deg")) for p in parts]
    except ValueError:
        return None
    alpha = 1.0
    if len(parts) == 4:
        alpha = numbers[3] / 100 if parts[3].endswith("%") else numbers[3]
    if name.startswith("rgb"):
        rgb = tuple(n * 2.55 if p.endswith("%") else n for n, p in zip(numbers[:3], parts[:3], strict=True))
    else:
        r, g, b = colorsys.hls_to_rgb((numbers[0] % 360) / 360, numbers[2] / 100, numbers[1] / 100)
        rgb = (r * 255, g * 255, b * 255)
    return Colour((rgb[0], rgb[1], rgb[2]), max(0.0, min(1.0, alpha)))


def _luminance(rgb: Rgb) -> float:
    def linear(channel: float) -> float:
        c = max(0.0, min(255.0, channel)) / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (linear(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: Rgb, b: Rgb) -> float:
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def font_px(value: str | None, parent_px: float) -> float:
    """The computed font size in px; the parent's for what cannot be read (calc(), vw, inherit ...)."""
    if not value:
        return parent_px
    if value in _SIZE_KEYWORDS:
        return _SIZE_KEYWORDS[value]
    if value in ("smaller", "larger"):
        return parent_px * (0.83 if value == "smaller" else 1.2)
    length = _LENGTH.match(value)
    if length is None:
        return parent_px
    number, unit = float(length.group(1)), length.group(2)
    if number < 0 or (unit is None and number != 0):
        return parent_px  # invalid CSS: ignored by browsers
    if unit in ("em", "%"):
        return number * parent_px / (100 if unit == "%" else 1)
    if unit in ("ex", "ch"):
        return number * parent_px / 2
    return number * _UNIT_PX.get(unit or "px", 1.0)


# --- the page's own style sheet --------------------------------------------------------------------------

_TRACKED = frozenset({"display", "visibility", "opacity", "color", "font-size", "background-color",
                      "background-image"})
_COMMENTS = re.compile(r"/\*.*?(?:\*/|$)", re.DOTALL)
_IMPORTANT = re.compile(r"!\s*important\s*$")
_IMAGE = re.compile(r"url\(|gradient\(|image\(")
# States a static page is not in, and pseudo-elements (whose generated text is not in the document anyway).
_NOT_STATIC = re.compile(r"::|:(?:hover|focus|focus-within|focus-visible|active|visited|target|checked|before|"
                         r"after|first-line|first-letter|placeholder|selection)\b")
MAX_MATCHES = 200_000
MAX_NESTING = 3

Rank = tuple[int, int, tuple[int, int, int], int]  # (!important, inline, specificity, source order)
Declared = dict[str, tuple[str, Rank]]


def parse_declarations(block: str) -> dict[str, tuple[str, bool]]:
    """The tracked properties of a declaration block: name -> (value, !important); shorthands reduced."""
    out: dict[str, tuple[str, bool]] = {}
    for item in block.split(";"):
        name, sep, value = item.partition(":")
        if not sep:
            continue
        name, value = name.strip().lower(), value.strip().lower()
        important = bool(_IMPORTANT.search(value))
        value = _IMPORTANT.sub("", value).strip()
        if name == "background":
            if _IMAGE.search(value):
                out["background-image"] = ("url()", important)
            name, value = "background-color", _first_colour(value)
        elif name == "font":
            name, value = "font-size", _shorthand_size(value)
        if name in _TRACKED and value:
            out[name] = (value, important)
    return out


def _first_colour(value: str) -> str:
    for token in re.findall(r"#[0-9a-f]+|(?:rgba?|hsla?)\([^)]*\)|[a-z]+", value.lower()):
        if parse_colour(token) is not None:
            return token
    return ""


def _shorthand_size(value: str) -> str:
    # "font: bold 12px/1.5 Arial" or the hiding idiom "font: 0/0 a"; a bare number other than 0 is a weight.
    for token in value.replace("/", " / ").split():
        if token == "/":
            break
        if token in _SIZE_KEYWORDS or (_LENGTH.match(token) and (token == "0" or not token[-1].isdigit())):
            return token
    return ""


def specificity(selector: str) -> tuple[int, int, int]:
    bare = re.sub(r"\"[^\"]*\"|'[^']*'", "", selector)
    ids = len(re.findall(r"#[\w-]+", bare))
    classes = len(re.findall(r"\.[\w-]+|\[[^\]]*\]|:(?!not\b|is\b|where\b)[\w-]+", bare))
    types = len(re.findall(r"(?:^|[\s>+~(])([a-z][\w-]*)", bare))
    return ids, classes, types


def _closing_brace(css: str, start: int) -> int:
    depth = 0
    for index in range(start, len(css)):
        if css[index] == "{":
            depth += 1
        elif css[index] == "}":
            depth -= 1
            if depth == 0:
                return index
    return len(css)


def _for_screen(prelude: str) -> bool:
    """``@media screen``/``all`` (no feature query: widths and colour schemes vary) and ``@supports``."""
    if prelude.startswith("@supports"):
        return True
    if not prelude.startswith("@media") or "(" in prelude:
        return False
    kinds = {word for word in re.split(r"[\s,]+", prelude.removeprefix("@media")) if word and word != "only"}
    return bool(kinds & {"screen", "all"}) or not kinds


def css_rules(css: str, depth: int = 0) -> Iterator[tuple[str, str]]:
    """(selector list, declaration block) of each style rule in order; ``@media`` for the screen flattened."""
    pos = 0
    while (opening := css.find("{", pos)) >= 0:
        prelude = css[pos:opening].rsplit(";", 1)[-1].rsplit("}", 1)[-1].strip()  # class names keep their case
        closing = _closing_brace(css, opening)
        body = css[opening + 1:closing]
        pos = closing + 1
        if prelude.startswith("@"):
            if depth < MAX_NESTING and _for_screen(prelude.lower()):
                yield from css_rules(body, depth + 1)
        elif prelude:
            yield prelude, body


def _style_text(root: Tag) -> str:
    sheets = []
    for style in root.find_all("style"):
        media = str(style.get("media", "")).lower()
        if not media or _for_screen(f"@media {media}"):
            sheets.append(style.get_text())
    # Never cut short: padding would push a hiding rule past the cut. A style sheet too big to read in time
    # fails the file at its parse deadline, which keeps its hidden text out all the same.
    return _COMMENTS.sub(" ", "\n".join(sheets))


class _ElementIndex:
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

    def candidates(self, selector: str) -> list[Tag]:
        """Elements ``selector`` might match; empty when it names a class or id absent from the page."""
        if _UNINDEXED.search(selector):
            return self.every
        required = _CLASS_OR_ID.findall(selector)
        if any(key not in self.by_key for key in required):
            return []
        subject = re.split(r"[\s>+~]+", selector.strip())[-1]
        keys = _CLASS_OR_ID.findall(subject) or re.findall(r"^[a-zA-Z][\w-]*", subject)
        return self.by_key.get(keys[0], []) if keys else self.every


_UNINDEXED = re.compile(r"[\\\[(\"']")  # escapes, attribute selectors, :not()/:is(): matched the slow way
_CLASS_OR_ID = re.compile(r"[.#]-?[_a-zA-Z][\w-]*")


def stylesheet_styles(root: Tag) -> dict[int, Declared]:
    """What the page's ``<style>`` rules declare for each element (keyed by ``id(tag)``), cascade-ranked.

    Matching is bounded (soupsieve matches some 50,000 elements a second): rules that hide text are matched
    first, within a budget of their own, so that a flood of other rules cannot crowd out a ``display:none``.
    The other rules (colours, backgrounds, what shows text again) follow; when they need more than their
    budget, none of them are applied rather than some, so that white text is never judged against a
    background rule that was left out."""
    css = _style_text(root)
    if not css.strip():
        return {}
    rules: dict[tuple[str, tuple[tuple[str, tuple[str, bool]], ...]], _Rule] = {}
    for order, (selectors, block) in enumerate(css_rules(css)):
        declarations = parse_declarations(block)
        for selector in (sel.strip() for sel in selectors.split(",") if declarations):
            if selector and not _NOT_STATIC.search(selector):
                key = (selector, tuple(sorted(declarations.items())))
                rules.pop(key, None)  # a repeated rule counts once, at its last place
                rules[key] = _Rule(order, selector, declarations)
    index = _ElementIndex(root)
    styles: dict[int, Declared] = {}
    _apply([r for r in rules.values() if _hides(r.declarations)], index, styles, MAX_MATCHES)
    hidden_only = {key: dict(declared) for key, declared in styles.items()}
    if _apply([r for r in rules.values() if not _hides(r.declarations)], index, styles, MAX_MATCHES) < 0:
        logger.info("the page's style rules need more than %d matches; only those that hide were applied",
                    MAX_MATCHES)
        return hidden_only
    return styles


def _hides(declarations: dict[str, tuple[str, bool]]) -> bool:
    def value(name: str) -> str:
        return declarations.get(name, ("", False))[0]

    size = value("font-size")
    return (value("display").startswith("none") or value("visibility") in ("hidden", "collapse")
            or _opacity(value("opacity") or "1") <= 0.05 or (bool(size) and font_px(size, DEFAULT_PX) <= TINY_PX))


@dataclass(frozen=True)
class _Rule:
    order: int
    selector: str
    declarations: dict[str, tuple[str, bool]]


_SIMPLE = re.compile(r"[.#]?-?[_a-zA-Z][\w-]*")  # ".x", "#y", "p": the index alone answers it


def _apply(rules: list[_Rule], index: _ElementIndex, styles: dict[int, Declared], budget: int) -> int:
    """Declare ``rules`` on the elements they match; the budget left (negative: it ran out, rules skipped)."""
    for rule in rules:
        candidates = index.candidates(rule.selector)
        if not candidates:
            continue
        budget -= len(candidates)
        if budget < 0:
            return budget
        try:
            # filter() shares one matcher over the candidates; match() per element re-walks the tree each time.
            matched = candidates if _SIMPLE.fullmatch(rule.selector) else soupsieve.compile(rule.selector).filter(
                candidates)
        except Exception:  # unsupported or malformed selectors are skipped, as a browser drops the rule
            continue
        weight = specificity(rule.selector)
        for tag in matched:
            declared = styles.setdefault(id(tag), {})
            for name, (value, important) in rule.declarations.items():
                _declare(declared, name, value, (int(important), 0, weight, rule.order))
    return budget


def _declare(declared: Declared, name: str, value: str, rank: Rank) -> None:
    if name not in declared or rank >= declared[name][1]:
        declared[name] = (value, rank)


# --- what a reader sees ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Look:
    """How an element's own text is shown: inherited visibility, colour and size, and what it is drawn on
    (None: an image or gradient, which cannot be judged, so the text is kept)."""

    visible: bool = True
    colour: Colour = Colour(BLACK)
    size_px: float = DEFAULT_PX
    backdrop: Rgb | None = WHITE

    def text_shows(self) -> bool:
        if not self.visible or self.size_px <= TINY_PX or self.colour.alpha <= 0.05:
            return False
        if self.backdrop is None:
            return True
        a = self.colour.alpha
        drawn = tuple(a * c + (1 - a) * b for c, b in zip(self.colour.rgb, self.backdrop, strict=True))
        return contrast((drawn[0], drawn[1], drawn[2]), self.backdrop) >= MIN_CONTRAST


def _declared(tag: Tag, styles: dict[int, Declared]) -> Declared:
    declared: Declared = {}
    lowest: Rank = (0, 0, (0, 0, 0), -1)
    if tag.name == "font" and tag.get("color"):
        declared["color"] = (str(tag["color"]).strip().lower(), lowest)
    if tag.get("bgcolor"):
        declared["background-color"] = (str(tag["bgcolor"]).strip().lower(), lowest)
    for name, entry in styles.get(id(tag), {}).items():
        _declare(declared, name, *entry)
    inline = tag.get("style")
    if inline:
        for name, (value, important) in parse_declarations(str(inline)).items():
            _declare(declared, name, value, (int(important), 1, (0, 0, 0), 0))
    return declared


def _opacity(value: str) -> float:
    try:
        return float(value.rstrip("%")) / (100 if value.endswith("%") else 1)
    except ValueError:
        return 1.0


def look_of(tag: Tag, parent: Look, styles: dict[int, Declared]) -> Look | None:
    """The look of ``tag``'s text, or None when the element and all inside it are not rendered at all."""
    if tag.name in _DROPPED or tag.has_attr("hidden"):
        return None
    if str(tag.get("aria-hidden", "")).strip().lower() == "true":
        return None
    if tag.name == "input" and str(tag.get("type", "")).lower() == "hidden":
        return None
    if not (tag.get("style") or tag.get("bgcolor") or id(tag) in styles or (tag.name == "font" and tag.get("color"))):
        return parent
    values = {name: value for name, (value, _rank) in _declared(tag, styles).items()}
    if values.get("display", "").startswith("none"):
        return None
    if _opacity(values.get("opacity", "1")) <= 0.05:
        return None
    visibility = values.get("visibility", "inherit")
    visible = parent.visible if visibility in ("inherit", "unset") else visibility not in ("hidden", "collapse")
    colour = parse_colour(values.get("color", "")) or parent.colour
    backdrop = parent.backdrop
    if values.get("background-image", "none") != "none":
        backdrop = None
    elif "background-color" in values:
        fill = parse_colour(values["background-color"])
        if fill is None:
            backdrop = None  # a colour we cannot read: do not judge the text against it
        elif fill.alpha >= 0.5:
            backdrop = fill.rgb
    return Look(visible, colour, font_px(values.get("font-size"), parent.size_px), backdrop)


def visible_text(root: Tag) -> str:
    """Visible text of ``root``; paragraphs end with a blank line, rows/items with a newline, cells with a tab."""
    styles = stylesheet_styles(root)
    parts: list[str] = []
    stack: list[tuple[PageElement | str, Look]] = [(root, Look())]
    while stack:
        node, look = stack.pop()
        if isinstance(node, str) and not isinstance(node, NavigableString):
            parts.append(node)  # a structure marker pushed below
        elif isinstance(node, Tag):
            inner = look_of(node, look, styles) if node is not root else look
            if inner is None:
                continue
            marker = _PARAGRAPH if node.name in _PARAGRAPH_BLOCKS else _LINE if node.name in _LINE_BLOCKS else (
                _CELL if node.name in _CELLS else None)
            if marker:
                parts.append(marker)
                stack.append((marker, inner))
            stack.extend((child, inner) for child in reversed(node.contents))
        elif not isinstance(node, PreformattedString) and look.text_shows():  # not comments, doctype, CDATA
            parts.append(_SPACES.sub(" ", str(node).replace("\x00", "")).replace("\n", " "))
    return _assemble(parts)


def _assemble(parts: list[str]) -> str:
    text = _MARKERS.sub(_strongest_break, "".join(parts))
    out: list[str] = []
    for raw in text.split("\n"):
        line = _CELL_GAPS.sub("\t", _RUNS.sub(" ", raw)).strip(" ")
        if line.strip("\t"):
            out.append(line)
        elif out and out[-1]:
            out.append("")  # one blank line marks a paragraph break, however many blocks closed
    return "\n".join(out).strip()


def _strongest_break(match: re.Match[str]) -> str:
    run = match.group(0)
    if _PARAGRAPH in run:
        return "\n\n"
    if _LINE in run:
        return "\n"
    return "\t"


def load_html(path: Path, settings: Settings) -> ExtractedDocument:
    try:
        soup = BeautifulSoup(path.read_bytes(), "lxml")
    except OSError as exc:
        raise unreadable(path, exc) from exc
    except Exception as exc:  # lxml/bs4 raise varied types on pathological input
        raise DocumentError(str(path), f"could not be parsed as HTML ({type(exc).__name__})",
                            hint="Save the page again from a browser and re-add it.") from exc
    title_tag = soup.find("title")
    title = " ".join(title_tag.get_text().split()) if isinstance(title_tag, Tag) else ""
    return ExtractedDocument(
        path=str(path),
        media_type="text/html",
        pages=(Page(number=1, text=visible_text(soup), source="text"),),
        title_hint=title[:300] or None,
    )
