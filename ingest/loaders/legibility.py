"""Whether text in a given colour, size and opacity, drawn on a given background, can be read.

CSS values arrive as tinycss2 component values; colours (names, hex, rgb(a), hsl(a), hwb, transparent,
currentcolor) are read by tinycss2's CSS Color 4 parser. What is left here is what no library decides for
us: the WCAG contrast of two colours, and a font size computed against its parent's.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from tinycss2 import color4

Rgb = tuple[float, float, float]  # 0-255 per channel, as DOCX and HTML colours are written
Value = tuple[Any, ...]  # the significant tinycss2 component values of one declaration
BLACK: Rgb = (0.0, 0.0, 0.0)
WHITE: Rgb = (255.0, 255.0, 255.0)
# Text below this contrast with its background (WCAG ratio; #f5f5f5 on white is 1.09) cannot be read.
MIN_CONTRAST = 1.1
TINY_PX = 4 / 3  # 1pt
DEFAULT_PX = 16.0
INVISIBLE_ALPHA = 0.05
_SIZE_KEYWORDS = {"xx-small": 9.0, "x-small": 10.0, "small": 13.0, "medium": 16.0, "large": 18.0,
                  "x-large": 24.0, "xx-large": 32.0, "xxx-large": 48.0}
_ABSOLUTE_PX = {"px": 1.0, "pt": 4 / 3, "pc": 16.0, "rem": DEFAULT_PX, "mm": 96 / 25.4, "cm": 96 / 2.54,
                "in": 96.0, "q": 96 / 101.6}
_PARENT_RELATIVE = {"em": 1.0, "ex": 0.5, "ch": 0.5}  # ex and ch: about half an em in common fonts
_SRGB_SPACES = frozenset({"srgb", "hsl", "hwb"})  # those tinycss2's Color.to("srgb") converts


@dataclass(frozen=True)
class Colour:
    rgb: Rgb
    alpha: float = 1.0


def parse_colour(value: Value | str, current: Colour) -> Colour | None:
    """A CSS colour; ``current`` for currentcolor; None for what cannot be read (inherit, var(), lab() ...)."""
    token = value if isinstance(value, str) else value[0] if len(value) == 1 else None
    parsed = color4.parse_color(token) if token is not None else None
    if parsed == "currentcolor":
        return current
    if parsed is None or parsed.space not in _SRGB_SPACES:
        return None
    srgb = parsed.to("srgb")
    red, green, blue = (channel * 255 for channel in srgb.coordinates)
    return Colour((red, green, blue), srgb.alpha)


def is_colour(token: Any) -> bool:
    """Whether a token is a colour, readable or not (the colour part of the ``background`` shorthand)."""
    return color4.parse_color(token) is not None


def keyword(value: Value) -> str:
    """The lower-cased keyword a value consists of, or "" when it is anything else."""
    return value[0].lower_value if len(value) == 1 and value[0].type == "ident" else ""


def opacity(value: Value) -> float:
    token = value[0] if len(value) == 1 else None
    if token is not None and token.type == "number":
        return float(token.value)
    if token is not None and token.type == "percentage":
        return float(token.value) / 100
    return 1.0


def font_px(value: Value | None, parent_px: float) -> float:
    """The computed font size in px; the parent's for what cannot be read (calc(), vw, inherit ...)."""
    token = value[0] if value and len(value) == 1 else None
    if token is None:
        return parent_px
    if token.type == "ident":
        if token.lower_value in ("smaller", "larger"):
            return parent_px * (0.83 if token.lower_value == "smaller" else 1.2)
        return _SIZE_KEYWORDS.get(token.lower_value, parent_px)
    if token.type == "number":
        return 0.0 if token.value == 0 else parent_px  # a unitless size other than 0 is invalid CSS
    if token.type not in ("dimension", "percentage") or token.value < 0:
        return parent_px  # negative sizes are invalid: browsers ignore them
    if token.type == "percentage":
        return token.value * parent_px / 100
    if token.lower_unit in _PARENT_RELATIVE:
        return token.value * parent_px * _PARENT_RELATIVE[token.lower_unit]
    factor = _ABSOLUTE_PX.get(token.lower_unit)
    return parent_px if factor is None else float(token.value * factor)  # vw, vh ...: depend on the window


def is_size(token: Any) -> bool:
    """Whether a token of the ``font`` shorthand is its size (a bare number other than 0 is a weight)."""
    if token.type == "ident":
        return bool(token.lower_value in _SIZE_KEYWORDS)
    return token.type in ("dimension", "percentage") or (token.type == "number" and token.value == 0)


def _luminance(rgb: Rgb) -> float:
    def linear(channel: float) -> float:
        c = max(0.0, min(255.0, channel)) / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (linear(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: Rgb, b: Rgb) -> float:
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@dataclass(frozen=True)
class Look:
    """How an element's own text is shown: inherited visibility, colour and size, and what it is drawn on
    (None: an image or gradient, or a colour that cannot be read, so the text is kept)."""

    visible: bool = True
    colour: Colour = Colour(BLACK)
    size_px: float = DEFAULT_PX
    backdrop: Rgb | None = WHITE

    def text_shows(self) -> bool:
        if not self.visible or self.size_px <= TINY_PX or self.colour.alpha <= INVISIBLE_ALPHA:
            return False
        if self.backdrop is None:
            return True
        a = self.colour.alpha
        drawn = tuple(a * c + (1 - a) * b for c, b in zip(self.colour.rgb, self.backdrop, strict=True))
        return contrast((drawn[0], drawn[1], drawn[2]), self.backdrop) >= MIN_CONTRAST

    def inside(self, values: Mapping[str, Value]) -> Look | None:
        """The look of a child element that declares ``values``; None when it is not rendered at all."""
        if keyword(values.get("display", ())) == "none" or opacity(values.get("opacity", ())) <= INVISIBLE_ALPHA:
            return None
        visibility = keyword(values.get("visibility", ())) or "inherit"
        visible = self.visible if visibility in ("inherit", "unset") else visibility not in ("hidden", "collapse")
        colour = parse_colour(values.get("color", ()), self.colour) or self.colour
        return Look(visible, colour, font_px(values.get("font-size"), self.size_px), self._backdrop(values, colour))

    def _backdrop(self, values: Mapping[str, Value], colour: Colour) -> Rgb | None:
        image = values.get("background-image")
        if image is not None and keyword(image) != "none":
            return None
        if "background-color" not in values:
            return self.backdrop
        fill = parse_colour(values["background-color"], colour)
        if fill is None:
            return None  # a colour we cannot read: do not judge the text against it
        return fill.rgb if fill.alpha >= 0.5 else self.backdrop


def significant(tokens: Sequence[Any]) -> Value:
    """The component values that carry meaning (whitespace and comments dropped)."""
    return tuple(token for token in tokens if token.type not in ("whitespace", "comment"))
