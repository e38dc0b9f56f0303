"""How the regulation registry keeps one reference per regulation: which of two mentions' wording wins, and
which partial references (no year, no region) fold into a complete one. Pure functions over ``RegulationRef``
and ``RegulationEntry``; the catalog applies them as it stores and lists."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from core.types import RegulationEntry, RegulationRef


def richer(a: RegulationRef, b: RegulationRef) -> RegulationRef:
    """Of two mentions with one key, keep the one that says more (subject, region name), and of two subjects
    the one written in normal case over a shouted one copied from a title block ("FORUM SATU DATA ...")."""
    def score(r: RegulationRef) -> tuple[bool, bool, bool]:
        return (r.subject is not None, r.subject is not None and not r.subject.isupper(), r.region_name is not None)

    return b if score(b) > score(a) else a


def own_first(own: RegulationRef, other: RegulationRef) -> RegulationRef:
    """A regulation's own title block is its identity; a mention elsewhere only fills what the title lacks."""
    missing = {name: getattr(other, name) for name in ("subject", "region_name") if getattr(own, name) is None}
    return own.model_copy(update={k: v for k, v in missing.items() if v is not None})


Ident = tuple[str, str | None, str, int | None]


def _fold(
    entries: Sequence[RegulationEntry],
    ident: Callable[[RegulationRef], Ident],
    partial: Callable[[RegulationRef], bool],
) -> list[RegulationEntry]:
    """Fold each ``partial`` entry into the one complete entry with the same ``ident``; with none or several
    candidates the partial entry stays apart, since guessing would be wrong half the time."""
    complete: dict[Ident, list[int]] = {}
    for i, entry in enumerate(entries):
        if not partial(entry.ref):
            complete.setdefault(ident(entry.ref), []).append(i)
    folded: dict[int, list[RegulationEntry]] = {}
    gone: set[int] = set()
    for i, entry in enumerate(entries):
        candidates = complete.get(ident(entry.ref), [])
        if partial(entry.ref) and len(candidates) == 1:
            folded.setdefault(candidates[0], []).append(entry)
            gone.add(i)
    return [_absorb(entry, folded.get(i, [])) for i, entry in enumerate(entries) if i not in gone]


def _absorb(entry: RegulationEntry, parts: Sequence[RegulationEntry]) -> RegulationEntry:
    occurrences = [*entry.occurrences, *(o for part in parts for o in part.occurrences)]
    aliases = (*entry.aliases, *(key for part in parts for key in (part.ref.key, *part.aliases)))
    return RegulationEntry(entry.ref, occurrences, aliases)


def merge_regional(entries: Sequence[RegulationEntry]) -> list[RegulationEntry]:
    """A ref without ``region_code`` is folded into the single ref *with* one of the same instrument, number
    and year (two cities' Perwali 5/2020 keep a regionless mention apart)."""
    return _fold(entries, lambda r: (r.instrument.lower(), None, r.number.lower(), r.year),
                 lambda r: r.region_code is None)


def merge_yearless(entries: Sequence[RegulationEntry]) -> list[RegulationEntry]:
    """A ref whose source omits the year ("Permendagri Nomor 90") is folded into the single ref of the same
    instrument, region and number that has one (Permendagri 90/2019); the yearless key stays stored."""
    return _fold(entries, lambda r: (r.instrument.lower(), r.region_code, r.number.lower(), None),
                 lambda r: r.year is None)


def matches(ref: RegulationRef, city: str | None, instrument: str | None, year: int | None) -> bool:
    """Does ``ref`` pass the registry's filters: issuing region (code or official name), instrument and year?"""
    if instrument and ref.instrument.lower() != instrument.lower():
        return False
    if year is not None and ref.year != year:
        return False
    if city:
        wanted = city.lower()
        names = {(ref.region_code or "").lower(), (ref.region_name or "").lower()}
        if wanted not in names:
            return False
    return True
