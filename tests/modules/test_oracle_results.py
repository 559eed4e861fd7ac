"""Result keys, flags and messages compared with ansible-core's, recorded by
``oracle/record.py`` into ``oracle/expected.json`` (the suite runs without the oracle)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import run_module, run_playbook
from .oracle.module_cases import CASES, prepare, substitute

HERE = Path(__file__).resolve().parent / "oracle"

EXPECTED = json.loads((HERE / "expected.json").read_text())
#: keys whose presence depends on the controller's verbosity or Python, not on the module
IGNORED_KEYS = {"exception", "invocation", "warnings", "deprecations", "failed"}


def _ours(name: str, module: str, args: dict, tmp_path: Path) -> dict:
    scratch = tmp_path / "scratch"
    prepare(scratch)
    args = substitute(args, scratch)
    if module in ("copy", "template", "fetch"):  # actions: run them through the playbook
        tasks = json.dumps([{module: args, "ignore_errors": True}])
        return run_playbook(tmp_path, tasks)["tasks"][0]
    if module == "shell":
        module, args = "command", dict(args, _uses_shell=True)
    result = run_module(module, args)
    result.setdefault("failed", False)
    return result


@pytest.mark.parametrize("name, module, args", CASES, ids=[case[0] for case in CASES])
def test_result_matches_ansible(name, module, args, tmp_path):
    expected = EXPECTED[name]
    ours = _ours(name, module, args, tmp_path)
    ours.pop("action", None)
    assert sorted(set(ours) - IGNORED_KEYS) == sorted(set(expected["keys"]) - IGNORED_KEYS)
    assert bool(ours.get("failed")) == expected["failed"]
    assert bool(ours.get("changed")) == expected["changed"]
    message = str(ours.get("msg", "")).replace(str(tmp_path / "scratch"), "SCRATCH")
    # Ansible lists the valid booleans in set order, which changes from run to run
    assert message.split("Valid booleans include")[0] == expected["msg"].split("Valid booleans include")[0]
