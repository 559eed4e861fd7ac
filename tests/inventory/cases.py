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

import yaml

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
    ("ini_quirks", ["ini/quirks.ini"], ["--list"]),
    ("ini_quirks_export", ["ini/quirks.ini"], ["--list", "--export"]),
    ("yaml_list", ["yaml/inventory.yml"], ["--list"]),
    ("yaml_quirks", ["yaml/quirks.yml"], ["--list"]),
    ("yaml_quirks_export", ["yaml/quirks.yml"], ["--list", "--export"]),
    ("json_list", ["json/inventory.json"], ["--list"]),
    ("dir_list", ["dir"], ["--list"]),
    ("dir_export", ["dir"], ["--list", "--export"]),
    ("script_meta", ["script_meta/inventory.py"], ["--list"]),
    ("script_nometa", ["script_nometa/inventory.py"], ["--list"]),
    ("constructed", ["constructed"], ["--list"]),
    ("constructed_vars_files", ["constructed_vars"], ["--list"]),
    ("multi", ["multi/a.ini", "multi/b.yml"], ["--list"]),
    ("host_list", ["alpha,beta:2222,localhost"], ["--list"]),
    ("ini_host", ["ini/hosts.ini"], ["--host", "web02.example.com"]),
    ("dir_host", ["dir"], ["--host", "w2"]),
    ("edge_ini", ["edge/edge.ini"], ["--list"]),
    ("edge_merged", ["edge/edge.ini", "edge/edge.yml"], ["--list", "--export"]),
    ("edge_merged_host", ["edge/edge.ini", "edge/edge.yml"], ["--host", "shared"]),
    ("edge_yaml", ["edge/edge.yml"], ["--list"]),
    ("edge_script", ["edge/script.sh"], ["--list"]),
    ("ini_graph", ["ini/hosts.ini"], ["--graph", "--vars"]),
    ("dir_graph", ["dir"], ["--graph", "--vars"]),
    ("constructed_graph", ["constructed"], ["--graph"]),
    ("edge_graph", ["edge/edge.ini", "edge/edge.yml"], ["--graph", "deep", "--vars"]),
    ("yaml_as_yaml", ["yaml/inventory.yml"], ["--list", "--yaml"]),
    ("toml_list", ["toml/inventory.toml"], ["--list"]),
    ("toml_export", ["toml/inventory.toml"], ["--list", "--export"]),
    ("script_export_yaml", ["script_meta/inventory.py"], ["--list", "--yaml", "--export"]),
]


def suffix(args: list[str]) -> str:
    """How a case's output is stored: .txt for --graph, .yml for --yaml, else .json."""
    return ".txt" if "--graph" in args else ".yml" if "--yaml" in args else ".json"


def command(tool: str, sources: list[str], args: list[str]) -> list[str]:
    cmd = [tool]
    for source in sources:
        cmd += ["-i", source if "," in source else os.path.join(FIXTURES, source)]
    return cmd + args


def clean_env() -> dict[str, str]:
    """The environment without ANSIBLE_*/CORRAL_* settings."""
    return {k: v for k, v in os.environ.items() if not k.startswith(("ANSIBLE_", "CORRAL_"))}


def run(tool: str, sources: list[str], args: list[str], cwd: str) -> Any:
    """Run ``tool`` on a case from the empty directory ``cwd``; return its JSON."""
    proc = subprocess.run(command(tool, sources, args), cwd=cwd, env=clean_env(), capture_output=True,
                          text=True, timeout=120, check=False)
    if proc.returncode != 0:
        raise AssertionError(f"{tool} failed ({proc.returncode}): {proc.stderr}")
    return parse(proc.stdout, args)


def parse(text: str, args: list[str]) -> Any:
    """A tool's output in comparable form: graph text as lines, YAML and JSON as data."""
    kind = suffix(args)
    if kind == ".txt":
        return text.rstrip("\n").splitlines()
    if kind == ".yml":
        return yaml.safe_load(text)
    return normalize(json.loads(text))


def normalize(data: Any) -> Any:
    """Drop what only one tool prints (ansible-core's ``_meta.profile``)."""
    if isinstance(data, dict) and isinstance(data.get("_meta"), dict):
        data["_meta"].pop("profile", None)
    return data
