"""Ways a web page hides text from a sighted reader (and ways it shows text a careless rule would drop), as
one page to ingest: for tests/test_html_browser.py and scripts/reliability.py."""

from __future__ import annotations

# (method, the hidden element) — each hides HIDE-<n> from a sighted reader of the page.
HIDING_METHODS = [
    ("off-screen absolute", '<p style="position:absolute;left:-9999px">{c}</p>'),
    ("height 0 overflow hidden", '<div style="height:0;overflow:hidden">{c}</div>'),
    ("clip-path inset 50%", '<p style="clip-path:inset(50%)">{c}</p>'),
    ("display none", '<p style="display:none">{c}</p>'),
    ("visibility hidden", '<p style="visibility:hidden">{c}</p>'),
    ("opacity 0", '<p style="opacity:0">{c}</p>'),
    ("transparent colour", '<p style="color:transparent">{c}</p>'),
    ("white on white", '<p style="color:#ffffff">{c}</p>'),
    ("colour of its box", '<div style="background:#1d3557;color:#1d3557">{c}</div>'),
    ("font-size 0", '<p style="font-size:0">{c}</p>'),
    ("tiny font", '<p style="font-size:1px">{c}</p>'),
    ("text-indent off-screen", '<p style="text-indent:-9999px;overflow:hidden">{c}</p>'),
    ("scaled to nothing", '<p style="transform:scale(0)">{c}</p>'),
    ("translated away", '<p style="transform:translateX(-20000px)">{c}</p>'),
    ("screen-reader-only clip", '<span style="position:absolute;width:1px;height:1px;overflow:hidden;'
                                'clip:rect(0 0 0 0);white-space:nowrap">{c}</span>'),
    ("covered by an opaque box", '<div style="position:relative"><p>{c}</p><div style="position:absolute;top:0;'
                                 'left:0;width:100%;height:100%;background:#fff"></div></div>'),
    ("max-height 0", '<div style="max-height:0;overflow:hidden">{c}</div>'),
    ("width 0 nowrap", '<div style="width:0;overflow:hidden;white-space:nowrap">{c}</div>'),
    ("filter opacity 0", '<p style="filter:opacity(0)">{c}</p>'),
    ("fixed above the page", '<p style="position:fixed;top:-500px">{c}</p>'),
    ("negative margin", '<p style="margin-left:-20000px">{c}</p>'),
    ("text fill transparent", '<p style="-webkit-text-fill-color:transparent">{c}</p>'),
    ("closed details", '<details><summary>Rincian</summary>{c}</details>'),
    ("class rule with !important", '<p class="sembunyi">{c}</p>'),
    ("pushed below a clipped box", '<div style="height:20px;overflow:hidden"><div style="padding-top:200px">{c}'
                                   '</div></div>'),
    ("content-visibility hidden", '<div style="content-visibility:hidden">{c}</div>'),
]
# Text a reader does see, in ways a careless rule would drop.
SEEN = [
    ("white on dark", '<div style="background:#102030;color:#fff">{c}</div>'),
    ("below the fold", '<div style="height:6000px"></div><p>{c}</p>'),
    ("under a transparent overlay", '<div style="position:relative"><p>{c}</p><div style="position:absolute;top:0;'
                                    'left:0;width:100%;height:100%"></div></div>'),
    ("pointer-events none", '<p style="pointer-events:none">{c}</p>'),
    ("positioned on screen", '<p style="position:absolute;left:40px;top:30px">{c}</p>'),
]
PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>Perwali Tarakan</title>
<style>.sembunyi {{ display: none !important }}</style></head><body>
<h1>Peraturan Wali Kota Tarakan tentang Pengelolaan Sampah</h1>
<p>Pemerintah Kota Tarakan mengelola sampah rumah tangga melalui bank sampah.</p>
{body}
</body></html>"""


def canary(kind: str, index: int) -> str:
    return f"{kind}-{index:02d}-Pemerintah Kota wajib melaksanakan ketentuan ini"


def page(kind: str, methods: list[tuple[str, str]]) -> str:
    return PAGE.format(body="\n".join(m.format(c=canary(kind, i)) for i, (_, m) in enumerate(methods)))
