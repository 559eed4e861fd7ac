"""The differential inventory cases: (name, -i sources relative to fixtures/, extra args).

``record_expected.py`` runs ``ansible-inventory`` (from ``.oracle/``) on each case
and stores its output in ``expected/<name>.json``; ``test_differential.py``
compares ``corral-inventory`` with those recordings (and with the oracle live
when it is installed).
"""
from __future__ import annotations

import json
import os
import subprocess
from typing import Any

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, "fixtures")
EXPECTED = os.path.join(HERE, "expected")
ROOT = os.path.dirname(os.path.dirname(HERE))
ORACLE = os.path.join(ROOT, ".oracle", "bin", "ansible-inventory")
CORRAL = os.path.join(ROOT, ".venv", "bin", "corral-inventory")

CASES: list[tuple[str, list[str], list[str]]] = [
    ("ini_list", ["ini/hosts.ini"], ["--list"]),
    ("ini_export", ["ini/hosts.ini"], ["--list", "--export"]),
    ("ini_limit", ["ini/hosts.ini"], ["--list", "--limit", "web:!node*"]),
    ("yaml_list", ["yaml/inventory.yml"], ["--list"]),
    ("json_list", ["json/inventory.json"], ["--list"]),
    ("dir_list", ["dir"], ["--list"]),
    ("dir_export", ["dir"], ["--list", "--export"]),
    ("script_meta", ["script_meta/inventory.py"], ["--list"]),
    ("script_nometa", ["script_nometa/inventory.py"], ["--list"]),
    ("constructed", ["constructed"], ["--list"]),
    ("multi", ["multi/a.ini", "multi/b.yml"], ["--list"]),
    ("host_list", ["alpha,beta:2222,localhost"], ["--list"]),
    ("ini_host", ["ini/hosts.ini"], ["--host", "web02.example.com"]),
    ("dir_host", ["dir"], ["--host", "w2"]),
]


def command(tool: str, sources: list[str], args: list[str]) -> list[str]:
    cmd = [tool]
    for source in sources:
        cmd += ["-i", source if "," in source else os.path.join(FIXTURES, source)]
    return cmd + args


def run(tool: str, sources: list[str], args: list[str], cwd: str) -> Any:
    """Run ``tool`` on a case from the empty directory ``cwd``; return its JSON."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ANSIBLE_", "CORRAL_"))}
    env["ANSIBLE_INVENTORY_UNPARSED_WARNING"] = "false"
    proc = subprocess.run(command(tool, sources, args), cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=120, check=False)
    if proc.returncode != 0:
        raise AssertionError(f"{tool} failed ({proc.returncode}): {proc.stderr}")
    return normalize(json.loads(proc.stdout))


def normalize(data: Any) -> Any:
    """Drop what only one tool prints (ansible-core's ``_meta.profile``)."""
    if isinstance(data, dict) and isinstance(data.get("_meta"), dict):
        data["_meta"].pop("profile", None)
    return data
