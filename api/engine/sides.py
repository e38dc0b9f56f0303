"""What a comparison asks each named instrument. "PP 4/2014 says quality assurance runs through accreditation
by which bodies, and under BAN-PT Regulation 9/2020 when does a LAM start accrediting?" asks the PP about bodies
and the BAN-PT regulation about a start date: judged on the whole question, each side is ranked for the other's
words as much as its own.

The question is cut into clauses (at ";", "?", a comma before "and"/"while"/"sedangkan" …, and before "compared
with"/"dibandingkan dengan"). An instrument's side is its own clause and the clauses that name no instrument
("Compare the two:"). Nothing is cut when two instruments share a clause ("how do A and B define X").
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from core.legal_patterns import normalise_numbers

# The words that open a comparison's other side: a clause breaks before them.
_COMPARISON = r"(?:compared\s+(?:with|to)|as\s+against|dibandingkan\s+dengan|versus|vs\.)\s"
_CLAUSE_BREAK = re.compile(
    r"\s*[;?]\s*"
    r"|,\s*(?=(?:and|but|while|whereas|then|sedangkan|serta|dan|namun|tetapi|lalu|adapun)\b)"
    # A second question after a comma ("…, how does that compare with …"); not "which" or "who", which open a
    # relative clause as often.
    r"|,\s*(?=(?:how|what|bagaimana|apakah|berapa)\b)"
    rf"|\s+(?={_COMPARISON})",
    re.IGNORECASE,
)
_COMPARED = re.compile(rf"\s*{_COMPARISON}", re.IGNORECASE)
# The words that join a further side to the question: "… under Perpres 161/2015, and a dean under the statute?".
_JOINED = re.compile(r"\s*(?:and|dan|serta|as\s+well\s+as|begitu\s+pula|juga)\s", re.IGNORECASE)
# "Bandingkan A dengan B", "Compare A with B": after an opening "compare", "with" opens the other side.
_COMPARE_OPENS = re.compile(r"\s*(?:bandingkan|compare)\b", re.IGNORECASE)
_OTHER_SIDE = re.compile(r"\s+(?=(?:dengan|with)\s)", re.IGNORECASE)
_ASKS = re.compile(r"\b(?:what|which|who|whom|when|where|why|how|apa|apakah|siapa|kapan|di\s*mana|mengapa|"
                   r"bagaimana|berapa|seberapa|mana|manakah|bilamana)\b", re.IGNORECASE)
_RELATIVE = re.compile(r"\b(?:yang|who|whose|that|which)\b", re.IGNORECASE)


def clause_at(text: str, at: int) -> tuple[int, int]:
    """The span of the clause of ``text`` that holds position ``at``."""
    start, end = 0, len(text)
    for cut in _CLAUSE_BREAK.finditer(text):
        if cut.end() <= at:
            start = cut.end()
        elif cut.start() >= at:
            end = cut.start()
            break
    return start, end


def side_clauses(question: str, named: Sequence[tuple[str, int] | str]) -> tuple[str, ...]:
    """For each side the question names, an instrument by (number, year) or a region by the words naming it,
    the part of the question asked of it; all "" when the question does not ask its sides apart."""
    text = normalise_numbers(question.lower())
    bounds = [0]
    breaks = [*_CLAUSE_BREAK.finditer(text), *(_OTHER_SIDE.finditer(text) if _COMPARE_OPENS.match(text) else ())]
    for match in sorted(breaks, key=lambda m: m.start()):
        bounds += [match.start(), match.end()]
    bounds.append(len(text))
    clauses = [(bounds[k], bounds[k + 1]) for k in range(0, len(bounds), 2)]
    owners = [_clause_at(clauses, _mention(text, side)) for side in named]
    if len(named) < 2 or None in owners or len(set(owners)) < len(owners):
        return tuple("" for _ in named)
    shared = [text[lo:hi] for k, (lo, hi) in enumerate(clauses) if k not in owners]
    own = [text[clauses[k][0] : clauses[k][1]] for k in owners if k is not None]
    # "How are incentives handled in A, compared with B on levies?": B's clause asks nothing of its own.
    return tuple("" if _elliptical(clause) else " ".join([clause, *shared]).strip() for clause in own)


def _elliptical(clause: str) -> bool:
    """A clause that only names the other side of a comparison ("compared with Magelang's Perda 4/2022 on
    retribution levies", "and a Universitas Haluoleo office-holder such as a dean under the 2012 statute"): it
    opens with the comparison or a joining "and", and asks no question of its own, nor states a condition of its
    own in a relative clause ("dibandingkan dengan pegawai yang mengambil cuti besar menurut …"). What it names
    is asked what the question asks, so its own words alone would judge its side on who, not on what."""
    opens = _COMPARED.match(clause) or _JOINED.match(clause)
    return bool(opens) and not _ASKS.search(clause) and not _RELATIVE.search(clause)


def _mention(text: str, side: tuple[str, int] | str) -> int | None:
    """Where the question names the side: a region by its words; an instrument by its number ("4/2014"), else
    (described) by its year."""
    if isinstance(side, str):
        at = text.find(side.lower())
        return at if at >= 0 else None
    number, year = side
    at = text.find(f"{number}/{year}".lower())
    if at >= 0:
        return at
    found = re.search(rf"(?<![\w/.\-]){year}(?![\w/\-])", text)
    return found.start() if found else None


def _clause_at(clauses: Sequence[tuple[int, int]], at: int | None) -> int | None:
    if at is None:
        return None
    return next((k for k, (lo, hi) in enumerate(clauses) if lo <= at < hi), None)
