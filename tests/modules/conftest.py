"""Run modules for real on localhost, the way the executor does: build the payload,
feed it to a fresh ``python3 -``, parse what comes back."""
from __future__ import annotations

import subprocess
import sys
from typing import Any, Callable

import pytest

from corral.executor.module_payload import build_module_payload, parse_module_output
from corral.plugins.manager import PluginManager

_MODULES = PluginManager().modules()


def run_module(name: str, args: dict[str, Any] | None = None, *, check: bool = False, diff: bool = False,
               timeout: float = 60, **settings: Any) -> dict[str, Any]:
    """Run the installed module ``name`` with ``args`` in a child Python; return its result."""
    payload = build_module_payload(_MODULES[name], dict(args or {}), check_mode=check, diff=diff, **settings)
    proc = subprocess.run([sys.executable, "-"], input=payload, capture_output=True, timeout=timeout)
    return parse_module_output(proc.returncode, proc.stdout, proc.stderr)


@pytest.fixture
def module() -> Callable[..., dict[str, Any]]:
    """``module(name, args, check=False, diff=False)`` -> result dict."""
    return run_module


def run_playbook(directory, tasks_yaml: str, *flags: str, timeout: float = 120) -> dict[str, Any]:
    """Run ``corral-playbook`` on localhost with a play holding ``tasks_yaml``.

    Returns ``{"rc", "tasks": [localhost result per task], "stats", "stdout", "stderr"}``
    from the json stdout callback."""
    import json
    import os
    import textwrap
    from pathlib import Path

    playbook = Path(directory) / "play.yml"
    body = textwrap.indent(textwrap.dedent(tasks_yaml).strip(), "    ")
    playbook.write_text(f"- hosts: localhost\n  gather_facts: false\n  tasks:\n{body}\n")
    binary = Path(sys.executable).with_name("corral-playbook")
    env = dict(os.environ, ANSIBLE_STDOUT_CALLBACK="json", ANSIBLE_NOCOLOR="1")
    proc = subprocess.run([str(binary), "-i", "localhost,", "-c", "local", str(playbook), *flags],
                          capture_output=True, text=True, timeout=timeout, env=env, cwd=str(directory))
    try:
        data = json.loads(proc.stdout)
    except ValueError:
        raise AssertionError(f"no JSON from corral-playbook (rc={proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    tasks = [task["hosts"].get("localhost", {}) for play in data["plays"] for task in play["tasks"]]
    return {"rc": proc.returncode, "tasks": tasks, "stats": data["stats"].get("localhost", {}),
            "stdout": proc.stdout, "stderr": proc.stderr}


@pytest.fixture
def playbook(tmp_path) -> Callable[..., dict[str, Any]]:
    """``playbook(tasks_yaml, *flags)`` runs the tasks on localhost in ``tmp_path``."""
    return lambda tasks_yaml, *flags: run_playbook(tmp_path, tasks_yaml, *flags)
