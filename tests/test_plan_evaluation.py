"""The plan questions (issue 19): split by document into ``plan-tuning`` (the Bappeda Renstra) and ``plan-test`` (the
RKPD 2016), scored as parts of their own beside the regulation parts."""

from __future__ import annotations

from collections import Counter

from api.evaluation import PARTS, PLAN_DEVSET, load_all, load_questions, split_files


def test_plan_devset_is_split_by_document_and_broad_enough() -> None:
    questions = load_questions(PLAN_DEVSET, "")
    split = split_files()
    assert split["plan-tuning"] and split["plan-test"]
    assert not set(split["plan-tuning"]) & set(split["plan-test"])
    for q in questions:
        # A question without a part would silently land in whatever part the loader defaults to.
        assert q.part in ("plan-tuning", "plan-test"), q.id
        assert all(e["file"] in split[q.part] for e in q.expected_evidence), q.id
    by_part = Counter(q.part for q in questions)
    assert by_part["plan-tuning"] >= 20 and by_part["plan-test"] >= 20
    for part in ("plan-tuning", "plan-test"):
        chosen = [q for q in questions if q.part == part]
        languages = Counter(q.language for q in chosen)
        assert abs(languages["en"] - languages["id"]) <= 0.2 * len(chosen), part
        assert sum(not q.answerable for q in chosen) >= 3, part
        assert all(q.key_facts for q in chosen if q.answerable), part


def test_plan_parts_are_scored_with_all_and_apart_from_the_regulation_parts() -> None:
    assert {"plan-tuning", "plan-test"} <= set(PARTS)
    everything = load_all()
    assert {q.part for q in everything} == set(PARTS)
    assert not {q.part for q in load_all(("tuning", "test"))} & {"plan-tuning", "plan-test"}
    assert {q.part for q in load_all(("plan-test",))} == {"plan-test"}
