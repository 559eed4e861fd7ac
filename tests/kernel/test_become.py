"""The become kind as the kernel runs it: a task's method names a become plugin; an
unknown one fails the task as Ansible words it, a standard one that is not
installed names its distribution."""
from __future__ import annotations

import pytest

from corral.errors import CorralOptionsError
from corral.executor.become import resolve_become
from corral.plugins.manager import PluginManager

from .conftest import run

PLAY = """
- hosts: all
  gather_facts: false
  become: true
  become_method: pbrun
  tasks:
    - command: id -un
"""


def test_an_unknown_method_fails_the_task_as_ansible_words_it(local_inventory, write) -> None:
    result = run(["corral-playbook", "-i", str(local_inventory), str(write("site.yml", PLAY))])
    assert result.returncode == 2
    assert "Invalid become method specified, could not find matching plugin: 'pbrun'" in result.stdout
    assert "installed become plugins: runuser, su, sudo" in result.stdout


def test_a_standard_method_that_is_not_installed_names_its_distribution() -> None:
    with pytest.raises(CorralOptionsError, match=r"pip install corral-become-runuser"):
        resolve_become(PluginManager(allow=["become:sudo"]), "runuser", variables={}, keywords={}, cli={},
                       ini=None)


def test_a_standard_prefix_names_the_same_method() -> None:
    become = resolve_become(PluginManager(), "ansible.builtin.sudo", variables={}, keywords={}, cli={}, ini=None)
    assert (become.method, become.plugin) == ("sudo", "corral_become_sudo:SudoBecome")
