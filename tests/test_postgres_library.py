"""The product on a PostgreSQL catalog (``BK_STORE__DATABASE_URL``) beside the embedded Chroma store: two real
regulations from documents/ ingested by the CLI, then searched, cited and listed through the read side
(``Library.open``), checked whole by the crash trials' consistency check, and one deleted again by the CLI; with
the embedded lexical index, and with the one the same database serves (``BK_STORE__LEXICAL=postgres``)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from core.settings import PROJECT_ROOT
from core.types import SearchFilters
from testing.consistency import check_library
from testing.corpus import corpus_env, make_settings
from vectorstore.library import Library

REGULATIONS = PROJECT_ROOT / "documents" / "regulations"
BANYUWANGI = REGULATIONS / "perbup_banyuwangi_19_2012_pedoman_ppid.pdf"
SINGKAWANG = REGULATIONS / "perwako_singkawang_24_2018_sop_layanan_informasi_publik.pdf"


def cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([sys.executable, "-m", "ingest.cli", *args], cwd=PROJECT_ROOT, env=env,
                            capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


@pytest.mark.slow
@pytest.mark.parametrize("lexical", ["bm25s", "postgres"])
def test_regulations_ingested_with_a_postgres_catalog_are_searched_cited_and_deleted(postgres_url: str, lexical: str,
                                                                                    tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    env = corpus_env(data_dir, BK_STORE__DATABASE_URL=postgres_url, BK_STORE__LEXICAL=lexical)
    cli(env, "ingest", str(BANYUWANGI), str(SINGKAWANG))
    assert not (data_dir / "catalog.sqlite").exists(), "the catalog is in PostgreSQL, not the data folder"
    assert (data_dir / "lexical").exists() == (lexical == "bm25s"), "a served index leaves nothing in the folder"

    settings = make_settings(data_dir)
    store = settings.store.model_copy(update={"database_url": postgres_url, "lexical": lexical})
    settings = settings.model_copy(update={"store": store})
    with Library.open(settings) as library:
        assert type(library.lexical).__name__ == {"bm25s": "LexicalIndex", "postgres": "PostgresLexicalIndex"}[lexical]
        assert library.catalog.url.startswith("postgresql+psycopg://")
        docs = {d.filename: d for d in library.documents()}
        assert set(docs) == {BANYUWANGI.name, SINGKAWANG.name}
        banyuwangi, singkawang = docs[BANYUWANGI.name], docs[SINGKAWANG.name]
        assert banyuwangi.regulation is not None and (banyuwangi.regulation.instrument, banyuwangi.regulation.number,
                                                      banyuwangi.regulation.year) == ("Perbup", "19", 2012)
        assert library.stats()["passages"] == banyuwangi.passage_count + singkawang.passage_count > 0

        hits = library.search("pejabat pengelola informasi dan dokumentasi kabupaten banyuwangi", k=5)
        assert hits and hits[0].passage.doc_id == banyuwangi.doc_id, [h.title for h in hits]
        assert hits[0].citation_label, "a hit carries its citation"
        only = library.search("standar operasional prosedur layanan informasi publik",
                              SearchFilters(doc_ids=[singkawang.doc_id]), k=3)
        assert only and {h.passage.doc_id for h in only} == {singkawang.doc_id}
        clean = library.catalog.get_clean(hits[0].passage.doc_id)
        assert clean is not None and hits[0].passage.text[:40] in clean.text

        regulations = {e.ref.key: e for e in library.regulations()}
        assert banyuwangi.regulation.key in regulations
        assert library.catalog.get_outline(banyuwangi.doc_id), "the outline of its chapters and articles"
        report = check_library(library)
        assert report.ok, report.problems
        assert report.orphan_rows == 0 and report.documents == 2

    cli(env, "delete", singkawang.doc_id)
    with Library.open(settings) as library:
        assert [d.doc_id for d in library.documents()] == [banyuwangi.doc_id]
        assert all(h.passage.doc_id == banyuwangi.doc_id for h in library.search("layanan informasi publik", k=10))
        report = check_library(library)
        assert report.ok, report.problems
