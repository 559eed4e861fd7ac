"""Fact caching through cache plugins: ``set_fact: cacheable=yes`` and gathered
facts outlive the run with ``jsonfile`` (as ansible-playbook 2.21 shows: a later run
sees them both in ``ansible_facts`` and as top-level variables), ``memory`` keeps
them for one run, and the plugins themselves honour their contract."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from corral.plugins.manager import PluginManager

from .harness import DEFAULT_INVENTORY, environment

PROGRAM = str(Path(sys.executable).parent / "corral-playbook")

WRITE = """- hosts: h1
  gather_facts: false
  tasks:
    - set_fact:
        persisted: hello
        cacheable: true
"""
READ = """- hosts: h1
  gather_facts: false
  tasks:
    - debug: msg="{{ ansible_facts.persisted | default('missing') }} {{ persisted | default('missing') }}"
"""


def _run(tmp_path: Path, name: str, text: str, **env: str) -> str:
    (tmp_path / name).write_text(text)
    full = environment()
    full.update(env)
    proc = subprocess.run([PROGRAM, "-i", str(DEFAULT_INVENTORY), name], cwd=tmp_path, env=full,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc.stdout


def test_jsonfile_cache_outlives_the_run(tmp_path):
    cache = tmp_path / "cache"
    env = {"ANSIBLE_CACHE_PLUGIN": "jsonfile", "ANSIBLE_CACHE_PLUGIN_CONNECTION": str(cache)}
    _run(tmp_path, "write.yml", WRITE, **env)
    assert json.loads(json.loads((cache / "s1_h1").read_text())["__payload__"]) == {"persisted": "hello"}
    assert '"msg": "hello hello"' in _run(tmp_path, "read.yml", READ, **env)


def test_memory_cache_lasts_one_run(tmp_path):
    assert '"msg": "missing missing"' in _run(tmp_path, "read.yml", READ)


def test_cache_plugins_contract(tmp_path):
    plugins = PluginManager()
    memory = plugins.cache_class("memory")()
    memory.set("h", {"a": 1})
    assert memory.get("h") == {"a": 1} and memory.keys() == ["h"]
    memory.flush()
    assert memory.get("h") is None
    jsonfile = plugins.cache_class("jsonfile")(connection=str(tmp_path), timeout=60)
    jsonfile.set("h", {"b": [1, 2]})
    assert jsonfile.get("h") == {"b": [1, 2]} and jsonfile.keys() == ["h"]
    old = time.time() - 120
    os.utime(tmp_path / "s1_h", (old, old))
    assert jsonfile.get("h") is None  # expired
    jsonfile.delete("h")
    assert jsonfile.keys() == [] and jsonfile.get("missing") is None
