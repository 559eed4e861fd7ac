"""``gathering = smart`` with a fact cache, compared run by run with ansible-playbook
2.21: a host gathers only while its cached facts are not marked as gathered by a fact
gathering (``_ansible_facts_gathered``: the play's own or a ``gather_facts`` task, not a
``setup`` task), decided host by host even when the play sets ``gather_facts: true``; a
second run with ``jsonfile`` gathers nothing and sees the cached facts; an entry older
than ``fact_caching_timeout`` is gathered again; ``--flush-cache`` and ``meta:
clear_facts`` make hosts gather again; ``fact_caching_prefix`` names the files."""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from .harness import environment, normalize

REPO = Path(__file__).resolve().parents[2]
ENGINES = {"ansible": REPO / ".oracle" / "bin" / "ansible-playbook",
           "corral": Path(sys.executable).parent / "corral-playbook"}
INVENTORY = "h1 ansible_connection=local ansible_python_interpreter=/usr/bin/python3\n" \
            "h2 ansible_connection=local ansible_python_interpreter=/usr/bin/python3\n"
SITE = """
- hosts: all
  tasks:
    - debug: msg="{{ ansible_facts.system | default('none') }} {{ ansible_facts._ansible_facts_gathered | default('-') }}"
- hosts: all
  gather_facts: true
  tasks:
    - debug: msg="{{ ansible_facts.distribution | default('none') }}"
"""
MARKS = """
- hosts: h1
  gather_facts: false
  tasks:
    - setup: {filter: ansible_system}
- hosts: h2
  gather_facts: false
  tasks:
    - gather_facts:
- hosts: all
  tasks:
    - debug: msg="{{ ansible_facts._ansible_facts_gathered | default('-') }} {{ ansible_facts.system }}"
- hosts: all
  gather_facts: true
  tasks:
    - meta: clear_facts
      when: inventory_hostname == 'h1'
- hosts: all
  tasks:
    - debug: msg="{{ ansible_facts.keys() | length > 10 }}"
"""

def _play(engine: str, project: Path, playbook: str, *args: str, **env: str) -> str:
    if not ENGINES[engine].exists():
        raise AssertionError(f"{ENGINES[engine]} is not installed: run scripts/oracle-venv")
    proc = subprocess.run([str(ENGINES[engine]), "-i", "hosts", playbook, *args], cwd=project,
                          env={**environment(), "ANSIBLE_GATHERING": "smart", **env},
                          capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return normalize(proc.stdout, project)


def _project(root: Path, engine: str) -> tuple[Path, dict[str, str]]:
    project = root / engine
    project.mkdir()
    (project / "hosts").write_text(INVENTORY)
    (project / "site.yml").write_text(SITE)
    (project / "marks.yml").write_text(MARKS)
    return project, {"ANSIBLE_CACHE_PLUGIN": "jsonfile", "ANSIBLE_CACHE_PLUGIN_CONNECTION": str(project / "cache"),
                     "ANSIBLE_CACHE_PLUGIN_PREFIX": "facts_", "ANSIBLE_CACHE_PLUGIN_TIMEOUT": "3600"}


def _age(project: Path, host: str) -> None:
    """Make ``host``'s cache entry two hours old (older than the timeout)."""
    old = time.time() - 7200
    for entry in (project / "cache").iterdir():
        if entry.name.startswith("facts_") and entry.name.endswith(host):
            os.utime(entry, (old, old))


def _runs(engine: str, root: Path) -> list[str]:
    project, env = _project(root, engine)
    outputs = [_play(engine, project, "site.yml", **env), _play(engine, project, "site.yml", **env)]
    _age(project, "h2")
    outputs.append(_play(engine, project, "site.yml", **env))
    outputs.append(_play(engine, project, "site.yml", "--flush-cache", **env))
    outputs.append(_play(engine, project, "marks.yml", "--flush-cache", **env))
    return outputs


def test_smart_gathering_across_runs_is_ansible_cores(tmp_path: Path) -> None:
    theirs, ours = _runs("ansible", tmp_path), _runs("corral", tmp_path)
    assert ours == theirs
    assert "Gathering Facts" not in theirs[1] and "Gathering Facts" in theirs[2]


def test_the_prefix_names_the_cache_files(tmp_path: Path) -> None:
    project, env = _project(tmp_path, "corral")
    _play("corral", project, "site.yml", **env)
    assert sorted(p.name for p in (project / "cache").iterdir()) == ["facts_s1_h1", "facts_s1_h2"]
