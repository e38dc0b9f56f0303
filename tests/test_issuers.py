"""Who issued a document (api/engine/issuers.py): the strict rule a comparison's sides use and the lenient one
that resolves a named instrument, side by side so that their difference stays deliberate."""

from __future__ import annotations

from api.engine.issuers import issued_by, issued_in
from core.types import DocumentMeta, Region, RegulationRef

KOTA = Region(code="33.71", name="Magelang", kind="kota", official="Kota Magelang", province="Jawa Tengah")
KABUPATEN = Region(code="33.08", name="Magelang", kind="kabupaten", official="Kabupaten Magelang",
                   province="Jawa Tengah")


def _meta(ref: RegulationRef | None, cities: tuple[str, ...] = ()) -> DocumentMeta:
    return DocumentMeta(doc_id="d", filename="d.pdf", media_type="application/pdf", title="d", regulation=ref,
                        cities=cities)


def test_a_national_instrument_is_a_regions_only_when_about_it_but_any_region_may_name_it() -> None:
    perpres = _meta(RegulationRef(instrument="Perpres", number="82", year=2023), cities=(KOTA.code,))
    assert issued_by(perpres, KOTA) and not issued_by(perpres, KABUPATEN)
    assert issued_in(perpres, [KOTA]) and issued_in(perpres, [KABUPATEN])


def test_a_namesake_regions_instrument_resolves_but_is_not_the_other_regions_own() -> None:
    perda = _meta(RegulationRef(instrument="Perda", number="4", year=2022, region_code=KABUPATEN.code,
                                region_name=KABUPATEN.official))
    assert issued_in(perda, [KOTA]) and not issued_by(perda, KOTA) and issued_by(perda, KABUPATEN)


def test_a_document_that_is_no_regulation_belongs_to_the_region_it_is_about() -> None:
    paper = _meta(None, cities=(KOTA.code,))
    assert issued_by(paper, KOTA) and not issued_by(paper, KABUPATEN) and not issued_by(None, KOTA)
