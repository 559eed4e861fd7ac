"""The real CLIs print what Ansible prints: corral-playbook against the output
recorded from ansible-playbook (timestamps aside), corral (ad-hoc) against
ansible's ad-hoc output, and the json callback's document."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from .oracle.record import SCENARIOS
from .stand_ins import ORACLE, materialize_scenarios

BIN = Path(sys.executable).parent
_TIMES = re.compile(r'"(delta|start|end)": "[^"]*"')

#: scenarios whose output corral-playbook already reproduces exactly
MATCHING = ["small", "small_hidden", "more_color"]


def _env(extra: dict[str, str]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ANSIBLE_", "CORRAL_"))}
    # the interpreter the recordings were made with (oracle/record.py): none is discovered
    env.update(ANSIBLE_NOCOLOR="1", ANSIBLE_PYTHON_INTERPRETER="/usr/bin/python3", **extra)
    return env


def _normalized(text: str) -> str:
    return _TIMES.sub(r'"\1": "X"', text)


@pytest.mark.parametrize("name", MATCHING)
def test_playbook_output_matches_ansible(name, tmp_path):
    playbook, extra, env_extra, inventory = SCENARIOS[name]
    materialize_scenarios(tmp_path)
    proc = subprocess.run([str(BIN / "corral-playbook"), "-i", inventory, "-c", "local", *extra, playbook],
                          cwd=tmp_path, env=_env(env_extra), capture_output=True, text=True, timeout=120)
    expected = (ORACLE / "recorded" / f"{name}.stdout").read_text().replace("@DIR@", str(tmp_path))
    assert _normalized(proc.stdout) == _normalized(expected)
    assert str(proc.returncode) == (ORACLE / "recorded" / f"{name}.rc").read_text().strip()


def adhoc(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "corral"), "localhost", "-i", "localhost,", "-c", "local", *args],
                          env=_env({}), capture_output=True, text=True, timeout=120)


def test_adhoc_minimal_output():
    assert adhoc("-m", "ping").stdout == 'localhost | SUCCESS => {\n    "changed": false,\n    "ping": "pong"\n}\n'
    assert adhoc("-a", "echo hi").stdout == "localhost | CHANGED | rc=0 >>\nhi\n"
    failed = adhoc("-m", "fail", "-a", "msg=yo")
    assert failed.stdout == (
        "[ERROR]: Task failed: Action failed: yo\nOrigin: <adhoc 'fail' task>\n\n"
        "{'action': 'fail', 'args': {'msg': 'yo'}, 'timeout': 0, 'async_val': 0, 'poll': 15}\n\n"
        'localhost | FAILED! => {\n    "changed": false,\n    "msg": "yo"\n}\n')
    assert failed.returncode == 2
    shell = adhoc("-m", "shell", "-a", "echo out; echo err >&2; exit 3")
    assert shell.stdout.endswith("localhost | FAILED | rc=3 >>\nouterrThe command exited with a non-zero return code.\n")


def test_adhoc_oneline_output():
    assert adhoc("-a", "echo hi", "-o").stdout.endswith("localhost | CHANGED | rc=0 | (stdout) hi\n")
    assert adhoc("-m", "ping", "-o").stdout.endswith('localhost | SUCCESS => {"changed": false,"ping": "pong"}\n')


def test_json_stdout_callback(tmp_path):
    materialize_scenarios(tmp_path)
    proc = subprocess.run([str(BIN / "corral-playbook"), "-i", "localhost,", "-c", "local", "small.yml"],
                          cwd=tmp_path, env=_env({"ANSIBLE_STDOUT_CALLBACK": "json"}), capture_output=True,
                          text=True, timeout=120)
    doc = json.loads(proc.stdout)
    [play] = doc["plays"]
    assert play["play"]["name"] == "Small"
    assert [t["task"]["name"] for t in play["tasks"]] == ["say", "run", "skip", "items", "notify", "h"]
    assert play["tasks"][1]["hosts"]["localhost"]["stdout"] == "hi"
    assert play["tasks"][1]["hosts"]["localhost"]["action"] == "command"
    assert play["tasks"][2]["hosts"]["localhost"]["skipped"] is True
    assert doc["stats"]["localhost"] == {"ok": 5, "changed": 3, "unreachable": 0, "failures": 0, "skipped": 1,
                                         "rescued": 0, "ignored": 0}
