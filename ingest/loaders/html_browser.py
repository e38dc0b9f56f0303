"""What a reader of an HTML page sees, as a browser lays it out: headless Chromium through Playwright.

The CSS rules of ``css.py`` re-implement part of the cascade and miss whatever layout decides: text pushed
off-screen (``left:-9999px``, ``text-indent``), clipped (``clip-path``, ``clip``, ``height:0; overflow:hidden``),
scaled to nothing, covered by another box, or painted in its background's colour through a rule they do not
read. Here Chromium computes the layout and every text node is kept only if some part of it is painted where a
reader can see it: it has a box of real size inside the page, the hit test at that box reaches its element
(not clipped away, not under an opaque box), and its computed colour, opacity and size are legible against the
background actually behind it. The page's scripts never run and nothing is fetched: every request but the page
itself is refused, so a page cannot call home or change itself after the check.

Chromium must be installed (``/usr/bin/chromium`` by default; Playwright's own browser download is never used).
When it is not, ``html.py`` falls back to the CSS rules and says so in the document's warnings.
"""

from __future__ import annotations

import logging
import resource
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

logger = logging.getLogger(__name__)

BROWSER_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
VIEWPORT = {"width": 1280, "height": 900}
# Rendering one page; a page that takes longer is read by the CSS rules instead.
RENDER_TIMEOUT_MS = 30_000


class BrowserUnavailable(RuntimeError):
    """No usable browser: the caller falls back to the CSS rules."""


def browser_path(configured: str) -> str | None:
    path = Path(configured)
    if path.is_file():
        return str(path)
    return shutil.which(configured)


@contextmanager
def _room_for_a_browser() -> Iterator[None]:
    """Chromium reserves gigabytes of address space up front (V8's cage) and dies under a parse worker's
    RLIMIT_AS; the browser runs as its own processes, so the limit is lifted while they start and restored
    for the parsing that follows. Only possible when the hard limit allows it."""
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if soft == resource.RLIM_INFINITY:
        yield
        return
    if hard != resource.RLIM_INFINITY:
        raise BrowserUnavailable("the worker's memory limit leaves no room for a browser")
    resource.setrlimit(resource.RLIMIT_AS, (hard, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


# Walks the rendered page and returns [kind, value] items: "t" for a visible text node's text, "h" for a hidden
# one (counted, for the warning), "m" for a structure marker ("P" paragraph, "L" line, "C" cell).
_WALK = r"""
([dropped, paragraphs, lines, cells, minContrast, tinyPx, invisibleAlpha]) => {
  const drop = new Set(dropped), para = new Set(paragraphs), line = new Set(lines), cell = new Set(cells);
  const style = document.createElement('style');
  style.textContent = '* { pointer-events: auto !important; }';  // hit tests must not skip any element
  document.head.appendChild(style);
  const docW = Math.max(document.documentElement.scrollWidth, document.body ? document.body.scrollWidth : 0);
  const docH = Math.max(document.documentElement.scrollHeight, document.body ? document.body.scrollHeight : 0);
  const rgba = (text) => {
    const m = text.match(/rgba?\(([^)]+)\)/);
    if (!m) return null;
    const p = m[1].split(/[ ,\/]+/).filter(Boolean).map(parseFloat);
    return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
  };
  const lum = (c) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]);
  };
  const contrast = (a, b) => {
    const x = lum(a), y = lum(b);
    return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05);
  };
  const blend = (top, under) => { const a = top[3]; return [0, 1, 2].map(i => top[i] * a + under[i] * (1 - a)); };
  const backgroundOf = (el) => {
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
      const cs = getComputedStyle(e);
      if (cs.backgroundImage && cs.backgroundImage !== 'none') return null;  // an image: colour unknown
      const c = rgba(cs.backgroundColor);
      if (c && c[3] > 0) { layers.push(c); if (c[3] >= 1) break; }
    }
    let colour = [255, 255, 255];
    for (const layer of layers.reverse()) colour = blend(layer, colour);
    return colour;
  };
  const opacityOf = (el) => {
    let o = 1;
    for (let e = el; e; e = e.parentElement) {
      const cs = getComputedStyle(e);
      o *= parseFloat(cs.opacity);
      const f = cs.filter.match(/opacity\(([\d.]+)(%?)\)/);
      if (f) o *= parseFloat(f[1]) / (f[2] ? 100 : 1);
    }
    return o;
  };
  const opaqueCover = (el) => {
    const replaced = ['IMG', 'VIDEO', 'CANVAS', 'SVG', 'IFRAME', 'OBJECT', 'EMBED', 'INPUT', 'TEXTAREA'];
    if (replaced.includes(el.tagName)) return true;
    const cs = getComputedStyle(el);
    if (cs.backgroundImage && cs.backgroundImage !== 'none') return true;
    const c = rgba(cs.backgroundColor);
    return !!c && c[3] * opacityOf(el) > 0.5;
  };
  const seen = (rect, el) => {
    if (rect.width < 1 || rect.height < 1) return false;
    const x = rect.left + window.scrollX, y = rect.top + window.scrollY;
    if (x + rect.width <= 0 || y + rect.height <= 0 || x >= docW || y >= docH) return false;
    const px = Math.min(Math.max(x + rect.width / 2, 0), docW - 1);
    const py = Math.min(Math.max(y + rect.height / 2, 0), docH - 1);
    window.scrollTo(Math.max(0, px - 100), Math.max(0, py - 100));
    const stack = document.elementsFromPoint(px - window.scrollX, py - window.scrollY);
    // Top to bottom: the text's own element must be reached before any opaque box; an ancestor reached first
    // means the text is not painted at that point (clipped away by overflow, clip or clip-path).
    for (const hit of stack) {
      if (hit === el) return true;
      if (hit.contains(el) || opaqueCover(hit)) return false;
    }
    return false;
  };
  const legible = (el) => {
    const cs = getComputedStyle(el);
    if (parseFloat(cs.fontSize) <= tinyPx) return false;
    const fill = rgba(cs.webkitTextFillColor || cs.color) || rgba(cs.color);
    if (!fill) return true;
    const alpha = fill[3] * opacityOf(el);
    if (alpha <= invisibleAlpha) return false;
    const back = backgroundOf(el);
    if (back === null) return true;
    return contrast(blend([...fill.slice(0, 3), Math.min(1, alpha)], back), back) >= minContrast;
  };
  const out = [];
  const stack = [document.body || document.documentElement];
  while (stack.length) {
    const node = stack.pop();
    if (typeof node === 'string') { out.push(['m', node]); continue; }
    if (node.nodeType === Node.TEXT_NODE) {
      const text = node.nodeValue;
      if (!text.trim()) { out.push(['t', text]); continue; }
      const el = node.parentElement;
      const range = document.createRange();
      range.selectNodeContents(node);
      const visible = el.checkVisibility({opacityProperty: true, visibilityProperty: true, contentVisibilityAuto: true})
        && legible(el) && Array.from(range.getClientRects()).some(r => seen(r, el));
      out.push([visible ? 't' : 'h', text]);
      continue;
    }
    if (node.nodeType !== Node.ELEMENT_NODE) continue;
    const tag = node.tagName.toLowerCase();
    const ariaHidden = (node.getAttribute('aria-hidden') || '').trim().toLowerCase() === 'true';
    if (drop.has(tag) || node.hasAttribute('hidden') || ariaHidden) continue;
    const marker = para.has(tag) ? 'P' : line.has(tag) ? 'L' : cell.has(tag) ? 'C' : null;
    if (marker) { out.push(['m', marker]); stack.push(marker); }
    for (let i = node.childNodes.length - 1; i >= 0; i--) stack.push(node.childNodes[i]);
  }
  return out;
}
"""


def rendered_parts(html: str, executable: str, constants: list[object]) -> list[tuple[str, str]]:
    """The page laid out by Chromium: ``[(kind, value)]`` in document order (see ``_WALK``)."""
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        raise BrowserUnavailable("Playwright is not installed") from exc
    try:
        with _room_for_a_browser(), sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=executable, args=BROWSER_FLAGS,
                                                 timeout=RENDER_TIMEOUT_MS)
            try:
                context = browser.new_context(java_script_enabled=False, viewport=VIEWPORT,  # type: ignore[arg-type]
                                              offline=True)
                page = context.new_page()
                page.route("**/*", lambda route: route.abort())
                page.set_content(html, timeout=RENDER_TIMEOUT_MS, wait_until="domcontentloaded")
                items = page.evaluate(_WALK, constants)
            finally:
                browser.close()
    except PlaywrightError as exc:
        raise BrowserUnavailable(f"the browser failed ({str(exc).splitlines()[0][:200]})") from exc
    return [(str(kind), str(value)) for kind, value in items]
