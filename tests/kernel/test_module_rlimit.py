"""``python_module_rlimit_nofile``: the soft limit of open files Python modules run with,
from the task's ``ansible_python_module_rlimit_nofile`` or the configuration
(``ANSIBLE_PYTHON_MODULE_RLIMIT_NOFILE``), as ansible-core sets it before a module runs."""
from __future__ import annotations

import json
from pathlib import Path

from .conftest import run

PLAYBOOK = """
- hosts: all
  gather_facts: false
  tasks:
    - name: configured
      command: sh -c 'ulimit -n'
    - name: from the variable
      command: sh -c 'ulimit -n'
      vars:
        ansible_python_module_rlimit_nofile: 300
"""


def test_variable_beats_configuration(local_inventory: Path, write) -> None:
    result = run(["corral-playbook", "-i", str(local_inventory), str(write("rlimit.yml", PLAYBOOK))],
                 env={"CORRAL_STDOUT_CALLBACK": "json", "ANSIBLE_PYTHON_MODULE_RLIMIT_NOFILE": "200"})
    assert result.returncode == 0, result.stderr
    tasks = {t["task"]["name"]: t["hosts"]["localhost"] for t in json.loads(result.stdout)["plays"][0]["tasks"]}
    assert tasks["configured"]["stdout"] == "200"
    assert tasks["from the variable"]["stdout"] == "300"
