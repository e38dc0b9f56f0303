"""Files and folders written beside their target and renamed into place: a reader finds the old target or the
whole new one, and a failed write leaves neither half a target nor its staging copy."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.atomic_write import written_atomically


def test_a_written_file_replaces_its_target_and_no_staging_file_is_left(tmp_path: Path) -> None:
    target = tmp_path / "cache" / "page.json"  # its folder does not exist yet
    with written_atomically(target) as staging:
        assert staging.parent == target.parent and staging != target
        staging.write_text("new")
        assert not target.exists()  # nothing at the target until the block ends
    assert target.read_text() == "new"
    assert list(target.parent.iterdir()) == [target]


def test_a_failed_write_leaves_the_old_target_untouched(tmp_path: Path) -> None:
    target = tmp_path / "model.onnx"
    target.write_text("old")
    with pytest.raises(RuntimeError), written_atomically(target, suffix=".onnx") as staging:
        staging.write_text("half")
        raise RuntimeError("the build crashed")
    assert target.read_text() == "old"
    assert list(tmp_path.iterdir()) == [target]


def test_a_folder_replaces_its_target_unless_the_existing_one_is_to_be_kept(tmp_path: Path) -> None:
    target = tmp_path / "model"
    target.mkdir()
    (target / "marker").write_text("stale")
    with written_atomically(target, folder=True, keep_existing=lambda t: (t / "marker").read_text() == "done") as d:
        (d / "marker").write_text("new")
    assert (target / "marker").read_text() == "new"
    (target / "marker").write_text("done")  # another process finished first: its folder stays
    with written_atomically(target, folder=True, keep_existing=lambda t: (t / "marker").read_text() == "done") as d:
        (d / "marker").write_text("mine")
    assert (target / "marker").read_text() == "done"
    assert list(tmp_path.iterdir()) == [target]
