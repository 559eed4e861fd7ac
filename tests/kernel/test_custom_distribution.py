"""The recipe of docs/custom-distribution.md, in a fresh virtual environment: a
distribution of only the kernel, the local connection, the linear strategy, one
executor, one callback and one module distribution runs a playbook, and a play
needing a plugin it lacks fails naming the distribution to install."""
from __future__ import annotations

from pathlib import Path

import pytest

from pytest_corral import Venv

from .conftest import REPO

pytestmark = pytest.mark.slow

#: the executor of the recipe; ``inline`` (corral-executor-inline) where it exists
EXECUTOR = "inline" if (REPO / "plugins" / "executor" / "inline").is_dir() else "forking"
PARTS = ("core", "plugins/connection/local", "plugins/strategy/linear", f"plugins/executor/{EXECUTOR}",
         "plugins/callback/minimal", "plugins/modules/commands")
META = f"""\
[build-system]
requires = ["setuptools>=77"]
build-backend = "setuptools.build_meta"

[project]
name = "acme-corral"
version = "1.0.0"
description = "ACME's corral: the kernel and the plugins ACME uses"
license = "MIT"
requires-python = ">=3.11"
dependencies = ["corral-core", "corral-connection-local", "corral-strategy-linear",
                "corral-executor-{EXECUTOR}", "corral-callback-minimal", "corral-modules-commands"]

[tool.setuptools]
packages = []
"""
CONFIG = f"[defaults]\nstdout_callback = minimal\nexecutor = {EXECUTOR}\n"
PLAYBOOK = """\
- hosts: localhost
  gather_facts: false
  tasks:
    - command: echo built by acme
    - ping:
"""


@pytest.fixture(scope="module")
def acme(tmp_path_factory: pytest.TempPathFactory) -> tuple[Venv, Path]:
    """The environment with acme-corral installed, and a project directory with its
    corral.cfg."""
    root = tmp_path_factory.mktemp("acme")
    (root / "acme-corral").mkdir()
    (root / "acme-corral" / "pyproject.toml").write_text(META)
    venv = Venv.create(root / "venv")
    venv.install(*(REPO / part for part in PARTS), root / "acme-corral")
    project = root / "project"
    project.mkdir()
    (project / "corral.cfg").write_text(CONFIG)
    (project / "site.yml").write_text(PLAYBOOK)
    return venv, project


def test_only_the_chosen_plugins_are_installed(acme: tuple[Venv, Path]) -> None:
    venv, project = acme
    listing = venv.run("corral-plugins", "--requirements", cwd=project)
    assert listing.returncode == 0, listing.stderr
    assert sorted(line.split("==")[0] for line in listing.stdout.split()) == [
        "corral-callback-minimal", "corral-connection-local", f"corral-executor-{EXECUTOR}",
        "corral-modules-commands", "corral-strategy-linear"]


def test_the_distribution_runs_a_playbook(acme: tuple[Venv, Path]) -> None:
    venv, project = acme
    proc = venv.run("corral-playbook", "site.yml", cwd=project)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "localhost | CHANGED | rc=0 >>\nbuilt by acme" in proc.stdout
    assert '"ping": "pong"' in proc.stdout
    assert "Traceback" not in proc.stderr


@pytest.mark.parametrize("keyword, distribution", [("strategy: free", "corral-strategy-free"),
                                                   ("vars: {ansible_connection: ssh}", "corral-connection-ssh")])
def test_a_play_needing_a_missing_plugin_names_the_distribution(acme: tuple[Venv, Path], keyword: str,
                                                                distribution: str) -> None:
    venv, project = acme
    (project / "needs.yml").write_text(f"- hosts: localhost\n  gather_facts: false\n  {keyword}\n"
                                       "  tasks:\n    - ping:\n")
    proc = venv.run("corral-playbook", "needs.yml", cwd=project)
    assert proc.returncode != 0
    output = proc.stdout + proc.stderr
    assert f"It is provided by the distribution '{distribution}' (pip install {distribution})" in output
    assert "Traceback" not in output
