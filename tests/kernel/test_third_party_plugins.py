"""A plugin installed from its own directory is found through its entry point and
receives the events; a plugin that fails to import is reported, not fatal."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import REPO, run

PLAYBOOK = """
- hosts: all
  gather_facts: false
  tasks:
    - name: say hello
      debug: msg=hello
    - name: run true
      command: /bin/true
    - name: skipped
      debug: msg=never
      when: false
"""


@pytest.fixture(scope="module")
def plugin_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example out-of-tree plugin and the broken fixture plugin, pip-installed
    into a directory that the test runs put on PYTHONPATH."""
    target = tmp_path_factory.mktemp("site")
    for source in (REPO / "examples" / "plugins" / "corral-callback-counter",
                   REPO / "tests" / "kernel" / "fixtures" / "corral-callback-broken"):
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps",
                        "--target", str(target), str(source)], check=True, capture_output=True)
    return target


def test_an_out_of_tree_callback_receives_the_events(plugin_site: Path, tmp_path: Path,
                                                      local_inventory: Path, write) -> None:
    playbook = write("site.yml", PLAYBOOK)
    counts = tmp_path / "counts.json"
    result = run(["corral-playbook", "-i", str(local_inventory), str(playbook)],
                 env={"PYTHONPATH": str(plugin_site), "CORRAL_CALLBACKS_ENABLED": "counter",
                      "CORRAL_COUNTER_FILE": str(counts)})
    assert result.returncode == 0, result.stderr
    summary = json.loads(counts.read_text())
    assert summary["tasks"] == ["say hello", "run true", "skipped"]
    assert summary["hosts"] == {"localhost": {"ok": 1, "changed": 1, "skipped": 1}}
    listing = run(["corral-plugins", "--kind", "callback"], env={"PYTHONPATH": str(plugin_site)})
    assert "counter" in listing.stdout and "corral-callback-counter 1.0.0" in listing.stdout
    counter = listing.stdout.split("corral-callback-counter 1.0.0", 1)[1].splitlines()
    assert counter[1:3] == ["      hooks: corral_callback", "      callback: counter"], listing.stdout


def test_a_broken_plugin_is_reported_and_the_run_goes_on(plugin_site: Path, local_inventory: Path,
                                                          write) -> None:
    playbook = write("site.yml", PLAYBOOK)
    result = run(["corral-playbook", "-i", str(local_inventory), str(playbook)],
                 env={"PYTHONPATH": str(plugin_site), "CORRAL_CALLBACKS_ENABLED": "broken,counter"})
    assert result.returncode == 0
    assert "Failed to load callback plugin 'broken'" in result.stderr
    assert "corral-callback-broken" in result.stderr
    assert "corral_dependency_that_is_not_installed" in result.stderr
    assert "PLAY RECAP" in result.stdout
    assert "counter: " in result.stdout


def test_an_unknown_stdout_callback_lists_the_installed_ones(local_inventory: Path, write) -> None:
    playbook = write("site.yml", PLAYBOOK)
    result = run(["corral-playbook", "-i", str(local_inventory), str(playbook)],
                 env={"ANSIBLE_STDOUT_CALLBACK": "nosuchcallback"})
    assert result.returncode != 0
    assert "No callback plugin named 'nosuchcallback'" in result.stderr
    assert "default" in result.stderr and "json" in result.stderr
