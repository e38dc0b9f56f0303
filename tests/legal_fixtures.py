"""Clean text of the sample regulations, extracted once per test session.

The real pipeline is used: ``load_document`` + ``clean_pages``, with OCR limited to the first pages (the
image-only Kendari scan carries its whole title block on page 1). OCR results land in the settings'
data dir, so one session OCRs each page once.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from core.settings import PROJECT_ROOT
from core.types import Page, RegulationRef
from testing.corpus import make_settings

REGULATIONS = PROJECT_ROOT / "documents" / "regulations"
PAPERS = PROJECT_ROOT / "documents" / "papers"
# Without the loader, OCR only the page holding the title block (and, for Kendari, the amended regulation).
TITLE_PAGES = 1

BSSN = "peraturan_bssn_8_2024_audit_keamanan_spbe.pdf"
SINGKAWANG = "perwako_singkawang_24_2018_sop_layanan_informasi_publik.pdf"
BANYUWANGI = "perbup_banyuwangi_19_2012_pedoman_ppid.pdf"
SURABAYA = "perwali_surabaya_68_2021_sotk_sekretariat_dprd.pdf"
KEPGUB = "kepgub_kalbar_224_bappeda_2023_forum_satu_data_indonesia.pdf"
KENDARI = "perwali_kendari_19_2024_perubahan_ketiga_hspk_asb_SCAN_image_only.pdf"
PERPRES = "perpres_82_2023_percepatan_transformasi_digital_SCAN_ocr_layer.pdf"
ALL = (BSSN, SINGKAWANG, BANYUWANGI, SURABAYA, KEPGUB, KENDARI, PERPRES)

# What documents/manifest.json and the file name say about the Kendari scan, whose number is handwritten.
KENDARI_HINT = RegulationRef(instrument="Perwali", number="19", year=2024, region_code="74.71",
                             region_name="Kota Kendari")
HINTS = {KENDARI: KENDARI_HINT}


@cache
def regulation_text(filename: str, data_dir: Path, *, every_page: bool = False) -> str:
    """``every_page``: OCR the whole scan (Kendari's Pasal I, the amendment itself, is on page 4)."""
    from ingest.cleaning import clean_pages

    try:
        from ingest.loaders import load_document
    except ImportError:  # the loaders are written in parallel; until then read the PDFs directly
        return clean_pages(_pages_without_loader(REGULATIONS / filename)).text
    settings = make_settings(data_dir)
    if every_page:
        settings = settings.model_copy(update={"ocr": settings.ocr.model_copy(update={"max_pages": None})})
    extracted = load_document(REGULATIONS / filename, settings)
    return clean_pages(extracted.pages).text


def _pages_without_loader(path: Path) -> list[Page]:
    import pypdf

    pages = [Page(number=n, text=p.extract_text() or "") for n, p in enumerate(pypdf.PdfReader(path).pages, 1)]
    if any(p.text.strip() for p in pages):
        return pages
    import pypdfium2
    import pytesseract

    pdf = pypdfium2.PdfDocument(path)
    images = [pdf[n].render(scale=300 / 72).to_pil() for n in range(min(TITLE_PAGES, len(pdf)))]
    return [Page(number=n, text=pytesseract.image_to_string(img, lang="ind+eng"), source="ocr")
            for n, img in enumerate(images, 1)]
