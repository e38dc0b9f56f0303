"""The benchmark's building blocks, run small: the scale corpus is reproducible, names other real cities and
other regulation numbers, and a slice of it goes through the real ingest. Nothing here is timed."""

from __future__ import annotations

import json
import random
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.gazetteer import Gazetteer
from core.settings import PROJECT_ROOT
from tests.script_modules import load_script

scale_corpus = load_script("scale_corpus")
DOCS = 20


@pytest.fixture(scope="module")
def corpus():
    return scale_corpus.ScaleCorpus.from_documents(PROJECT_ROOT / "documents")


def _source_regions(gazetteer: Gazetteer) -> set[str]:
    codes: set[str] = set()
    for path in scale_corpus.paper_languages(PROJECT_ROOT / "documents"):
        codes.update(m.region.code for m in gazetteer.city_mentions(path.read_text(encoding="utf-8")))
    return codes


def test_same_seed_writes_the_same_bytes_and_a_slice_is_the_start(corpus, tmp_path: Path) -> None:
    again = scale_corpus.ScaleCorpus.from_documents(PROJECT_ROOT / "documents", seed=corpus.seed)
    first = corpus.write(tmp_path / "a", DOCS)
    second = again.write(tmp_path / "b", DOCS // 4)
    assert [p.read_bytes() for p in first[: DOCS // 4]] == [p.read_bytes() for p in second]
    other = scale_corpus.ScaleCorpus.from_documents(PROJECT_ROOT / "documents", seed=corpus.seed + 1)
    assert [other.document(i) for i in range(DOCS)] != [p.read_text(encoding="utf-8") for p in first]
    assert len({p.read_bytes() for p in first}) == DOCS, "every generated document differs from the others"


def test_cities_are_swapped_for_other_real_kab_kota(corpus) -> None:
    gazetteer = corpus.gazetteer
    named_in_sources = _source_regions(gazetteer)
    assert {"64.71", "35.73"} <= named_in_sources, "the sample papers name Balikpapan and Malang"
    mentioned: set[str] = set()
    for i in range(DOCS):
        text = corpus.document(i)
        regions = {m.region.code: m.region for m in gazetteer.city_mentions(text) if m.region.kind != "provinsi"}
        assert not set(regions) & named_in_sources, f"document {i} still names a city of the sample papers"
        assert all(gazetteer.get(code) == region for code, region in regions.items())
        assert not re.search(r"\b(?:Balikpapan|Samarinda|Malang)\b", text)
        mentioned.update(regions)
    assert len(mentioned) >= 10, "documents name many different real cities"


def test_paragraphs_come_from_the_sample_papers(corpus) -> None:
    source_words = set()
    for path in scale_corpus.paper_languages(PROJECT_ROOT / "documents"):
        source_words.update(re.findall(r"[a-z]{6,}", path.read_text(encoding="utf-8").lower()))
    words = re.findall(r"[a-z]{6,}", corpus.document(0).lower())
    # Only city names and the generated title words are new; the rest is the papers' own text.
    assert sum(w in source_words for w in words) / len(words) > 0.95


_FILLER = st.lists(st.sampled_from(["kota", "the", "peraturan", "tentang", "and", "pasal", "data", ","]),
                   min_size=0, max_size=4).map(" ".join)
_REF = st.tuples(st.sampled_from(["Nomor", "No.", "Number"]), st.integers(1, 999),
                 st.sampled_from([" Tahun ", " of "]), st.integers(1990, 2029))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(_FILLER, _REF), min_size=1, max_size=6), st.integers(0, 2**16))
def test_regulation_numbers_vary_consistently_and_nothing_else_changes(parts, seed) -> None:
    text = " ".join(f"{filler} {a} {n}{sep}{y}" for filler, (a, n, sep, y) in parts)
    out = scale_corpus.vary_regulation_numbers(text, random.Random(seed))
    ref = re.compile(r"(Nomor|No\.|Number) (\d+)( Tahun | of )(\d{4})")
    assert ref.sub("REF", out) == ref.sub("REF", text), "only numbers and years change"
    before = [(m.group(2), m.group(4)) for m in ref.finditer(text)]
    after = [(m.group(2), m.group(4)) for m in ref.finditer(out)]
    assert len(before) == len(after)
    mapping: dict[tuple[str, str], tuple[str, str]] = {}
    for old, new in zip(before, after, strict=True):
        assert mapping.setdefault(old, new) == new, "one regulation keeps one new number within a document"
        assert 2005 <= int(new[1]) <= 2024


def test_a_scale_document_ingests_with_passages_timings_and_its_cities(corpus, tmp_path: Path) -> None:
    from ingest.library import LibraryWriter
    from testing.corpus import make_settings

    # The shortest of the first documents keeps the real embedding (the slow part) to a few passages.
    paths = corpus.write(tmp_path / "docs", DOCS)
    path = min(paths, key=lambda p: p.stat().st_size)
    with LibraryWriter.open(make_settings(tmp_path / "data")) as library:
        [outcome] = library.ingest_paths([path])
        [meta] = library.documents()
    assert outcome.status == "added" and outcome.passages > 0
    assert set(outcome.timings) >= {"parse", "chunk", "embed", "store"}
    named = {m.region.code for m in corpus.gazetteer.city_mentions(path.read_text(encoding="utf-8"))}
    assert meta.cities and set(meta.cities) <= named, "the document is filed under cities it names"


def test_the_text_benchmark_runs_and_prints_each_figure():
    result = subprocess.run([sys.executable, str(PROJECT_ROOT / "scripts" / "benchmark_text.py"), "--repeat", "1"],
                            cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    for figure in ("gazetteer build", "city mentions", "regulation references", "cleaning"):
        assert re.search(rf"{figure}.*\d+\.\d+ (ms|MB/s)", result.stdout), result.stdout


def test_the_lexical_benchmark_measures_both_indexes_over_the_same_synthetic_passages(tmp_path: Path) -> None:
    out = tmp_path / "lexical.json"
    result = subprocess.run([sys.executable, str(PROJECT_ROOT / "scripts" / "benchmark.py"), "--lexical", "300",
                             "--json", str(out)], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "SYNTHETIC" in result.stdout, "synthetic text is labelled as such"
    embedded, served = json.loads(out.read_text(encoding="utf-8"))["lexical"]
    assert (embedded["engine"], served["engine"]) == ("bm25s (embedded)", "postgres (served)")
    assert embedded["passages"] == served["passages"] >= 300
    assert embedded["queries"] == served["queries"] > 500, "every devset question"
    assert served["server_mb"] > 0 == embedded["server_mb"] and embedded["reader_mb"] > 0
    assert all(row["p95_ms"] >= row["p50_ms"] > 0 for row in (embedded, served))


def test_the_served_benchmark_measures_the_api_with_its_passages_held_and_read_per_search(tmp_path: Path) -> None:
    out = tmp_path / "served.json"
    result = subprocess.run([sys.executable, str(PROJECT_ROOT / "scripts" / "benchmark.py"), "--served", "300",
                             "--requests", "3", "--json", str(out)], cwd=PROJECT_ROOT, capture_output=True, text=True,
                            timeout=900)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "SYNTHETIC" in result.stdout, "the synthetic store is labelled as such"
    memory, stored = json.loads(out.read_text(encoding="utf-8"))["served"]
    assert (memory["views"], stored["views"]) == ("memory", "store")
    assert memory["passages"] == stored["passages"] >= 300
    assert memory["stages"]["passage views held"] == 1.0 and stored["stages"]["passage views held"] == 0.0
    for row in (memory, stored):
        assert row["search_n"] == 3 and row["search_p95_ms"] >= row["search_p50_ms"] > 0
        assert row["api_peak_mb"] > row["stages"]["interpreter and imports"] > 0


def test_the_scanned_plan_benchmark_ocrs_the_pages_and_reports_pages_per_second_by_stage(tmp_path: Path) -> None:
    out = tmp_path / "plan-scanned.json"
    result = subprocess.run([sys.executable, str(PROJECT_ROOT / "scripts" / "benchmark.py"), "--plan-scanned", "2",
                             "--skip", "ingest,embedders,ocr,latency,quality", "--work-dir", str(tmp_path / "work"),
                             "--json", str(out)], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "scanned plan of 2 pages" in result.stdout
    report = json.loads(out.read_text(encoding="utf-8"))
    assert "plan" not in report, "only the scanned plan was asked for"
    scanned = report["plan_scanned"]
    assert scanned["scanned"] is True and scanned["pages"] == 2 and scanned["status"] != "failed"
    assert scanned["within_parse_limits"] is True and scanned["passages"] > 0
    assert scanned["stage_pages_per_s"]["parse"] > 0 and scanned["pages_per_s"] > 0
