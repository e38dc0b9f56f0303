"""Quality floors on an evaluation part's figures (``api.evaluation``), checked one way for every devset."""

from __future__ import annotations

from collections.abc import Mapping

# Figures where lower is better; the rest are shares where higher is better.
_CEILINGS = ("answerable_refused", "boilerplate_answers")


def assert_meets_floors(figures: Mapping[str, object], floors: Mapping[str, float], part: str, report: str) -> None:
    """Every citation verbatim, and each figure on the right side of its floor (a ceiling for the refusals of
    answerable questions and boilerplate answers); ``report`` (the part's failures) explains a miss."""
    assert figures["citation_validity"] == 1.0, report
    for name, floor in floors.items():
        value = figures[name]
        assert isinstance(value, (int, float)), f"{part} {name} is {value!r}"
        if name in _CEILINGS:
            assert value <= floor, f"{part} {name} {value} > {floor}\n{report}"
        else:
            assert value >= floor, f"{part} {name} {value} < {floor}\n{report}"
