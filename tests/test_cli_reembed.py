"""`banding-kota reembed` through the command line: a store already on the configured model is left as it is."""

from __future__ import annotations

import subprocess
import sys

from core.settings import PROJECT_ROOT
from testing.corpus import copy_corpus, corpus_env


def test_reembed_leaves_a_store_already_on_the_configured_model_as_it_is(built_corpus, tmp_path_factory):
    data_dir = copy_corpus(built_corpus, tmp_path_factory, "cli-reembed")
    result = subprocess.run([sys.executable, "-m", "ingest.cli", "reembed"], env=corpus_env(data_dir, COLUMNS="200"),
                            cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    # Nothing re-embedded: the message names the model and no passage count.
    assert "already embedded with" in result.stdout + result.stderr
    assert "passages re-embedded" not in result.stdout + result.stderr
