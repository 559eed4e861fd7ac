"""Run a corral play inside throwaway Linux namespaces, so that a module that changes the machine
(host name, firewall) changes only the namespace: ``unshare`` (util-linux) as root, as CI runs."""
from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

CORRAL_PLAYBOOK = Path(sys.executable).with_name("corral-playbook")


def run_in_namespaces(directory: Path, tasks_yaml: str, namespaces: list[str], setup: str = "",
                      runs: int = 1) -> list[dict[str, Any]]:
    """Run the play of ``tasks_yaml`` ``runs`` times in one set of new ``namespaces`` (``uts``, ``net``,
    ``mount``...), after the shell commands ``setup`` ran there; the json callback's result of each run:
    ``{"rc", "tasks": [localhost result per task], "stats"}``."""
    playbook = directory / "play.yml"
    body = textwrap.indent(textwrap.dedent(tasks_yaml).strip(), "    ")
    playbook.write_text(f"- hosts: localhost\n  gather_facts: false\n  tasks:\n{body}\n")
    command = " ; ".join(
        [setup or "true"]
        + [f"{shlex.quote(str(CORRAL_PLAYBOOK))} -i localhost, -c local {shlex.quote(str(playbook))} "
           f"> {shlex.quote(str(directory / f'run{index}.json'))}" for index in range(runs)])
    env = dict(os.environ, ANSIBLE_STDOUT_CALLBACK="json", ANSIBLE_NOCOLOR="1")
    proc = subprocess.run(["unshare", *[f"--{name}" for name in namespaces], "sh", "-c", command],
                          capture_output=True, text=True, timeout=300, env=env, cwd=str(directory))
    results = []
    for index in range(runs):
        text = (directory / f"run{index}.json").read_text()
        try:
            data = json.loads(text)
        except ValueError:
            raise AssertionError(f"no JSON from corral-playbook (rc={proc.returncode}):\n{text}\n{proc.stderr}")
        results.append({"tasks": [task["hosts"].get("localhost", {}) for play in data["plays"]
                                  for task in play["tasks"]],
                        "stats": data["stats"].get("localhost", {})})
    return results
