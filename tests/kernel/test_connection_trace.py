"""The ``-vvv`` connection trace, compared with ansible-core's on the same play.

A play on a ``local`` host with pipelining off, an interpreter path and a
``remote_tmp`` with spaces (the peer target ``shell``): both engines show the
same ``ESTABLISH`` line and the same ``EXEC`` lines for making the temporary
directory, running the module and removing the directory (with the directory's
name, ``ansible-tmp-<time>-<pid>-<random>``, left out), a ``PUT`` into it, and
``Using module file``, ``N plays in``, ``Read `vars_file```, and which inventory plugin
parsed the inventory.
"""
from __future__ import annotations

import getpass
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
ORACLE = REPO / ".oracle" / "bin" / "ansible-playbook"
CORRAL = Path(sys.executable).parent / "corral-playbook"

oracle = pytest.mark.skipif(not ORACLE.exists(), reason="the oracle ansible-playbook is not installed "
                                                         "(scripts/oracle-venv installs it)")

_TMP_NAME = re.compile(r"ansible-tmp-\d+\.\d+-\d+-\d+")


@pytest.fixture
def play(tmp_path: Path) -> Path:
    (tmp_path / "t m p").mkdir()
    (tmp_path / "p y t h o n").symlink_to(os.path.realpath(sys.executable))
    (tmp_path / "v.yml").write_text("greeting: hi\n")
    (tmp_path / "hosts").write_text("testhost ansible_connection=local\n")
    (tmp_path / "site.yml").write_text("""
- hosts: testhost
  gather_facts: false
  vars_files: [v.yml]
  tasks:
    - ping:
""")
    return tmp_path


def _run(program: Path, folder: Path) -> list[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ANSIBLE_", "CORRAL_"))}
    env.update(ANSIBLE_NOCOLOR="1", ANSIBLE_REMOTE_TMP=str(folder / "t m p"))
    proc = subprocess.run([str(program), "-vvv", "-i", "hosts", "-e", "ansible_pipelining=0",
                           "-e", f'ansible_python_interpreter="{folder / "p y t h o n"}"', "site.yml"],
                          cwd=folder, env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return [_TMP_NAME.sub("ansible-tmp-X", line) for line in proc.stdout.splitlines()]


def _exec_lines(lines: list[str], needle: str) -> list[str]:
    return [line for line in lines if line.startswith("<testhost> EXEC ") and needle in line]


@oracle
def test_trace_at_vvv_is_ansible_cores(play: Path):
    ours, theirs = _run(CORRAL, play), _run(ORACLE, play)
    establish = f"<testhost> ESTABLISH LOCAL CONNECTION FOR USER: {getpass.getuser()}"
    assert establish in ours and establish in theirs
    for needle in ("umask 77", "p y t h o n", "rm -f -r"):
        assert len(_exec_lines(ours, needle)) == 1, ours
    # the same commands, word for word, for the directory and its removal
    assert _exec_lines(ours, "umask 77") == _exec_lines(theirs, "umask 77")
    assert _exec_lines(ours, "rm -f -r") == _exec_lines(theirs, "rm -f -r")
    # the interpreter and the module file quoted as ansible-core quotes them (the file's name differs)
    quoted_dir = f"""'"'"'{play / "t m p"}/ansible-tmp-X/"""
    for lines in (ours, theirs):
        line = _exec_lines(lines, "p y t h o n")[0]
        assert line.startswith(f"""<testhost> EXEC /bin/sh -c ''"'"'{play / "p y t h o n"}'"'"' {quoted_dir}""")
        assert [x for x in lines if x.startswith("<testhost> PUT ") and f" TO {play / 't m p'}/ansible-tmp-X/" in x]
        assert any(x.startswith("Using module file /") and x.endswith(".py") for x in lines)
        assert "1 plays in site.yml" in lines
        assert f"Read `vars_file` '{play / 'v.yml'}'." in lines
    # which inventory plugin took the source, in the same words and order
    def inventory_lines(lines: list[str]) -> list[str]:
        return [x for x in lines if " declined parsing " in x or " inventory source with " in x]
    assert inventory_lines(ours) == inventory_lines(theirs) != []
    # the module ran from the directory, which is gone afterwards
    assert list((play / "t m p").iterdir()) == []


def test_no_trace_below_vvv(play: Path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ANSIBLE_", "CORRAL_"))}
    proc = subprocess.run([str(CORRAL), "-vv", "-i", "hosts", "site.yml"], cwd=play, env=env,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "ESTABLISH" not in proc.stdout and "EXEC" not in proc.stdout
    assert "1 plays in site.yml" in proc.stdout
