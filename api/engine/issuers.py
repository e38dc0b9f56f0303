"""Who issued a document, asked two ways. Both rules live here so that one is not changed without the other.

- :func:`issued_by` (strict): a comparison's side for a region reads only that region's own documents: the
  regulations it issued, and the documents with no issuer of their own (national instruments, papers,
  plans) that are about it; another region's instrument never.
- :func:`issued_in` (lenient): resolving an instrument a question names; a national instrument may be named
  by anyone, and a namesake region's counts ("Magelang" is the Kota and the Kabupaten).
- :func:`issued_apart` (its converse): a region named beside one instrument is another side to compare only
  when :func:`issued_in` would not read the instrument as the region's, nor the region as holding or inside
  the instrument's issuer.
"""

from __future__ import annotations

from collections.abc import Sequence

from core.types import DocumentMeta, Region


def issued_by(meta: DocumentMeta | None, region: Region) -> bool:
    """Is the document the region's own: a regulation it issued, or a document with no issuing region that is
    about it?"""
    if meta is None:
        return False
    issuer = meta.regulation.region_code if meta.regulation is not None else None
    return issuer == region.code or (issuer is None and region.code in meta.cities)


def issued_in(meta: DocumentMeta, regions: Sequence[Region]) -> bool:
    """Is the document national, or issued by one of the regions, or by a namesake of one ("Magelang" is
    read as the Kota; a Perda of the Kabupaten is as likely meant)?"""
    ref = meta.regulation
    if ref is None or ref.region_code is None:
        return True
    issuer = (ref.region_name or "").lower()
    return any(ref.region_code == r.code or issuer.endswith(f" {r.name.lower()}") for r in regions)


def issued_apart(meta: DocumentMeta, region: Region) -> bool:
    """Is the region apart from the document's issuer: not it, not its namesake, neither a province holding it
    nor a region inside it? Every region is apart from a national instrument."""
    ref = meta.regulation
    code = ref.region_code if ref is not None else None
    if code is None:
        return not meta.cities or all(_apart(c, region.code) for c in meta.cities)
    return not issued_in(meta, [region]) and _apart(code, region.code)


def _apart(code: str, other: str) -> bool:
    return code != other and not code.startswith(f"{other}.") and not other.startswith(f"{code}.")
