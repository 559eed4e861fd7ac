"""A ``jsonfile`` fact cache written by one engine is read by the other: facts
gathered and ``set_fact: cacheable=yes`` values cached by ansible-playbook 2.21 are
what a later corral-playbook run sees with ``gathering = smart`` (no host gathers
again), and the other way round; each reader's output equals ansible-playbook's
own second run on its own cache."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from .harness import environment, normalize
from .test_smart_gathering import ENGINES, INVENTORY

WRITE = """
- hosts: all
  gather_subset: [min]
  tasks:
    - set_fact:
        colour: "{{ inventory_hostname }}-blue"
        sizes: {small: 1, large: [2, 3]}
        cacheable: true
"""
READ = """
- hosts: all
  tasks:
    - debug:
        msg: "{{ ansible_facts.distribution }} {{ ansible_facts.system }} {{ colour }} {{ sizes.large[1] + 1 }}
              {{ ansible_facts._ansible_facts_gathered }} {{ ansible_facts.gather_subset }}"
"""


def _play(engine: str, project: Path, cache: Path, playbook: str) -> str:
    if not ENGINES[engine].exists():
        raise AssertionError(f"{ENGINES[engine]} is not installed: run scripts/oracle-venv")
    env = {**environment(), "ANSIBLE_GATHERING": "smart", "ANSIBLE_CACHE_PLUGIN": "jsonfile",
           "ANSIBLE_CACHE_PLUGIN_CONNECTION": str(cache), "ANSIBLE_CACHE_PLUGIN_PREFIX": "f_"}
    proc = subprocess.run([str(ENGINES[engine]), "-i", "hosts", playbook], cwd=project, env=env,
                          capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return normalize(proc.stdout, project)


def _written_by(engine: str, root: Path) -> Path:
    project = root / engine
    project.mkdir()
    (project / "hosts").write_text(INVENTORY)
    (project / "write.yml").write_text(WRITE)
    (project / "read.yml").write_text(READ)
    _play(engine, project, project / "cache", "write.yml")
    return project


def _read_by(engine: str, written: Path, root: Path) -> str:
    """``engine``'s run of read.yml on a copy of the cache in ``written``."""
    cache = root / f"{written.name}-read-by-{engine}"
    shutil.copytree(written / "cache", cache)
    return _play(engine, written, cache, "read.yml")


def test_each_engine_reads_the_others_cache(tmp_path: Path) -> None:
    by_ansible, by_corral = _written_by("ansible", tmp_path), _written_by("corral", tmp_path)
    assert sorted(p.name for p in (by_corral / "cache").iterdir()) == \
        sorted(p.name for p in (by_ansible / "cache").iterdir()) == ["f_s1_h1", "f_s1_h2"]
    reference = _read_by("ansible", by_ansible, tmp_path)
    assert "Gathering Facts" not in reference and "h2-blue 4" in reference
    assert _read_by("corral", by_ansible, tmp_path) == reference
    assert _read_by("ansible", by_corral, tmp_path) == reference
