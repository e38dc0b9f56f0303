"""Whether a regulation mention is plausible enough to be listed as an instrument (the comparison matrix, a
city's instruments), or only kept as a searchable mention.

OCR and loose citations make mentions no region ever issued: "Perwali No. 1" read from "1$", "Perda No.
133-3/2018" from a damaged table. The bounds below come from the legal hierarchy (UU 12/2011 and its
Permendagri 80/2015 numbering: a Peraturan is numbered with a plain serial number per year, a Keputusan with
a classification code) and from how many instruments an issuer makes in a year.
"""

from __future__ import annotations

import datetime as dt
import re

from core.legal_patterns import LOCAL_KINDS
from core.types import RegulationRef

# A Peraturan's number is its serial number in the year: a plain integer.
_SERIAL = re.compile(r"\d{1,4}")
# Upper bounds on a year's serial numbers, generous: a kabupaten issues some 10-40 Perda a year and up to a
# few hundred Perbup; ministries and DKI's governor the most (PMK and Pergub DKI pass 200 in some years).
_MAX_SERIAL = {"Perda": 150, "Perwali": 400, "Perbup": 400, "Pergub": 400, "UU": 200, "Perppu": 20, "PP": 200,
               "Perpres": 300}
_MAX_NATIONAL_SERIAL = 999
_LOCAL_REGULATIONS = frozenset(k for k in LOCAL_KINDS if k.startswith("Per"))  # not decrees or instructions
_DECISIONS = re.compile(r"^(?:Kep|Ins|In[a-z]|Keputusan)")  # Keputusan and Instruksi: classification numbers
_FIRST_YEAR = 1945
# Characters OCR leaves in place of a digit or after one ("1$", "l§"): never part of a printed reference.
_DEBRIS = re.compile(r"[$§¢£€¥|^~*@#%&=<>{}\[\]\\]")


def listable(ref: RegulationRef) -> bool:
    """A mention plausible as an instrument: its number and year fit its kind, its text is no OCR debris."""
    if ref.instrument == "UUD":
        return True
    if _DEBRIS.search(ref.surface):
        return False
    if ref.year is not None and not _FIRST_YEAR <= ref.year <= dt.date.today().year + 1:
        return False
    if not any(c.isdigit() for c in ref.number):
        return False
    if _DECISIONS.match(ref.instrument):
        return True
    # A local regulation cited without its year ("Perwali No. 1") names nothing a reader could find.
    if ref.year is None and ref.instrument in _LOCAL_REGULATIONS:
        return False
    if not _SERIAL.fullmatch(ref.number):
        return False
    serial = int(ref.number)
    return 1 <= serial <= _MAX_SERIAL.get(ref.instrument, _MAX_NATIONAL_SERIAL)
