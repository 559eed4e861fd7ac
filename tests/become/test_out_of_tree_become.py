"""The out-of-tree become example (examples/plugins/corral-become-setpriv), installed
from its folder, escalates a real play and passes its own tests."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from pytest_corral.sshd import target_python

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "plugins" / "corral-become-setpriv"
BIN = Path(sys.executable).parent

PLAY = """
- hosts: all
  gather_facts: false
  become: true
  become_method: setpriv
  become_user: {user}
  tasks:
    - command: id -un
      register: name
    - command: id -u
      register: uid
    - debug: msg="setpriv={{{{ name.stdout }}}}:{{{{ uid.stdout }}}}"
"""


@pytest.fixture(scope="module")
def plugin_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("site")
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target),
                    str(EXAMPLE)], check=True, capture_output=True)
    return target


def _env(site: Path, home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ANSIBLE_", "CORRAL_"))}
    env.update(PYTHONPATH=str(site), HOME=str(home), CORRAL_NOCOLOR="1")
    return env


def test_the_installed_example_escalates_a_real_play(plugin_site, tmp_path, corral_su_user):
    inventory = tmp_path / "hosts.ini"
    inventory.write_text(f"target ansible_connection=local ansible_python_interpreter={target_python()}\n")
    playbook = tmp_path / "site.yml"
    playbook.write_text(PLAY.format(user=corral_su_user.name))
    result = subprocess.run([str(BIN / "corral-playbook"), "-i", str(inventory), str(playbook)],
                            capture_output=True, text=True, env=_env(plugin_site, tmp_path), timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    uid = subprocess.run(["id", "-u", corral_su_user.name], capture_output=True, text=True, check=True).stdout
    assert f"setpriv={corral_su_user.name}:{uid.strip()}" in result.stdout
    listing = subprocess.run([str(BIN / "corral-plugins"), "--kind", "become"], capture_output=True, text=True,
                             env=_env(plugin_site, tmp_path), timeout=60)
    assert "setpriv" in listing.stdout and "corral-become-setpriv 1.0.0" in listing.stdout


def test_the_example_passes_its_own_tests(plugin_site, tmp_path):
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(EXAMPLE / "tests")],
                            capture_output=True, text=True, env=_env(plugin_site, tmp_path), timeout=120,
                            cwd=str(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "4 passed" in result.stdout
