"""Host patterns that match nothing, through the command lines: the warnings, where
they appear and the exit codes, as recorded from ansible-core 2.21
(``ansible-playbook``/``ansible`` on the same files, stdout and stderr together)."""
from __future__ import annotations

import os
import subprocess

from cases import CORRAL, FIXTURES

BIN = os.path.dirname(CORRAL)
HERE = os.path.join(FIXTURES, "pattern_warnings")

PLAYS_RECORDED = """\
[WARNING]: Could not match supplied host pattern, ignoring: nosuch

PLAY [nosuch] ******************************************************************
skipping: no hosts matched
[WARNING]: Could not match supplied host pattern, ignoring: nosuch2

PLAY [all:!h1:nosuch2] *********************************************************
skipping: no hosts matched
[WARNING]: Could not match supplied host pattern, ignoring: nope

PLAY [h1,nope] *****************************************************************
"""


def _run(program: str, *argv: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ANSIBLE_", "CORRAL_"))}
    env["ANSIBLE_NOCOLOR"] = "1"
    return subprocess.run([os.path.join(BIN, program), *argv], cwd=HERE, env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, timeout=120, check=False)


def test_each_play_warns_before_its_banner() -> None:
    proc = _run("corral-playbook", "-i", "hosts.ini", "plays.yml")
    assert proc.returncode == 0
    assert proc.stdout.startswith(PLAYS_RECORDED)


def test_a_limit_that_matches_nothing() -> None:
    proc = _run("corral-playbook", "-i", "hosts.ini", "plays.yml", "-l", "nomatch")
    assert proc.returncode == 1
    assert proc.stdout.splitlines() == [
        "[WARNING]: Could not match supplied host pattern, ignoring: nomatch",
        "[ERROR]: Specified inventory, host pattern and/or --limit leaves us with no hosts to target."]


def test_ad_hoc_pattern_that_matches_nothing() -> None:
    proc = _run("corral", "-i", "hosts.ini", "nosuch", "-m", "ping")
    assert proc.returncode == 0
    assert proc.stdout.splitlines() == ["[WARNING]: Could not match supplied host pattern, ignoring: nosuch",
                                        "[WARNING]: No hosts matched, nothing to do"]


_EMPTY = ("[WARNING]: provided hosts list is empty, only localhost is available. Note that the implicit "
          "localhost does not match 'all'")
_NONE_PARSED = "[WARNING]: No inventory was parsed, only implicit localhost is available"


def _warnings(proc: subprocess.CompletedProcess[str]) -> list[str]:
    return [line for line in proc.stdout.splitlines() if line.startswith("[WARNING]")]


def test_no_inventory_at_all(tmp_path) -> None:
    assert not os.path.exists("/etc/ansible/hosts"), "this test needs a machine without a system inventory"
    (tmp_path / "p.yml").write_text("- hosts: localhost\n  gather_facts: no\n  tasks: []\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ANSIBLE_", "CORRAL_"))}
    playbook = os.path.join(BIN, "corral-playbook")

    def run(*argv: str, **extra: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([playbook, *argv, "p.yml"], cwd=tmp_path, env={**env, **extra}, text=True,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=120, check=False)

    # the system inventory, absent: no word about it
    assert _warnings(run()) == [_NONE_PARSED, _EMPTY]
    assert _warnings(run("-i", "/nonexistent")) == [
        "[WARNING]: Unable to parse /nonexistent as an inventory source", _NONE_PARSED, _EMPTY]
    assert _warnings(run(ANSIBLE_LOCALHOST_WARNING="0")) == [_NONE_PARSED]
    assert _warnings(run("-i", "localhost,")) == []
