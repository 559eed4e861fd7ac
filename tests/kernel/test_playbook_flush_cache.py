"""``corral-playbook --flush-cache``: the fact cache of every inventory host is
cleared once, before the first play (as ansible-playbook 2.21 does: facts cached by
an earlier run are gone, facts gathered by the run's first play reach its second,
hosts outside the plays lose theirs too), with the ``jsonfile`` cache plugin."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

CORRAL = Path(sys.executable).parent / "corral-playbook"
INVENTORY = 'h1 ansible_connection=local ansible_python_interpreter="{{ ansible_playbook_python }}"\n' \
            'h2 ansible_connection=local ansible_python_interpreter="{{ ansible_playbook_python }}"\n'
PRIME = """
- hosts: all
  gather_facts: false
  tasks:
    - set_fact: {remembered: from the last run, cacheable: true}
"""
SITE = """
- hosts: h1
  gather_facts: false
  tasks:
    - debug: {msg: "{{ remembered | default('flushed') }}"}
    - setup: {filter: ansible_system}
- hosts: h1
  gather_facts: false
  tasks:
    - debug: {msg: "system {{ ansible_facts.system }}"}
"""


def _run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ANSIBLE_", "CORRAL_"))}
    env["ANSIBLE_NOCOLOR"] = "1"
    return subprocess.run([str(CORRAL), "-i", "hosts", *args], cwd=tmp_path, env=env, capture_output=True,
                          text=True, timeout=120)


def _project(tmp_path: Path) -> Path:
    cache = tmp_path / "cache"
    (tmp_path / "ansible.cfg").write_text(f"[defaults]\nfact_caching = jsonfile\nfact_caching_connection = {cache}\n")
    (tmp_path / "hosts").write_text(INVENTORY)
    (tmp_path / "prime.yml").write_text(PRIME)
    (tmp_path / "site.yml").write_text(SITE)
    primed = _run(tmp_path, "prime.yml")
    assert primed.returncode == 0, primed.stdout + primed.stderr
    return cache


def test_cached_facts_survive_a_run_without_the_flag(tmp_path: Path) -> None:
    _project(tmp_path)
    proc = _run(tmp_path, "site.yml")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert '"msg": "from the last run"' in proc.stdout


def test_flush_cache_clears_every_inventory_host_before_the_first_play(tmp_path: Path) -> None:
    cache = _project(tmp_path)
    assert len(list(cache.iterdir())) == 2
    proc = _run(tmp_path, "--flush-cache", "site.yml")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert '"msg": "flushed"' in proc.stdout
    # gathered in the first play, still there in the second: the flush happens once
    assert '"msg": "system Linux"' in proc.stdout
    # h2 is in no play: its cached facts are gone all the same
    remaining = "".join(path.read_text() for path in cache.iterdir())
    assert "from the last run" not in remaining
    assert len(list(cache.iterdir())) == 1


def test_adhoc_flush_cache_clears_every_inventory_host(tmp_path: Path) -> None:
    """``corral --flush-cache`` as ``ansible --flush-cache``: the cached facts of every
    inventory host are gone before the task runs."""
    cache = _project(tmp_path)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ANSIBLE_", "CORRAL_"))}
    proc = subprocess.run([str(CORRAL.parent / "corral"), "h1", "-i", "hosts", "-m", "debug", "-a",
                           "msg={{ remembered | default('flushed') }}", "--flush-cache"], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert '"msg": "flushed"' in proc.stdout
    remaining = "".join(path.read_text() for path in cache.iterdir())
    assert "from the last run" not in remaining
