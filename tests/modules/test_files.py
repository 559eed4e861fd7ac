"""File modules on localhost: effect on the filesystem, result keys, idempotence,
check mode and diff."""
from __future__ import annotations

import base64
import os
import stat

from .conftest import run_module


def mode_of(path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


# -- file ---------------------------------------------------------------------------------

def test_file_directory_with_parents_mode_and_idempotence(tmp_path):
    target = tmp_path / "a" / "b" / "c"
    args = {"path": str(target), "state": "directory", "mode": "0750"}
    checked = run_module("file", args, check=True)
    assert checked["changed"] is True and not target.exists()
    result = run_module("file", args, diff=True)
    assert result["changed"] is True and result["state"] == "directory" and result["path"] == str(target)
    assert result["diff"] == {"before": {"path": str(target), "state": "absent"},
                              "after": {"path": str(target), "state": "directory"}}
    assert mode_of(target) == 0o750 and mode_of(tmp_path / "a") == 0o750
    assert run_module("file", args)["changed"] is False


def test_file_touch_link_hard_absent(tmp_path):
    plain = tmp_path / "plain"
    touched = run_module("file", {"path": str(plain), "state": "touch", "mode": "u=rw,g=r,o="})
    assert touched["changed"] is True and touched["dest"] == str(plain) and mode_of(plain) == 0o640

    link = tmp_path / "link"
    made = run_module("file", {"path": str(link), "src": str(plain), "state": "link"})
    assert made["changed"] is True and os.readlink(link) == str(plain) and made["state"] == "link"
    assert run_module("file", {"path": str(link), "src": str(plain), "state": "link"})["changed"] is False
    missing = run_module("file", {"path": str(tmp_path / "l2"), "src": str(tmp_path / "nope"), "state": "link"})
    assert missing["failed"] is True and "src file does not exist" in missing["msg"]

    hard = tmp_path / "hard"
    assert run_module("file", {"path": str(hard), "src": str(plain), "state": "hard"})["changed"] is True
    assert os.path.samefile(hard, plain)
    assert run_module("file", {"path": str(hard), "src": str(plain), "state": "hard"})["changed"] is False

    refused = run_module("file", {"path": str(plain), "src": str(hard), "state": "link"})
    assert refused["failed"] is True and "refusing to convert" in refused["msg"]

    gone = run_module("file", {"path": str(link), "state": "absent"})
    assert gone["changed"] is True and not os.path.lexists(link)
    assert run_module("file", {"path": str(link), "state": "absent"})["changed"] is False


def test_file_attributes_only_and_errors(tmp_path):
    target = tmp_path / "f"
    target.write_text("x")
    os.chmod(target, 0o600)
    changed = run_module("file", {"path": str(target), "mode": "go+r"}, diff=True)
    assert changed["changed"] is True and mode_of(target) == 0o644
    assert changed["diff"]["before"]["mode"] == "0600" and changed["diff"]["after"]["mode"] == "0644"
    assert run_module("file", {"path": str(target), "mode": "0644"})["changed"] is False
    absent = run_module("file", {"path": str(tmp_path / "nope"), "state": "file"})
    assert absent["failed"] is True and absent["msg"] == f"file ({tmp_path / 'nope'}) is absent, cannot continue"
    bad = run_module("file", {"path": str(target), "state": "bogus"})
    assert bad["msg"] == "value of state must be one of: absent, directory, file, hard, link, touch, got: bogus"
    recurse_dir = tmp_path / "tree"
    (recurse_dir / "sub").mkdir(parents=True)
    (recurse_dir / "sub" / "leaf").write_text("")
    run_module("file", {"path": str(recurse_dir), "state": "directory", "recurse": True, "mode": "u=rwX,go="})
    assert mode_of(recurse_dir / "sub") == 0o700 and mode_of(recurse_dir / "sub" / "leaf") == 0o600


# -- stat, slurp, tempfile, find ----------------------------------------------------------

def test_stat(tmp_path):
    target = tmp_path / "f"
    target.write_text("hello\n")
    os.chmod(target, 0o640)
    info = run_module("stat", {"path": str(target)})["stat"]
    assert info["exists"] is True and info["isreg"] is True and info["mode"] == "0640"
    assert info["size"] == 6 and info["checksum"] == "f572d396fae9206628714fb2ce00f72e94f2258f"
    assert info["pw_name"] and info["rusr"] is True and info["roth"] is False
    assert run_module("stat", {"path": str(tmp_path / "none")})["stat"] == {"exists": False}
    os.symlink(target, tmp_path / "ln")
    link = run_module("stat", {"path": str(tmp_path / "ln"), "get_checksum": False})["stat"]
    assert link["islnk"] is True and link["lnk_target"] == str(target)
    assert run_module("stat", {"path": str(tmp_path / "ln"), "follow": True})["stat"]["isreg"] is True
    sha256 = run_module("stat", {"path": str(target), "checksum_algorithm": "sha256"})["stat"]["checksum"]
    assert len(sha256) == 64


def test_slurp(tmp_path):
    target = tmp_path / "bin"
    target.write_bytes(b"\x00\xffdata")
    result = run_module("slurp", {"src": str(target)})
    assert base64.b64decode(result["content"]) == b"\x00\xffdata" and result["encoding"] == "base64"
    assert run_module("slurp", {"path": str(tmp_path / "no")})["msg"] == f"File not found: {tmp_path / 'no'}"


def test_tempfile(tmp_path):
    made = run_module("tempfile", {"path": str(tmp_path), "suffix": ".x"})
    assert made["changed"] is True and os.path.isfile(made["path"]) and made["path"].endswith(".x")
    directory = run_module("tempfile", {"state": "directory", "path": str(tmp_path), "prefix": "p"})
    assert os.path.isdir(directory["path"]) and os.path.basename(directory["path"]).startswith("p")


def test_find(tmp_path):
    (tmp_path / "a.log").write_text("error: x\n")
    (tmp_path / "b.txt").write_text("fine\n")
    (tmp_path / ".hidden.log").write_text("")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "c.log").write_text("x" * 2048)
    flat = run_module("find", {"paths": str(tmp_path), "patterns": "*.log"})
    assert [os.path.basename(f["path"]) for f in flat["files"]] == ["a.log"] and flat["matched"] == 1
    deep = run_module("find", {"paths": [str(tmp_path)], "patterns": ["*.log"], "recurse": True, "hidden": True})
    assert sorted(os.path.basename(f["path"]) for f in deep["files"]) == [".hidden.log", "a.log", "c.log"]
    big = run_module("find", {"paths": str(tmp_path), "recurse": True, "size": "1k"})
    assert [os.path.basename(f["path"]) for f in big["files"]] == ["c.log"]
    grep = run_module("find", {"paths": str(tmp_path), "contains": "error:.*"})
    assert [os.path.basename(f["path"]) for f in grep["files"]] == ["a.log"]
    dirs = run_module("find", {"paths": str(tmp_path), "file_type": "directory"})
    assert [f["path"] for f in dirs["files"]] == [str(tmp_path / "sub")]
    young = run_module("find", {"paths": str(tmp_path), "age": "1d"})
    assert young["matched"] == 0
    missing = run_module("find", {"paths": str(tmp_path / "nope")})
    assert missing["matched"] == 0 and str(tmp_path / "nope") in missing["skipped_paths"]


# -- lineinfile, blockinfile, replace -----------------------------------------------------

def test_lineinfile_present_replace_insert_absent(tmp_path):
    conf = tmp_path / "conf"
    created = run_module("lineinfile", {"path": str(conf), "line": "a=1", "create": True}, diff=True)
    assert created["changed"] is True and created["msg"] == "line added" and conf.read_text() == "a=1\n"
    assert created["diff"][0]["before"] == "" and created["diff"][0]["after"] == "a=1\n"
    assert created["diff"][0]["before_header"] == f"{conf} (content)"
    assert run_module("lineinfile", {"path": str(conf), "line": "a=1"})["changed"] is False

    replaced = run_module("lineinfile", {"path": str(conf), "regexp": "^a=", "line": "a=2"})
    assert replaced["msg"] == "line replaced" and conf.read_text() == "a=2\n"
    run_module("lineinfile", {"path": str(conf), "line": "top", "insertbefore": "BOF"})
    run_module("lineinfile", {"path": str(conf), "line": "after-top", "insertafter": "^top$"})
    assert conf.read_text() == "top\nafter-top\na=2\n"
    backref = run_module("lineinfile", {"path": str(conf), "regexp": r"^a=(\d)", "line": r"b=\1",
                                        "backrefs": True})
    assert backref["changed"] is True and conf.read_text().endswith("b=2\n")

    checked = run_module("lineinfile", {"path": str(conf), "line": "new"}, check=True)
    assert checked["changed"] is True and "new" not in conf.read_text()

    removed = run_module("lineinfile", {"path": str(conf), "regexp": "top", "state": "absent"})
    assert removed["found"] == 2 and removed["msg"] == "2 line(s) removed" and conf.read_text() == "b=2\n"

    missing = run_module("lineinfile", {"path": str(tmp_path / "none"), "line": "x"})
    assert missing["failed"] is True and missing["msg"] == f"Destination {tmp_path / 'none'} does not exist !"
    assert run_module("lineinfile", {"path": str(conf)})["msg"] == "line is required with state=present"


def test_lineinfile_backup_and_validate(tmp_path):
    conf = tmp_path / "conf"
    conf.write_text("x=1\n")
    result = run_module("lineinfile", {"path": str(conf), "line": "y=2", "backup": True})
    assert result["backup"] and open(result["backup"]).read() == "x=1\n"
    invalid = run_module("lineinfile", {"path": str(conf), "line": "z=3", "validate": "grep -q nomatch %s"})
    assert invalid["failed"] is True and "failed to validate" in invalid["msg"]
    assert "z=3" not in conf.read_text()


def test_blockinfile(tmp_path):
    conf = tmp_path / "conf"
    conf.write_text("first\nlast\n")
    inserted = run_module("blockinfile", {"path": str(conf), "block": "x\ny", "insertafter": "^first$"})
    assert inserted["msg"] == "Block inserted"
    assert conf.read_text() == ("first\n# BEGIN ANSIBLE MANAGED BLOCK\nx\ny\n# END ANSIBLE MANAGED BLOCK\n"
                                "last\n")
    assert run_module("blockinfile", {"path": str(conf), "block": "x\ny"})["changed"] is False
    run_module("blockinfile", {"path": str(conf), "block": "z"})
    assert "x\ny" not in conf.read_text() and "\nz\n" in conf.read_text()
    removed = run_module("blockinfile", {"path": str(conf), "state": "absent"})
    assert removed["msg"] == "Block removed" and conf.read_text() == "first\nlast\n"
    marker = run_module("blockinfile", {"path": str(tmp_path / "new"), "create": True, "block": "k",
                                        "marker": "<!-- {mark} -->"})
    assert marker["msg"] == "File created"
    assert (tmp_path / "new").read_text() == "<!-- BEGIN -->\nk\n<!-- END -->\n"


def test_replace(tmp_path):
    conf = tmp_path / "hosts"
    conf.write_text("old.example.com a\nkeep\nold.example.com b\n")
    result = run_module("replace", {"path": str(conf), "regexp": r"^old\.(\S+)", "replace": r"new.\1"}, diff=True)
    assert result["msg"] == "2 replacements made" and result["changed"] is True
    assert conf.read_text() == "new.example.com a\nkeep\nnew.example.com b\n"
    assert result["diff"]["before"].startswith("old.") and result["diff"]["before_header"] == str(conf)
    assert run_module("replace", {"path": str(conf), "regexp": r"^old\."})["changed"] is False
    partial = run_module("replace", {"path": str(conf), "regexp": "new", "replace": "mid", "after": "keep"})
    assert partial["msg"] == "1 replacements made" and conf.read_text().endswith("mid.example.com b\n")
    assert run_module("replace", {"path": str(tmp_path / "x"), "regexp": "a"})["msg"] == \
        f"Path {tmp_path / 'x'} does not exist !"


def test_replace_sections_backup_and_errors(tmp_path):
    """after/before delimit one section (Ansible's patterns); no such section changes nothing."""
    conf = tmp_path / "groups"
    conf.write_text("# start\n0.0\n# end\n# start\n0.0\n# end\n")
    first = run_module("replace", {"path": str(conf), "after": "# start", "before": "# end", "regexp": "0",
                                   "replace": "9", "backup": True})
    assert first["changed"] is True and conf.read_text() == "# start\n9.9\n# end\n# start\n0.0\n# end\n"
    assert (tmp_path / first["backup_file"]).read_text().count("0.0") == 2
    missing = run_module("replace", {"path": str(conf), "after": "# end", "before": "# start\n9", "regexp": "0"})
    assert missing == {**missing, "changed": False, "rc": 0,
                       "msg": "Pattern for before/after params did not match the given file: "
                              "# end(?P<subsection>.*?)# start\n9"}
    greedy = run_module("replace", {"path": str(conf), "before": "# end", "regexp": "0", "replace": "1"},
                        check=True)
    assert greedy["msg"] == "2 replacements made" and "0.0" in conf.read_text()
    bad = run_module("replace", {"path": str(conf), "regexp": "0", "replace": r"\D"})
    assert bad["failed"] is True and bad["msg"] == "Unable to process replace due to error: bad escape \\D at position 0"
    os.chmod(conf, 0o644)
    perms = run_module("replace", {"path": str(conf), "regexp": "zz", "mode": "0600"}, diff=True)
    assert perms["changed"] is True and "diff" not in perms
    assert perms["msg"] == "ownership, perms or SE linux context changed" and mode_of(conf) == 0o600


# -- copy (target side) -------------------------------------------------------------------

def test_copy_remote_src_file_and_directory(tmp_path):
    src = tmp_path / "src.txt"
    src.write_text("hello\n")
    os.chmod(src, 0o604)
    dest = tmp_path / "out" / "dest.txt"
    (tmp_path / "out").mkdir()
    copied = run_module("copy", {"src": str(src), "dest": str(dest), "remote_src": True, "mode": "preserve"})
    assert copied["changed"] is True and dest.read_text() == "hello\n" and mode_of(dest) == 0o604
    assert copied["checksum"] == "f572d396fae9206628714fb2ce00f72e94f2258f" and copied["dest"] == str(dest)
    assert run_module("copy", {"src": str(src), "dest": str(dest), "remote_src": True})["changed"] is False
    into_dir = run_module("copy", {"src": str(src), "dest": str(tmp_path / "out") + "/", "remote_src": True})
    assert into_dir["dest"] == str(tmp_path / "out" / "src.txt")

    dest.write_text("changed\n")
    no_force = run_module("copy", {"src": str(src), "dest": str(dest), "remote_src": True, "force": False})
    assert no_force["changed"] is False and dest.read_text() == "changed\n"
    backup = run_module("copy", {"src": str(src), "dest": str(dest), "remote_src": True, "backup": True})
    assert open(backup["backup_file"]).read() == "changed\n"

    tree = tmp_path / "tree"
    (tree / "sub").mkdir(parents=True)
    (tree / "sub" / "f").write_text("1")
    run_module("copy", {"src": str(tree), "dest": str(tmp_path / "copy1"), "remote_src": True})
    assert (tmp_path / "copy1" / "tree" / "sub" / "f").read_text() == "1"
    again = run_module("copy", {"src": str(tree) + "/", "dest": str(tmp_path / "copy2"), "remote_src": True})
    assert again["changed"] is True and (tmp_path / "copy2" / "sub" / "f").read_text() == "1"
    assert run_module("copy", {"src": str(tree) + "/", "dest": str(tmp_path / "copy2"),
                               "remote_src": True})["changed"] is False
