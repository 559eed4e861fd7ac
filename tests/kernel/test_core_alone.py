"""``pip install ./core`` alone: imports, lists no plugins, fails a run clearly."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import REPO


@pytest.fixture(scope="module")
def core_only(tmp_path_factory: pytest.TempPathFactory) -> Path:
    venv = tmp_path_factory.mktemp("core-only") / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run([str(venv / "bin" / "pip"), "install", "-q", str(REPO / "core")], check=True,
                   capture_output=True, timeout=600)
    return venv / "bin"


def _run(bin_dir: Path, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ANSIBLE_", "CORRAL_", "PYTHON"))}
    return subprocess.run([str(bin_dir / args[0]), *args[1:]], capture_output=True, text=True, env=env, cwd=cwd,
                          timeout=120)


def test_the_kernel_imports_and_lists_no_plugins(core_only: Path) -> None:
    result = _run(core_only, "python", "-c", "import corral, corral.api, corral.runner; "
                  "from corral.plugins.manager import PluginManager, KINDS; "
                  "print(sum(len(PluginManager().installed(k)) for k in KINDS))")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "0"
    listing = _run(core_only, "corral-plugins", "--kind", "connection")
    assert listing.returncode == 0
    assert "No plugins installed" in listing.stdout
    doc = _run(core_only, "corral-doc", "-l", "-t", "connection")
    assert doc.returncode == 0, doc.stderr
    assert "local" not in doc.stdout and "ssh" not in doc.stdout
    assert "Traceback" not in doc.stderr


def test_a_run_fails_naming_the_missing_plugin_and_its_distribution(core_only: Path, tmp_path: Path) -> None:
    (tmp_path / "site.yml").write_text("- hosts: localhost\n  gather_facts: false\n  tasks:\n    - debug: msg=hi\n")
    result = _run(core_only, "corral-playbook", "-i", "localhost,", "site.yml", cwd=tmp_path)
    assert result.returncode != 0
    assert "plugin named" in result.stderr
    assert "It is provided by the distribution 'corral-" in result.stderr
    assert "Traceback" not in result.stderr
