"""The command line's own behaviour: `banding-kota reembed` leaves a store already on the configured model as it
is, and a failure prints its message as written."""

from __future__ import annotations

import subprocess
import sys

from core.settings import PROJECT_ROOT
from testing.corpus import copy_corpus, corpus_env
from vectorstore.locking import writer_lock


def test_reembed_leaves_a_store_already_on_the_configured_model_as_it_is(built_corpus, tmp_path_factory):
    data_dir = copy_corpus(built_corpus, tmp_path_factory, "cli-reembed")
    result = subprocess.run([sys.executable, "-m", "ingest.cli", "reembed"], env=corpus_env(data_dir, COLUMNS="200"),
                            cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    # Nothing re-embedded: the message names the model and no passage count.
    assert "already embedded with" in result.stdout + result.stderr
    assert "passages re-embedded" not in result.stdout + result.stderr


def test_a_failure_names_a_data_folder_with_brackets_as_it_is_written(tmp_path):
    # Rich reads "[…]" as markup: a folder named so must be printed as text, not taken for a style.
    data_dir = tmp_path / "data[v2]"
    with writer_lock(data_dir):
        result = subprocess.run([sys.executable, "-m", "ingest.cli", "rebuild-index"],
                                env=corpus_env(data_dir, COLUMNS="400"), cwd=PROJECT_ROOT, capture_output=True,
                                text=True, timeout=300)
    assert result.returncode == 2, result.stderr
    assert f"The store in {data_dir} is being written by" in result.stderr
