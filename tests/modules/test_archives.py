"""archive and unarchive: tar.gz and zip, idempotent, check mode, via payload and playbook."""
from __future__ import annotations

import gzip
import tarfile
import zipfile

import pytest

from .conftest import run_module


@pytest.fixture
def tree(tmp_path):
    root = tmp_path / "src" / "app"
    (root / "sub").mkdir(parents=True)
    (root / "a.txt").write_text("alpha\n")
    (root / "sub" / "b.txt").write_text("beta\n")
    (root / "skip.log").write_text("log\n")
    return root


@pytest.mark.parametrize("fmt, opener", [("gz", tarfile.open), ("zip", zipfile.ZipFile)])
def test_archive_then_unarchive_round_trip(tmp_path, tree, fmt, opener):
    dest = tmp_path / f"app.{fmt}"
    args = {"path": [str(tree)], "dest": str(dest), "format": fmt, "exclusion_patterns": ["*.log"]}
    assert run_module("archive", args, check=True)["changed"] is True and not dest.exists()
    made = run_module("archive", args)
    assert made["changed"] is True and made["state"] == "archive"
    assert sorted(made["archived"]) == sorted([str(tree / "a.txt"), str(tree / "sub" / "b.txt")])
    assert run_module("archive", args)["changed"] is False, "reproducible archives: no change"
    with opener(dest) as archive:
        names = archive.getnames() if fmt == "gz" else archive.namelist()
    assert any(name.endswith("app/sub/b.txt") for name in names)
    assert not any(name.endswith("skip.log") for name in names)

    out = tmp_path / "out"
    out.mkdir()
    unpack = {"src": str(dest), "dest": str(out), "remote_src": True, "list_files": True}
    assert run_module("unarchive", unpack, check=True)["changed"] is True and not (out / "app").exists()
    unpacked = run_module("unarchive", unpack)
    assert unpacked["changed"] is True and (out / "app" / "sub" / "b.txt").read_text() == "beta\n"
    assert unpacked["handler"] == ("TarArchive" if fmt == "gz" else "ZipArchive")
    assert any(name.endswith("a.txt") for name in unpacked["files"])
    assert run_module("unarchive", unpack)["changed"] is False
    (out / "app" / "a.txt").write_text("edited\n")
    assert run_module("unarchive", unpack)["changed"] is True
    assert (out / "app" / "a.txt").read_text() == "alpha\n"


def test_archive_single_file_is_compressed(tmp_path):
    single = tmp_path / "data.txt"
    single.write_text("x" * 100)
    result = run_module("archive", {"path": str(single)})
    assert result["state"] == "compress" and result["dest"] == str(single) + ".gz"
    assert gzip.decompress((tmp_path / "data.txt.gz").read_bytes()) == b"x" * 100
    bad = run_module("unarchive", {"src": str(single), "dest": str(tmp_path), "remote_src": True})
    assert bad["failed"] is True and "Failed to find handler" in bad["msg"]
    nodir = run_module("unarchive", {"src": str(tmp_path / "data.txt.gz"), "dest": str(tmp_path / "none"),
                                     "remote_src": True})
    assert nodir["failed"] is True and "is not a directory" in nodir["msg"]


def test_unarchive_from_the_controller_through_the_playbook(tmp_path, tree, playbook):
    (tmp_path / "files").mkdir()
    with tarfile.open(tmp_path / "files" / "bundle.tar.gz", "w:gz") as archive:
        archive.add(tree, "app")
    out = tmp_path / "deployed"
    tasks = f"""
    - file: {{path: {out}, state: directory}}
    - unarchive: {{src: bundle.tar.gz, dest: {out}}}
    """
    first = playbook(tasks)
    assert first["rc"] == 0 and first["tasks"][1]["changed"] is True, first["stdout"]
    assert (out / "app" / "sub" / "b.txt").read_text() == "beta\n"
    assert playbook(tasks)["stats"]["changed"] == 0
