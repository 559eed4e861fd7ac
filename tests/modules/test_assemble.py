"""assemble, run for real through corral-playbook: fragments on the target and on the controller,
vault decryption, delimiters, filters, validation, check mode, --diff and idempotence.  The bytes and
checksums expected are those ansible-core 2.21 produced for the same fragments."""
from __future__ import annotations

import hashlib
import os
import subprocess
import sys

from .conftest import run_module


def _fragments(directory):
    directory.mkdir()
    (directory / "a1").write_text("one\n")
    (directory / "a2").write_text("two")              # no newline: one is added before the next fragment
    (directory / "b3").write_text("three\n")
    (directory / ".hidden").write_text("hidden\n")
    (directory / "sub").mkdir()                       # directories are skipped
    (directory / "sub" / "ignored").write_text("x\n")
    return directory


def test_module_assembles_target_fragments(tmp_path):
    src = _fragments(tmp_path / "frags")
    dest = tmp_path / "out"
    args = {"src": str(src), "dest": str(dest)}
    first = run_module("assemble", args)
    assert dest.read_text() == "hidden\none\ntwo\nthree\n"
    assert first["changed"] is True and first["msg"] == "OK" and first["state"] == "file"
    assert first["checksum"] == hashlib.sha1(dest.read_bytes()).hexdigest()
    assert first["md5sum"] == hashlib.md5(dest.read_bytes()).hexdigest()
    assert run_module("assemble", args)["changed"] is False
    assert run_module("assemble", {**args, "mode": "0600"})["changed"] is True
    filtered = run_module("assemble", {**args, "dest": str(tmp_path / "f"), "ignore_hidden": True, "regexp": "^[ab]",
                                       "delimiter": "--\\n\\\\t"})
    assert filtered["changed"] is True
    # the delimiter's escapes are expanded again for each use, as ansible-core does
    assert (tmp_path / "f").read_text() == "one\n--\n\\t\ntwo\n--\n\t\nthree\n"


def test_module_checks_validate_backup_and_errors(tmp_path):
    src = _fragments(tmp_path / "frags")
    dest = tmp_path / "out"
    dest.write_text("old\n")
    checked = run_module("assemble", {"src": str(src), "dest": str(dest)}, check=True)
    assert checked["changed"] is True and dest.read_text() == "old\n"
    rejected = run_module("assemble", {"src": str(src), "dest": str(dest), "validate": "grep -q nothing %s"})
    assert rejected["failed"] is True and rejected["msg"] == "failed to validate: rc:1 error:"
    kept = run_module("assemble", {"src": str(src), "dest": str(dest), "validate": "grep -q one %s",
                                   "backup": True})
    assert kept["validation"] == {"rc": 0, "stdout": "", "stderr": ""}
    assert open(kept["backup_file"]).read() == "old\n" and "one" in dest.read_text()
    assert run_module("assemble", {"src": str(tmp_path / "nope"), "dest": str(dest)})["msg"] == \
        f"Source ({tmp_path / 'nope'}) does not exist"
    assert run_module("assemble", {"src": str(src / "a1"), "dest": str(dest)})["msg"] == \
        f"Source ({src / 'a1'}) is not a directory"
    assert run_module("assemble", {"src": str(src), "dest": str(dest), "regexp": "("})["msg"] == \
        'Invalid Regexp (missing ), unterminated subpattern at position 0) in "("'


def test_action_assembles_controller_fragments_with_vault(tmp_path, playbook):
    src = _fragments(tmp_path / "frags")
    password = tmp_path / "vault-pass"
    password.write_text("secret-pass\n")
    (src / "c4").write_text("secret\n")
    vault = os.path.join(os.path.dirname(sys.executable), "corral-vault")
    subprocess.run([vault, "encrypt", "--vault-password-file", str(password), str(src / "c4")], check=True,
                   capture_output=True)
    out = tmp_path / "out"
    out.mkdir()
    tasks = f"""
    - assemble: {{src: frags, dest: {out}/l1, remote_src: false}}
    - assemble: {{src: frags, dest: {out}/l1, remote_src: false}}
    - assemble: {{src: frags, dest: {out}/raw, remote_src: false, decrypt: false, regexp: c}}
    - assemble: {{src: frags, dest: {out}/l2, remote_src: false, delimiter: '##', ignore_hidden: true}}
      check_mode: true
      diff: true
    - assemble: {{src: frags/a1, dest: {out}/l3, remote_src: false}}
      ignore_errors: true
    - assemble: {{src: frags}}
      ignore_errors: true
    """
    first = playbook(tasks, "--vault-password-file", str(password))
    made, again, raw, checked, not_dir, missing = first["tasks"]
    assert (out / "l1").read_text() == "hidden\none\ntwo\nthree\nsecret\n"
    assert made["changed"] is True and made["checksum"] == "096d748af81c58ff539a9f48f1d3862058607d12"
    assert again["changed"] is False and again["md5sum"] == "ec2f451255ba46d64289f3adc3f623b6"
    assert (out / "raw").read_text().startswith("$ANSIBLE_VAULT") and raw["changed"] is True
    assert checked["changed"] is True and not (out / "l2").exists()
    assert checked["diff"]["before"] == "" and checked["diff"]["after"] == "one\n##\ntwo\n##\nthree\n##\nsecret\n"
    assert checked["checksum"] == "592990e3b55c30dcc357e4bf6189883d4b146294" and "state" not in checked
    assert not_dir["failed"] is True and not_dir["msg"] == f"Source ({src / 'a1'}) is not a directory"
    assert missing["failed"] is True and missing["msg"] == "src and dest are required"
    second = playbook(tasks.split("    - assemble: {{src: frags, dest: {out}/raw".format(out=out))[0],
                      "--vault-password-file", str(password))
    assert second["stats"]["changed"] == 0
