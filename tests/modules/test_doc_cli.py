"""corral-doc: module documentation and plugin lists, run as the real command."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import yaml

from corral.plugins.manager import PluginManager

_DOC = os.path.join(os.path.dirname(sys.executable), "corral-doc")


def corral_doc(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([_DOC, *args], capture_output=True, text=True, timeout=60)


def test_list_modules_with_summaries():
    result = corral_doc("-l")
    assert result.returncode == 0
    lines = dict(line.split(None, 1) for line in result.stdout.splitlines())
    assert lines["command"] == "Run a command on the target without a shell"
    assert lines["lineinfile"] == "Manage one line in a text file"
    assert "copy" in lines and "template" in lines


def test_module_documentation_shows_options_examples_and_returns():
    result = corral_doc("command")
    assert result.returncode == 0
    out = result.stdout
    assert out.startswith("> MODULE command (")
    assert "OPTIONS (= is mandatory):" in out and "- chdir" in out and "type: path" in out
    assert "EXAMPLES:" in out and "creates: /path/to/database" in out
    assert "RETURN VALUES:" in out and "- stdout" in out
    assert "`shell'" in out, "documentation markup is rendered"
    required = corral_doc("file").stdout
    assert "= path" in required and "aliases: [dest, name]" in required


def test_json_and_missing_module():
    data = json.loads(corral_doc("-j", "ping").stdout)
    assert data["ping"]["doc"]["options"]["data"]["default"] == "pong"
    assert data["ping"]["return"]["ping"]["type"] == "str"
    missing = corral_doc("no_such_module_xyz")
    assert missing.returncode == 0 and "no_such_module_xyz was not found" in missing.stderr
    assert corral_doc().returncode == 5


def test_list_plugins_of_a_kind_with_distribution():
    result = corral_doc("-l", "-t", "module")
    assert result.returncode == 0 and "command" in result.stdout
    kinds = corral_doc("-l", "-t", "connection")
    assert kinds.returncode == 0
    names = {line.split()[0]: line.split()[1:] for line in kinds.stdout.splitlines()}
    expected = {info.name: info for info in PluginManager().installed("connection")}
    assert set(names) == set(expected)
    for name, info in expected.items():
        assert names[name] == [info.distribution, info.version]
    listing = json.loads(corral_doc("-l", "-t", "module", "-j").stdout)
    assert "ping" in listing
    assert corral_doc("-l", "-t", "bogus").returncode == 2


_OUR_DISTRIBUTIONS = {"corral-modules-commands", "corral-modules-files", "corral-modules-system",
                      "corral-modules-net", "corral-modules-source"}


def test_every_standard_module_documentation_parses():
    specs = {name: spec for name, spec in PluginManager().modules().items()
             if spec.distribution in _OUR_DISTRIBUTIONS}
    assert len(specs) >= 16
    for name, spec in specs.items():
        doc = spec.doc
        # an alias (systemd, yum) runs, and is documented as, the module of its file
        assert doc.get("module") == Path(spec.path).stem, f"{spec.path}: DOCUMENTATION names module {doc.get('module')}"
        assert doc.get("short_description"), f"{name} has no short_description"
        assert doc["examples"], f"{name} has no EXAMPLES"
        yaml.safe_load(doc["examples"])
