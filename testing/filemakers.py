"""Real test files, generated: PDFs (text, scanned, encrypted, damaged, hostile), DOCX, HTML and text.

Every function writes one file at ``path`` and returns ``path``. Nothing is downloaded.
"""

from __future__ import annotations

import io
import math
import zipfile
import zlib
from collections.abc import Collection, Sequence
from pathlib import Path

import pypdfium2 as pdfium
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas
from reportlab.pdfgen.canvas import Canvas

PageSpec = tuple[str, Sequence[str]]
"""One page: a heading and its paragraphs."""

MARGIN = 72
LINE = 16

# Indonesian regulation prose used as filler; real words so the text layer measures as good text.
SAMPLE_PAGES: tuple[PageSpec, ...] = (
    ("BAB I KETENTUAN UMUM", (
        "Pasal 1 Dalam Peraturan Wali Kota ini yang dimaksud dengan Daerah adalah Kota Balikpapan.",
        "Sistem Pemerintahan Berbasis Elektronik adalah penyelenggaraan pemerintahan yang memanfaatkan "
        "teknologi informasi dan komunikasi untuk memberikan layanan kepada pengguna.",
    )),
    ("BAB II RUANG LINGKUP", (
        "Pasal 2 Ruang lingkup Peraturan Wali Kota ini meliputi tata kelola, manajemen, dan layanan.",
        "Perangkat Daerah wajib menyusun rencana dan anggaran sesuai dengan arsitektur yang ditetapkan.",
    )),
    ("BAB III KETENTUAN PENUTUP", (
        "Pasal 3 Peraturan Wali Kota ini mulai berlaku pada tanggal diundangkan.",
        "Agar setiap orang mengetahuinya, memerintahkan pengundangan Peraturan Wali Kota ini.",
    )),
)


def _wrap(text: str, width: int = 85) -> list[str]:
    lines: list[str] = []
    current = ""
    for word in text.split():
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}".strip()
    return [*lines, current] if current else lines


def _draw_page(pdf: Canvas, heading: str, paragraphs: Sequence[str], *, render_mode: int = 0) -> None:
    height = A4[1]
    y = height - MARGIN
    pdf.setFont("Helvetica-Bold", 14)
    text = pdf.beginText(MARGIN, y)
    text.setTextRenderMode(render_mode)
    text.textLine(heading)
    pdf.drawText(text)
    y -= 2 * LINE
    pdf.setFont("Helvetica", 11)
    for paragraph in paragraphs:
        text = pdf.beginText(MARGIN, y)
        text.setTextRenderMode(render_mode)
        for line in _wrap(paragraph):
            text.textLine(line)
            y -= LINE
        pdf.drawText(text)
        y -= LINE


def text_pdf(path: Path, pages: Sequence[PageSpec] = SAMPLE_PAGES, *, title: str | None = None,
             user_password: str | None = None, owner_password: str | None = None) -> Path:
    """A born-digital PDF, one heading + paragraphs per page; optionally encrypted (RC4-128)."""
    encrypt = None
    if user_password is not None or owner_password is not None:
        from reportlab.lib.pdfencrypt import StandardEncryption

        encrypt = StandardEncryption(user_password or "", ownerPassword=owner_password or "owner", strength=128)
    pdf = canvas.Canvas(str(path), pagesize=A4, encrypt=encrypt)
    if title:
        pdf.setTitle(title)
    for heading, paragraphs in pages:
        _draw_page(pdf, heading, paragraphs)
        pdf.showPage()
    pdf.save()
    return path


PlacedLine = tuple[float, float, str]
"""One line of text at (x, y) points from the page's top-left corner."""


def placed_pdf(path: Path, pages: Sequence[Sequence[PlacedLine]], *, size: float = 10) -> Path:
    """A born-digital PDF whose lines are drawn where given and in the order given: the order a text layer
    reads them in, so a page can be laid out as printed yet read column by column (labels first, then text)."""
    pdf = canvas.Canvas(str(path), pagesize=A4)
    for placed in pages:
        pdf.setFont("Helvetica", size)
        for x, y, line in placed:
            pdf.drawString(x, A4[1] - y, line)
        pdf.showPage()
    pdf.save()
    return path


def _page_images(pages: Sequence[PageSpec], dpi: int) -> list[object]:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    for heading, paragraphs in pages:
        _draw_page(pdf, heading, paragraphs)
        pdf.showPage()
    pdf.save()
    document = pdfium.PdfDocument(buffer.getvalue())
    try:
        return [page.render(scale=dpi / 72, grayscale=True).to_pil().copy() for page in document]
    finally:
        document.close()


def scanned_pdf(path: Path, pages: Sequence[PageSpec] = SAMPLE_PAGES[:1], *, dpi: int = 150,
                hidden_layer: Sequence[PageSpec] | None = None) -> Path:
    """A scan: each page is only a picture of its text. ``hidden_layer`` adds an invisible text layer
    (render mode 3, as OCR'd scans carry) with whatever text is given, e.g. garbage."""
    pdf = canvas.Canvas(str(path), pagesize=A4)
    for index, image in enumerate(_page_images(pages, dpi)):
        pdf.drawImage(ImageReader(image), 0, 0, width=A4[0], height=A4[1])
        if hidden_layer is not None:
            heading, paragraphs = hidden_layer[index]
            _draw_page(pdf, heading, paragraphs, render_mode=3)
        pdf.showPage()
    pdf.save()
    return path


def noise_scan_pdf(path: Path, dpi: int = 480, seed: int = 1) -> Path:
    """A page-sized scan of random black and white pixels: Tesseract works on it for seconds (about 10 s at
    480 dpi on this machine) and finds no text."""
    import numpy as np
    from PIL import Image

    width, height = int(A4[0] / 72 * dpi), int(A4[1] / 72 * dpi)
    pixels = (np.random.default_rng(seed).random((height, width)) > 0.5).astype(np.uint8) * 255
    pdf = canvas.Canvas(str(path), pagesize=A4)
    pdf.drawImage(ImageReader(Image.fromarray(pixels, "L")), 0, 0, width=A4[0], height=A4[1])
    pdf.showPage()
    pdf.save()
    return path


def caesar(text: str, shift: int = 3) -> str:
    """What a broken font encoding does to a text layer: every letter replaced by another."""
    def move(ch: str) -> str:
        if "a" <= ch <= "z":
            return chr((ord(ch) - 97 + shift) % 26 + 97)
        if "A" <= ch <= "Z":
            return chr((ord(ch) - 65 + shift) % 26 + 65)
        return ch
    return "".join(move(ch) for ch in text)


def garbled_layer_pdf(path: Path, pages: Sequence[PageSpec] = SAMPLE_PAGES[:1]) -> Path:
    """A scan whose invisible text layer is garbage (letters shifted), so the layer must be OCR'd over."""
    garbage = [(caesar(heading), [caesar(p) for p in paragraphs]) for heading, paragraphs in pages]
    return scanned_pdf(path, pages, hidden_layer=garbage)


# --- damaged and hostile PDFs, written object by object ---------------------------------------

def _assemble_pdf(objects: Sequence[bytes], *, root: int = 1, xref_prev_self: bool = False) -> bytes:
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref_at = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    prev = b" /Prev %d" % xref_at if xref_prev_self else b""
    out += b"trailer\n<< /Size %d /Root %d 0 R%s >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, root, prev, xref_at)
    return bytes(out)


def _page_objects(content: bytes, stream_dict: bytes = b"", length: int | None = None) -> list[bytes]:
    return [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d%s >>\nstream\n" % (len(content) if length is None else length, stream_dict) + content
        + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]


def zeros_zlib(mb: int) -> bytes:
    """A zlib stream of ``mb`` MiB of zeros, built without compressing them (about 1 KB per MiB).

    After a full flush, deflate's output for a MiB of zeros is always the same bytes, so one
    segment is repeated; the Adler-32 of n zero bytes is ((n mod 65521) << 16) | 1.
    """
    raw = zlib.compressobj(9, zlib.DEFLATED, -15)
    chunk = bytes(1024 * 1024)
    raw.compress(chunk)
    raw.flush(zlib.Z_FULL_FLUSH)  # the first segment differs (no history yet); the following are identical
    segment = raw.compress(chunk) + raw.flush(zlib.Z_FULL_FLUSH)
    adler = (((mb * len(chunk)) % 65521) << 16) | 1
    return b"\x78\xda" + segment * mb + raw.flush() + adler.to_bytes(4, "big")


def flate_bomb_pdf(path: Path, expanded_mb: int = 1024) -> Path:
    """A page whose content stream is Flate inside Flate and would expand to ``expanded_mb`` of zeros."""
    content = zlib.compress(zeros_zlib(expanded_mb), 9)
    objects = _page_objects(content, b" /Filter [/FlateDecode /FlateDecode]")
    path.write_bytes(_assemble_pdf(objects))
    return path


def circular_xref_pdf(path: Path) -> Path:
    """A PDF whose cross-reference table names itself as its previous one (/Prev loops)."""
    objects = _page_objects(b"BT /F1 12 Tf 72 720 Td (Pasal 1 berlaku) Tj ET")
    path.write_bytes(_assemble_pdf(objects, xref_prev_self=True))
    return path


def cyclic_page_tree_pdf(path: Path) -> Path:
    """A page tree whose /Kids contains the node itself."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
    ]
    path.write_bytes(_assemble_pdf(objects))
    return path


def huge_length_pdf(path: Path) -> Path:
    """A content stream that declares a /Length of about a terabyte (the file is otherwise well-formed)."""
    objects = _page_objects(b"BT /F1 12 Tf 72 720 Td (Pasal 1 berlaku) Tj ET", length=999_999_999_999)
    path.write_bytes(_assemble_pdf(objects))
    return path


def garbage_pdf(path: Path) -> Path:
    """A PDF header followed by noise: no objects, no cross-reference table."""
    noise = bytes((i * 7919) % 251 for i in range(20_000))
    path.write_bytes(b"%PDF-1.4\n" + noise)
    return path


def truncated_pdf(path: Path, source: Path, keep: float = 0.5) -> Path:
    """The first ``keep`` share of a real PDF (a download cut off)."""
    data = source.read_bytes()
    path.write_bytes(data[: int(len(data) * keep)])
    return path


# --- DOCX ---------------------------------------------------------------------------------------

def docx_file(path: Path, *, heading: str = "BAB I KETENTUAN UMUM",
              paragraphs: Sequence[str] = ("Pasal 1 Peraturan ini berlaku di Kota Balikpapan.",),
              table: Sequence[Sequence[str]] = (("Kota", "Peraturan"), ("Balikpapan", "Perwali No. 31 Tahun 2020")),
              title: str | None = None) -> Path:
    """A Word document: a Heading 1, paragraphs, then a table."""
    from docx import Document

    document = Document()
    if title:
        document.core_properties.title = title
    document.add_heading(heading, level=1)
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for row, values in zip(grid.rows, table, strict=True):
            for cell, value in zip(row.cells, values, strict=True):
                cell.text = value
    document.save(str(path))
    return path


DOCX_HIDING = ("vanish", "white", "theme_white", "tiny", "hiding_style", "tiny_style", "white_cell")
DOCX_SHOWING = ("white_on_shading", "white_highlighted", "white_in_dark_cell", "auto_colour", "small")


def docx_formatted(path: Path, runs: dict[str, str],
                   visible: str = "Pasal 1 Peraturan ini berlaku di Kota Balikpapan.") -> Path:
    """A Word document: a visible paragraph, then one paragraph (or table cell) per entry of ``runs``, its text
    formatted as the key says: one of DOCX_HIDING (a reader cannot see it) or DOCX_SHOWING (a reader can)."""
    from docx import Document
    from docx.enum.dml import MSO_THEME_COLOR
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.text import WD_COLOR_INDEX
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    def shade(properties: object, fill: str) -> None:
        shading = OxmlElement("w:shd")
        shading.set(qn("w:val"), "clear")
        shading.set(qn("w:fill"), fill)
        properties.append(shading)  # type: ignore[attr-defined]

    document = Document()
    document.add_paragraph(visible)
    hiding = document.styles.add_style("Catatan Tersembunyi", WD_STYLE_TYPE.CHARACTER)
    hiding.font.hidden = True
    tiny = document.styles.add_style("Huruf Kecil", WD_STYLE_TYPE.PARAGRAPH)
    tiny.font.size = Pt(1)
    for kind, text in runs.items():
        if kind in ("white_cell", "white_in_dark_cell"):
            cell = document.add_table(rows=1, cols=2).rows[0].cells[1]
            cell.paragraphs[0].add_run(text).font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
            if kind == "white_in_dark_cell":
                shade(cell._tc.get_or_add_tcPr(), "1F3864")
            continue
        paragraph = document.add_paragraph(style=tiny if kind == "tiny_style" else None)
        run = paragraph.add_run(text, style=hiding if kind == "hiding_style" else None)
        if kind == "vanish":
            run.font.hidden = True
        elif kind in ("white", "white_on_shading", "white_highlighted"):
            run.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
        elif kind == "theme_white":
            run.font.color.theme_color = MSO_THEME_COLOR.BACKGROUND_1
        elif kind == "tiny":
            run.font.size = Pt(1)
        elif kind == "small":
            run.font.size = Pt(8)
        elif kind == "auto_colour":
            colour = OxmlElement("w:color")
            colour.set(qn("w:val"), "auto")
            run._r.get_or_add_rPr().append(colour)
        if kind == "white_on_shading":
            shade(paragraph._p.get_or_add_pPr(), "000000")
        elif kind == "white_highlighted":
            run.font.highlight_color = WD_COLOR_INDEX.BLUE
    document.save(str(path))
    return path


def _rewrite_part(path: Path, part: str, transform: object) -> Path:
    original = path.read_bytes()
    with zipfile.ZipFile(io.BytesIO(original)) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            target.writestr(info.filename, transform(data) if info.filename == part else data)  # type: ignore[operator]
    return path


def docx_with_entity(path: Path, *, billion_laughs: bool = False) -> Path:
    """A DOCX whose document.xml declares an external entity (reads /etc/passwd) or a billion-laughs DTD."""
    docx_file(path, paragraphs=("ENTITY_PLACEHOLDER",), table=())
    if billion_laughs:
        levels = ['<!ENTITY lol0 "lol">'] + [
            f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)
        ]
        dtd, reference = "<!DOCTYPE w:document [" + "".join(levels) + "]>", "&lol9;"
    else:
        dtd, reference = '<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>', "&xxe;"

    def inject(xml: bytes) -> bytes:
        head, _, body = xml.partition(b"?>")
        return head + b"?>" + dtd.encode() + body.replace(b"ENTITY_PLACEHOLDER", reference.encode())

    return _rewrite_part(path, "word/document.xml", inject)


def docx_zip_bomb(path: Path, expanded_mb: int = 256) -> Path:
    """A valid DOCX carrying one extra part of ``expanded_mb`` zeros (a few hundred KB compressed)."""
    docx_file(path)
    chunk = bytes(1024 * 1024)
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED, compresslevel=1) as archive, archive.open(
        "word/media/bomb.bin", "w", force_zip64=True
    ) as part:
        for _ in range(expanded_mb):
            part.write(chunk)
    return path


# --- HTML and text ------------------------------------------------------------------------------

def html_file(path: Path, body: str, *, title: str = "Dokumen") -> Path:
    path.write_text(f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{title}</title></head>"
                    f"<body>{body}</body></html>", encoding="utf-8")
    return path


def deep_html(path: Path, depth: int = 10_000, text: str = "teks terdalam") -> Path:
    """HTML nested ``depth`` levels deep (breaks recursive tree walkers)."""
    path.write_text("<!DOCTYPE html><html><body>" + "<div>" * depth + text + "</div>" * depth +
                    "<p>sesudah</p></body></html>", encoding="utf-8")
    return path


def dirty_text(path: Path) -> Path:
    """UTF-8 text (with accents and dashes) damaged by stray invalid bytes and NUL bytes."""
    head = "Peraturan Wali Kota — Café “Balikpapan” ".encode()
    tail = "tentang Sistem Pemerintahan Berbasis Elektronik — Balikpapan.\n".encode()
    path.write_bytes(head + b"\xff\xfe" + b"Nomor\x00 31\x00 Tahun 2020 " + tail)
    return path


def cp1252_text(path: Path) -> Path:
    """A legacy Windows-1252 text file (what older Windows editors save)."""
    path.write_bytes("Keputusan tentang “Kota Cerdas” — café Pontianak, résumé.\n".encode("cp1252"))
    return path


def long_line_text(path: Path, mb: float = 50) -> Path:
    """A text file of ``mb`` megabytes (rounded down to a byte) with no line break at all."""
    unit = b"kota cerdas balikpapan samarinda "
    size = int(mb * 1024 * 1024)
    with path.open("wb") as fh:
        for start in range(0, size, 1024 * 1024):  # a megabyte at a time: a 50 MB line is never held whole
            part = min(1024 * 1024, size - start)
            fh.write(unit * (part // len(unit)) + unit[: part % len(unit)])
    return path


def watermarked_scan_pdf(path: Path, pages: Sequence[PageSpec] = SAMPLE_PAGES[:1], *, dpi: int = 150,
                         watermark: str = "SUBBAG HUKUM") -> Path:
    """A scan whose only text layer is a visible watermark stamped across each page, as a legal bureau's
    copy of a LAPAN Keputusan carries: the layer is real words, but a dozen of them for a whole page."""
    pdf = canvas.Canvas(str(path), pagesize=A4)
    for image in _page_images(pages, dpi):
        pdf.drawImage(ImageReader(image), 0, 0, width=A4[0], height=A4[1])
        pdf.saveState()
        pdf.setFillGray(0.6)
        pdf.setFont("Helvetica-Bold", 48)
        pdf.translate(A4[0] / 2, A4[1] / 2)
        pdf.rotate(45)
        pdf.drawCentredString(0, 0, watermark)
        pdf.restoreState()
        pdf.showPage()
    pdf.save()
    return path


# A small Renstra: a cover naming the plan, chapters opening their pages, and a ruled target table whose header
# spans two rows (the years under "Target Kinerja"), as Indonesian plans print them.
PLAN_COVER = ("RENCANA STRATEGIS DINAS KOMUNIKASI DAN INFORMATIKA KOTA BALIKPAPAN TAHUN 2021-2026", (
    "Dokumen ini memuat tujuan, sasaran, strategi, kebijakan, program dan kegiatan Dinas Komunikasi dan "
    "Informatika Kota Balikpapan untuk periode lima tahun.",
))
PLAN_CHAPTERS: tuple[PageSpec, ...] = (
    ("BAB I PENDAHULUAN", ("Rencana strategis ini disusun sebagai pedoman perencanaan lima tahunan perangkat "
                           "daerah dan mengacu pada rencana pembangunan jangka menengah daerah.",)),
    ("BAB II GAMBARAN PELAYANAN", ("Pelayanan komunikasi dan informatika meliputi jaringan, aplikasi, data dan "
                                   "persandian yang dikelola oleh perangkat daerah.",)),
)
PLAN_TABLE = (
    ("Indeks SPBE", "Indeks", "2,30", ("2,50", "2,75", "3,00", "3,25", "3,50", "3,75"), "3,75"),
    ("Persentase perangkat daerah yang terhubung jaringan intra pemerintah", "%", "60,00",
     ("70,00", "80,00", "90,00", "100,00", "100,00", "100,00"), "100,00"),
    ("Jumlah layanan publik berbasis elektronik", "Layanan", "12", ("15", "20", "25", "30", "35", "40"), "40"),
)


def plan_pdf(path: Path) -> Path:
    """A born-digital Renstra with a ruled indicator table (baseline 2020, targets 2021-2026, end target)."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import landscape
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    styles = getSampleStyleSheet()
    years = [str(y) for y in range(2021, 2027)]
    header = [["No", "Indikator Kinerja", "Satuan", "Kondisi Awal", "Target Kinerja", "", "", "", "", "",
               "Target Akhir Periode"],
              ["", "", "", "2020", *years, ""]]
    body = [[str(i + 1), Paragraph(name, styles["BodyText"]), unit, base, *targets, end]
            for i, (name, unit, base, targets, end) in enumerate(PLAN_TABLE)]
    table = Table(header + body, colWidths=[25, 200, 50, 55, *[45] * 6, 70])
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("SPAN", (4, 0), (9, 0)), ("SPAN", (0, 0), (0, 1)), ("SPAN", (1, 0), (1, 1)), ("SPAN", (2, 0), (2, 1)),
        ("SPAN", (10, 0), (10, 1)), ("FONTSIZE", (0, 0), (-1, -1), 8),
    ]))
    story: list[object] = []
    for heading, paragraphs in (PLAN_COVER, *PLAN_CHAPTERS):
        story += [Paragraph(heading, styles["Heading1"]), *[Paragraph(p, styles["BodyText"]) for p in paragraphs],
                  PageBreak()]
    story += [Paragraph("BAB III TUJUAN DAN SASARAN", styles["Heading1"]),
              Paragraph("Tabel 3.1 Indikator Kinerja Dinas Komunikasi dan Informatika", styles["BodyText"]),
              Spacer(1, 12), table]
    SimpleDocTemplate(str(path), pagesize=landscape(A4)).build(story)
    return path


def rasterised_pdf(path: Path, source: Path, pages: Sequence[int] | None = None, *, dpi: int = 200,
                   skew_degrees: float = 0.0, noise: float = 0.0, seed: int = 1, blank: Collection[int] = ()) -> Path:
    """``source``'s pages (1-based; all when None) printed and scanned: each page only a grayscale picture of
    itself at ``dpi``, optionally turned by ``skew_degrees`` and speckled (``noise``: the share of pixels flipped
    to a random grey), as a flatbed scan of a printed plan comes out. The page size is the source's. A page in
    ``blank`` is scanned as bare paper (a page withheld from a measure): its speckles are still drawn, so every
    other page scans exactly as it would with it printed."""
    import numpy as np
    from PIL import Image

    rng = np.random.default_rng(seed)
    document = pdfium.PdfDocument(str(source))
    out = canvas.Canvas(str(path))
    try:
        numbers = list(pages) if pages is not None else list(range(1, len(document) + 1))
        for number in numbers:
            page = document[number - 1]
            width, height = page.get_size()
            if number in blank:  # the size pdfium renders at, the page itself never rendered
                across, down = math.ceil(width * dpi / 72), math.ceil(height * dpi / 72)
                image = Image.new("L", (down, across) if page.get_rotation() % 180 else (across, down), 255)
            else:
                image = page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
            if skew_degrees:
                image = image.rotate(skew_degrees, resample=Image.Resampling.BICUBIC, fillcolor=255)
            if noise:
                pixels = np.asarray(image).copy()
                flip = rng.random(pixels.shape) < noise
                pixels[flip] = rng.integers(0, 256, int(flip.sum()), dtype=np.uint8)
                image = Image.fromarray(pixels, "L")
            buffer = io.BytesIO()
            image.save(buffer, format="JPEG", quality=85, dpi=(dpi, dpi))
            out.setPageSize((width, height))
            out.drawImage(ImageReader(io.BytesIO(buffer.getvalue())), 0, 0, width=width, height=height)
            out.showPage()
    finally:
        document.close()
    out.save()
    return path


# A flat-topped "3" as a pen writes it (a bar, a stroke back to the middle, a bowl), leaning right, and the
# title's "TAHUN" in pen capitals whose U is two strokes: Tesseract reads the page's line "NOMOR: 4 TAHIIN 2015".
_Stroke = tuple[tuple[int, int], ...]
_PEN_THREE: tuple[_Stroke, ...] = (((0, 2), (26, 0), (8, 16)),
                                   ((8, 16), (22, 18), (30, 26), (30, 34), (22, 42), (10, 44), (0, 40)))
_PEN_TAHUN: tuple[tuple[_Stroke, ...], ...] = (
    (((0, 0), (20, 0)), ((10, 0), (10, 30))),
    (((0, 30), (9, 0), (18, 30)), ((4, 18), (14, 18))),
    (((0, 0), (0, 30)), ((16, 0), (16, 30)), ((0, 15), (16, 15))),
    (((0, 0), (0, 30)), ((16, 0), (16, 30))),
    (((0, 30), (0, 0), (16, 30), (16, 0)),),
)
_TITLE_PAGE_BODY = (
    "TENTANG", "MEKANISME PENETAPAN HARGA BENIH IKAN", "", "DENGAN RAHMAT TUHAN YANG MAHA ESA", "BUPATI PINRANG,",
    "Menimbang : a. bahwa untuk melaksanakan ketentuan perlu menetapkan",
    "Mengingat : 1. Undang-Undang Nomor 23 Tahun 2014;",
    "MEMUTUSKAN:", "Menetapkan : PERATURAN BUPATI TENTANG MEKANISME", "Pasal 1", "Harga benih ditetapkan oleh Bupati.",
)


def handwritten_number_scan(path: Path) -> Path:
    """A 150 dpi scan of a Perbup's title page whose number (3) and TAHUN are written by pen into the typed
    "NOMOR :" line."""
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype("/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf", 30)
    page = Image.new("L", (1240, 1754), 255)  # A4 at 150 dpi
    draw = ImageDraw.Draw(page)
    draw.text((420, 150), "PERATURAN BUPATI PINRANG", font=font, fill=0)
    draw.text((450, 210), "NOMOR :", font=font, fill=0)
    for stroke in _PEN_THREE:  # leaning 8 px over its height
        draw.line([(590 + x + 8 * (44 - y) // 44, 204 + y) for x, y in stroke], fill=0, width=3, joint="curve")
    for i, letter in enumerate(_PEN_TAHUN):
        for stroke in letter:
            draw.line([(660 + 26 * i + x, 210 + y) for x, y in stroke], fill=0, width=3)
    draw.text((800, 207), "2015", font=font, fill=0)
    for n, line in enumerate(_TITLE_PAGE_BODY):
        draw.text((150, 290 + 50 * n), line, font=font, fill=0)
    pdf = canvas.Canvas(str(path), pagesize=A4)
    pdf.drawImage(ImageReader(page), 0, 0, width=A4[0], height=A4[1])
    pdf.showPage()
    pdf.save()
    return path
