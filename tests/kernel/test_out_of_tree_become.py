"""The out-of-tree become example (examples/plugins/corral-become-setpriv), installed
from its folder, escalates a real play and passes its own tests."""
from __future__ import annotations

import subprocess
from pathlib import Path

from pytest_corral.sshd import target_python

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "plugins" / "corral-become-setpriv"

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


def test_the_installed_example_escalates_a_real_play(run_with_site, tmp_path, corral_su_user):
    (tmp_path / "hosts.ini").write_text(f"target ansible_connection=local ansible_python_interpreter={target_python()}\n")
    (tmp_path / "site.yml").write_text(PLAY.format(user=corral_su_user.name))
    result = run_with_site("corral-playbook", "-i", "hosts.ini", "site.yml")
    assert result.returncode == 0, result.stdout + result.stderr
    uid = subprocess.run(["id", "-u", corral_su_user.name], capture_output=True, text=True, check=True).stdout
    assert f"setpriv={corral_su_user.name}:{uid.strip()}" in result.stdout
    listing = run_with_site("corral-plugins", "--kind", "become")
    assert "setpriv" in listing.stdout and "corral-become-setpriv 1.0.0" in listing.stdout


def test_the_example_passes_its_own_tests(run_with_site):
    result = run_with_site("python", "-m", "pytest", "-q", "-p", "no:cacheprovider", str(EXAMPLE / "tests"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "4 passed" in result.stdout
