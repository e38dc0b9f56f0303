"""The HTML loader's CSS: style sheets read as the CSS Syntax spec says, the cascade, colours and font sizes."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from ingest.loaders.css import element_style, parse_declarations, stylesheet_styles
from ingest.loaders.html import visible_text
from ingest.loaders.legibility import BLACK, DEFAULT_PX, WHITE, Colour, font_px, parse_colour


def _text(body: str) -> str:
    return visible_text(BeautifulSoup(f"<html><body><p>Pembuka.</p>{body}</body></html>", "lxml"))


# Each of these hides RAHASIA in a way a hand-written CSS reader tends to miss.
HIDDEN = {
    "a brace inside a string": "<style>.a::after{content:'{'} .x{display:none}</style><p class='x'>RAHASIA</p>",
    "a brace inside a comment": "<style>/* { */ .x{display:none}</style><p class='x'>RAHASIA</p>",
    "each style element its own sheet": "<style>.a{color:red</style><style>.x{display:none}</style>"
                                        "<p class='x'>RAHASIA</p>",
    "an unclosed block": "<style>.x{display:none</style><p class='x'>RAHASIA</p>",
    "upper-case property and keyword": "<style>.x{DISPLAY: NONE}</style><p class='x'>RAHASIA</p>",
    "spaced !important": "<style>.x{display:none ! important}</style><p class='x' style='display:block'>RAHASIA</p>",
    "escaped class name": "<style>.sm\\:hidden{display:none}</style><p class='sm:hidden'>RAHASIA</p>",
    "id beats a later class": "<style>#k{display:none} .b{display:block}</style><p id='k' class='b'>RAHASIA</p>",
    ":not() counts its argument": "<style>.b:not(#z){display:none} p.b{display:block}</style>"
                                  "<p class='b'>RAHASIA</p>",
    "hsl white": "<p style='color:hsl(0, 0%, 100%)'>RAHASIA</p>",
    "hwb white": "<p style='color:hwb(0 100% 0%)'>RAHASIA</p>",
    "rgb with spaces and slash": "<p style='color:rgb(0 0 0 / 0)'>RAHASIA</p>",
    "eight-digit hex": "<p style='color:#00000000'>RAHASIA</p>",
    "background in its own colour": "<p style='color:#123456;background-color:currentcolor'>RAHASIA</p>",
    "@supports block": "<style>@supports (display:grid){.x{display:none}}</style><p class='x'>RAHASIA</p>",
    "screen sheet": "<style media='screen'>.x{visibility:hidden}</style><p class='x'>RAHASIA</p>",
}
SHOWN = {
    ":where() adds nothing": "<style>div p{display:block} :where(#k) p{display:none}</style>"
                             "<div id='k'><p>TERLIHAT</p></div>",
    "legacy pseudo-element": "<style>p:after{display:none} p:first-line{font-size:0}</style><p>TERLIHAT</p>",
    "feature query in @media": "<style>@media screen and (min-width:1px){.x{display:none}}</style>"
                               "<p class='x'>TERLIHAT</p>",
    "an invalid rule is dropped alone": "<style>p[{display:none}</style><p>TERLIHAT</p>",
    "a colour not in sRGB is not judged": "<p style='color:lab(100 0 0)'>TERLIHAT</p>",
    "unitless font size is invalid": "<p style='font-size:1'>TERLIHAT</p>",
}


@pytest.mark.parametrize("how", sorted(HIDDEN))
def test_text_hidden_by_css_is_dropped(how: str) -> None:
    text = _text(HIDDEN[how])
    assert "RAHASIA" not in text and "Pembuka." in text, text


@pytest.mark.parametrize("how", sorted(SHOWN))
def test_text_a_reader_sees_is_kept(how: str) -> None:
    assert "TERLIHAT" in _text(SHOWN[how])


DEEP = {
    "selector": "p" + ":not(p" * 20_000,
    "value": ".y{color:" + "f(" * 20_000,
    "keyword": ".y{display:" + "[" * 20_000,
    "blocks": ".y{" * 20_000,
    "media": "@media screen{" * 20_000,
}


@pytest.mark.parametrize("what", sorted(DEEP))
def test_css_nested_thousands_deep_neither_recurses_nor_swallows_the_next_sheet(what: str) -> None:
    text = _text(f"<style>{DEEP[what]}</style><style>.x{{display:none}}</style><p class='y'>Isi.</p>"
                 f"<p class='x' style='color:{'g(' * 20_000}'>RAHASIA</p>")
    assert "Isi." in text and "RAHASIA" not in text


def test_the_cascade_orders_important_inline_specificity_and_source() -> None:
    soup = BeautifulSoup("<style>p{color:red !important} #a{color:blue} .b{color:green}</style>"
                         "<p id='a' class='b' style='color:white'>x</p><p id='c' style='color:white'>y</p>", "lxml")
    styles = stylesheet_styles(soup)
    first, second = soup.find_all("p")
    assert [t.serialize() for t in element_style(first, styles)["color"]] == ["red"]
    assert [t.serialize() for t in element_style(second, styles)["color"]] == ["red"]
    lone = BeautifulSoup("<p style='margin:0'>z</p>", "lxml").p
    assert lone is not None
    assert not element_style(lone, {})


def test_shorthands_are_reduced_to_the_properties_that_hide() -> None:
    declared = parse_declarations("background: url(sky.jpg) no-repeat #FFF; font: italic bold 0/0 a; margin: 0")
    assert set(declared) == {"background-image", "background-color", "font-size"}
    assert parse_colour(declared["background-color"][0], Colour(BLACK)) == Colour(WHITE)
    assert font_px(declared["font-size"][0], DEFAULT_PX) == 0


@pytest.mark.parametrize(("value", "px"), [
    ("12px", 12), ("12PT", 16), ("2em", 32), ("50%", 8), ("1rem", 16), ("small", 13), ("larger", 19.2),
    ("0", 0), ("1in", 96), ("-3px", DEFAULT_PX), ("10vw", DEFAULT_PX), ("calc(1px + 1px)", DEFAULT_PX),
    ("inherit", DEFAULT_PX), ("7", DEFAULT_PX),
])
def test_font_sizes_compute_against_the_parent(value: str, px: float) -> None:
    assert font_px(parse_declarations(f"font-size:{value}").get("font-size", ((), False))[0], DEFAULT_PX) == (
        pytest.approx(px))


@pytest.mark.parametrize(("value", "rgb", "alpha"), [
    ("white", WHITE, 1.0), ("WhiteSmoke", (245, 245, 245), 1.0), ("rebeccapurple", (102, 51, 153), 1.0),
    ("#fff", WHITE, 1.0), ("#FFFFFF80", WHITE, 128 / 255), ("rgba(255, 0, 0, 0.5)", (255, 0, 0), 0.5),
    ("rgb(100% 0% 0%)", (255, 0, 0), 1.0), ("hsla(120, 100%, 25%, 1)", (0, 127.5, 0), 1.0),
    ("transparent", BLACK, 0.0),
])
def test_colours_are_read_by_tinycss2(value: str, rgb: tuple[float, float, float], alpha: float) -> None:
    colour = parse_colour(value, Colour(BLACK))
    assert colour is not None and colour.rgb == pytest.approx(rgb) and colour.alpha == pytest.approx(alpha)


@pytest.mark.parametrize("value", ["inherit", "var(--c)", "lab(50 0 0)", "#ggg", "red blue"])
def test_colours_that_cannot_be_read_are_none(value: str) -> None:
    assert parse_colour(parse_declarations(f"color:{value}").get("color", ((), False))[0], Colour(BLACK)) is None


def test_currentcolor_is_the_colour_it_inherits() -> None:
    assert parse_colour("currentColor", Colour(WHITE, 0.5)) == Colour(WHITE, 0.5)
