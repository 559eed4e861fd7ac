"""Dynamic inventory scripts, executed for real."""
from __future__ import annotations

import os
import sys

import pytest

from corral_inventory_script import ScriptError, check_script

from conftest import FIXTURES, names

PY = f"#!{sys.executable}\n"


def test_script_with_meta(make_inventory):
    inv = make_inventory(os.path.join(FIXTURES, "script_meta", "inventory.py"))
    groups = inv.get_groups_dict()
    assert groups["web"] == ["web1", "web2", "proxy1"]
    assert groups["solo"] == ["solo"]
    assert inv.get_inventory_vars("web2")["tags"] == ["a", "b"]
    assert inv.get_inventory_vars("solo")["role"] == "standalone"
    assert inv.get_inventory_vars("proxy1")["http_port"] == 80


def test_script_without_meta_calls_host(make_inventory):
    inv = make_inventory(os.path.join(FIXTURES, "script_nometa", "inventory.py"))
    assert inv.get_groups_dict()["all_apps"] == ["app1", "app2", "worker1"]
    assert inv.get_inventory_vars("app1")["ansible_host"] == "127.0.0.11"
    assert inv.get_inventory_vars("app2")["slot"] == 2


def failing(write, body: str) -> str:
    return write("inv.py", PY + body, executable=True)


@pytest.mark.parametrize("body, reason", [
    ("import sys\nsys.stderr.write('cloud API said no')\nsys.exit(3)\n",
     r"--list failed with exit code 3\nstderr: cloud API said no"),
    ("import sys; sys.stdout.write('{not json')\n", r"printed output that is not valid JSON"),
    ("print('[1, 2]')\n", r"must print a JSON object"),
    ("import json\nprint(json.dumps({'web': {'hosts': 'a'}}))\n", r"bad data for the host list"),
    ("import json\nprint(json.dumps({'web': {'vars': [1]}}))\n", r"bad data for variables"),
    ("import json\nprint(json.dumps({'web': ['a'], '_meta': {'hostvars': []}}))\n", r"'_meta' must be a mapping whose 'hostvars'"),
    ("import json\nprint(json.dumps({'web': ['a'], '_meta': {}}))\n", r"'_meta' must be a mapping whose 'hostvars'"),
    ("import json, sys\n"
     "print(json.dumps({'web': ['a']}) if sys.argv[1] == '--list' else 'nope')\n",
     r"--host a printed output that is not valid JSON"),
])
def test_script_errors(write, make_inventory, body, reason):
    script = failing(write, body)
    inv = make_inventory(script)
    joined = "\n".join(inv.warnings)
    assert "Failed to parse inventory with 'script' plugin: " in joined
    assert "Inventory script " + script in joined
    import re
    assert re.search(reason, joined), joined
    assert f"Unable to parse {script} as an inventory source" in inv.warnings


def test_script_timeout(write, make_inventory, monkeypatch):
    monkeypatch.setenv("CORRAL_INVENTORY_SCRIPT_TIMEOUT", "0.5")
    script = failing(write, "import time, sys\nsys.stderr.write('waiting')\nsys.stderr.flush()\ntime.sleep(30)\n")
    inv = make_inventory(script)
    assert any("timed out after 0.5 seconds" in w for w in inv.warnings)


def test_failed_script_does_not_stop_other_sources(write, make_inventory):
    script = failing(write, "raise SystemExit(1)\n")
    good = write("good.ini", "[web]\nw1\n")
    inv = make_inventory(script, good)
    assert names(inv.get_hosts("all")) == ["w1"]


def test_non_executable_file_is_not_run_as_script(write, make_inventory):
    path = write("inv.py", PY + "raise SystemExit('should not run')\n")
    inv = make_inventory(path)
    assert not any("script plugin" in w for w in inv.warnings)


def test_check_script_accepts_good_scripts():
    problems, notes = check_script(os.path.join(FIXTURES, "script_meta", "inventory.py"))
    assert problems == []
    assert any("Group 'edge' is a plain list of hosts" in n for n in notes)
    assert any("'solo'" in n and "read as one host" in n for n in notes)
    problems, notes = check_script(os.path.join(FIXTURES, "script_nometa", "inventory.py"))
    assert problems == []
    assert any("no '_meta.hostvars'" in n for n in notes)


def test_check_script_reports_each_problem(write):
    script = failing(write, """
import json
print(json.dumps({
    "web": {"hosts": ["a", 5], "vars": [1], "children": ["ghost"], "colour": 1},
    "bad": 3,
    "_meta": {"hostvars": {"a": [], "stranger": {}}},
}))
""")
    problems, _ = check_script(script)
    text = "\n".join(problems)
    assert "lists a host that is not a string: 5" in text
    assert "'vars' must be a mapping" in text
    assert "child group 'ghost' which is not defined" in text
    assert "unknown keys ['colour']" in text
    assert "Group 'bad' must be a mapping with 'hosts', 'vars', 'children'" in text
    assert "_meta.hostvars['a'] must be a mapping" in text
    assert "variables for 'stranger', which no group lists" in text


def test_check_script_not_executable_and_failing(write, tmp_path):
    plain = write("plain.py", "print(1)\n")
    assert "is not executable" in check_script(plain).problems[0]
    assert "does not exist" in check_script(str(tmp_path / "missing.py")).problems[0]
    script = failing(write, "import sys\nsys.stderr.write('boom')\nsys.exit(2)\n")
    [problem] = check_script(script).problems
    assert "exit code 2" in problem and "boom" in problem


def test_script_error_type():
    assert issubclass(ScriptError, Exception)


def test_empty_host_answer_means_no_variables(write, make_inventory):
    script = failing(write, "import json, sys\nif sys.argv[1] == '--list': print(json.dumps({'g': {'hosts': ['a']}}))\n")
    inv = make_inventory(script)
    assert inv.warnings == [] and inv.get_groups_dict()["g"] == ["a"]


def test_documented_example_script(tmp_path, make_inventory):
    docs = os.path.join(os.path.dirname(FIXTURES), "..", "..", "docs", "dynamic-inventory-scripts.md")
    with open(docs, encoding="utf-8") as handle:
        text = handle.read()
    code = text.split("```python\n", 1)[1].split("```", 1)[0]
    script = tmp_path / "inventory.py"
    script.write_text(code.replace("#!/usr/bin/env python3", f"#!{sys.executable}", 1))
    script.chmod(0o755)
    assert check_script(str(script)) == ([], [])
    inv = make_inventory(str(script))
    assert inv.get_groups_dict()["racks"] == ["r1-node0", "r1-node1", "r2-node0"]
    assert inv.get_inventory_vars("r2-node0")["ansible_host"] == "10.0.2.10"
