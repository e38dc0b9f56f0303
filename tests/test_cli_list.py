"""`banding-kota list` shows what `delete` needs: every document id whole, even in a narrow terminal."""

from __future__ import annotations

import subprocess
import sys

from core.settings import PROJECT_ROOT
from testing.corpus import copy_corpus, corpus_env


def test_list_shows_every_whole_document_id_and_its_passages_in_80_columns(built_corpus, tmp_path_factory):
    data_dir = copy_corpus(built_corpus, tmp_path_factory, "cli-list")
    result = subprocess.run([sys.executable, "-m", "ingest.cli", "list"], env=corpus_env(data_dir, COLUMNS="80"),
                            cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    from testing.corpus import make_settings
    from vectorstore.library import Library

    with Library.open(make_settings(data_dir)) as library:
        docs = library.documents()
    rows = {line.split()[0]: line for line in result.stdout.splitlines()[1:] if line.strip()}
    assert set(rows) == {d.doc_id for d in docs}
    for doc in docs:
        assert f" {doc.passage_count} " in rows[doc.doc_id]
