"""Atomic writes and private scratch files for editing."""
from __future__ import annotations

import os
import stat
import sys

import pytest

from corral.errors import CorralVaultError
from corral.parsing.vault_files import atomic_write, edit_privately, editor_command


def test_new_file_is_private(tmp_path):
    atomic_write(str(tmp_path / "new"), b"data")
    assert (tmp_path / "new").read_bytes() == b"data"
    assert stat.S_IMODE((tmp_path / "new").stat().st_mode) == 0o600


def test_existing_file_keeps_mode_and_inode_changes(tmp_path):
    target = tmp_path / "f"
    target.write_bytes(b"old")
    target.chmod(0o754)
    inode = target.stat().st_ino
    atomic_write(str(target), b"new")
    assert target.read_bytes() == b"new" and stat.S_IMODE(target.stat().st_mode) == 0o754
    assert target.stat().st_ino != inode  # replaced by rename, never truncated in place
    atomic_write(str(target), b"forced", mode=0o600)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_symlink_target_is_replaced(tmp_path):
    (tmp_path / "real").write_bytes(b"old")
    (tmp_path / "link").symlink_to("real")
    atomic_write(str(tmp_path / "link"), b"new")
    assert (tmp_path / "link").is_symlink() and (tmp_path / "real").read_bytes() == b"new"


def test_failure_names_the_file_and_leaves_nothing(tmp_path):
    with pytest.raises(CorralVaultError, match="missing/f"):
        atomic_write(str(tmp_path / "missing" / "f"), b"x")
    (tmp_path / "dir").mkdir()
    with pytest.raises(CorralVaultError, match="dir"):
        atomic_write(str(tmp_path / "dir"), b"x")  # cannot replace a directory with a file
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dir"] and list((tmp_path / "dir").iterdir()) == []


def editor(tmp_path, body: str) -> list[str]:
    script = tmp_path / "ed.py"
    script.write_text("import sys, os\npath = sys.argv[1]\n" + body)
    return [sys.executable, str(script)]


def test_edit_privately_round_trip_and_cleanup(tmp_path):
    record = tmp_path / "seen"
    argv = editor(tmp_path, f"open({str(record)!r}, 'w').write(path + '\\n' + oct(os.stat(path).st_mode) + "
                            "'\\n' + open(path).read())\nopen(path + '.swp', 'w').write('swap')\n"
                            "open(path, 'a').write(' more')\n")
    assert edit_privately(b"text", suffix=".yml", editor=argv) == b"text more"
    path, mode, content = record.read_text().split("\n")
    assert path.endswith(".yml") and mode.endswith("600") and content == "text"
    assert not os.path.exists(os.path.dirname(path))


def test_edit_privately_errors(tmp_path):
    with pytest.raises(CorralVaultError, match="status 4"):
        edit_privately(b"x", editor=editor(tmp_path, "sys.exit(4)\n"))
    with pytest.raises(CorralVaultError, match="Could not run the editor"):
        edit_privately(b"x", editor=[str(tmp_path / "no-such-editor")])


def test_editor_command():
    assert editor_command({"EDITOR": "code --wait"}) == ["code", "--wait"]
    assert editor_command({}) == ["vi"] and editor_command({"EDITOR": " "}) == ["vi"]
