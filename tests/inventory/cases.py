"""The differential inventory cases: (name, -i sources relative to fixtures/, extra args).

``record_expected.py`` runs ``ansible-inventory`` (from ``.oracle/``) on each case
and stores its output in ``expected/<name>.json``; ``test_differential.py``
compares ``corral-inventory`` with those recordings (and with the oracle live
when it is installed).
"""
from __future__ import annotations

import functools
import json
import os
import shutil
import subprocess
import tempfile
import tomllib
from typing import Any

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, "fixtures")
EXPECTED = os.path.join(HERE, "expected")
ROOT = os.path.dirname(os.path.dirname(HERE))
ORACLE = os.path.join(ROOT, ".oracle", "bin", "ansible-inventory")
CORRAL = os.path.join(ROOT, ".venv", "bin", "corral-inventory")
VAULT_PASSWORD = os.path.join(FIXTURES, "vault", "password")

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
    # vaulted values: encrypted in --list/--host (JSON and YAML), decrypted by --graph --vars
    ("vault_list_without_secret", ["vault/hosts.ini"], ["--list"]),
    ("vault_host_yaml", ["vault/hosts.ini"], ["--host", "h1", "--yaml"]),
    ("vault_list_with_secret", ["vault/hosts.ini"], ["--list", "--vault-password-file", VAULT_PASSWORD]),
    ("vault_graph_password_file", ["vault/hosts.ini"], ["--graph", "--vars", "--vault-pass-file", VAULT_PASSWORD]),
    ("vault_graph_vault_id", ["vault/hosts.ini"], ["--graph", "--vars", "--vault-id", f"dev@{VAULT_PASSWORD}"]),
    # -e: on every host's variables, not with --export
    ("extra_vars_list", ["ini/hosts.ini"], ["--list", "-e", "foo=bar", "--extra-vars", '{"n": [1, 2]}']),
    ("extra_vars_host", ["ini/hosts.ini"], ["--host", "web02.example.com", "-e", "foo=bar"]),
    ("extra_vars_export", ["ini/hosts.ini"], ["--list", "--export", "-e", "foo=bar"]),
    ("extra_vars_graph", ["vault/hosts.ini"], ["--graph", "--vars", "-e", "foo=bar", "--vault-id", VAULT_PASSWORD]),
    # --toml (ansible-inventory needs tomli-w for it: recorded with it on its path)
    ("toml_out_list", ["ini/hosts.ini"], ["--list", "--toml"]),
    ("toml_out_export", ["ini/hosts.ini"], ["--list", "--toml", "--export"]),
    ("toml_out_host", ["ini/hosts.ini"], ["--host", "web02.example.com", "--toml", "-e", "foo=bar"]),
    ("toml_out_ungrouped", ["edge/edge.ini"], ["--list", "--toml"]),
]


def suffix(args: list[str]) -> str:
    """How a case's output is stored: .txt for --graph, .yml for --yaml, .toml for --toml, else .json."""
    return ".txt" if "--graph" in args else ".yml" if "--yaml" in args else ".toml" if "--toml" in args else ".json"


def command(tool: str, sources: list[str], args: list[str]) -> list[str]:
    cmd = [tool]
    for source in sources:
        cmd += ["-i", source if "," in source else os.path.join(FIXTURES, source)]
    return cmd + args


def clean_env() -> dict[str, str]:
    """The environment without ANSIBLE_*/CORRAL_* settings; ``tomli-w`` (pure
    Python) on the path, for the oracle's ``--toml``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ANSIBLE_", "CORRAL_"))}
    env["PYTHONPATH"] = _tomli_w_only()
    return env


@functools.cache
def _tomli_w_only() -> str:
    """A directory holding only a copy of the ``tomli_w`` package (this venv's)."""
    import tomli_w
    where = tempfile.mkdtemp(prefix="tomli-w-")
    shutil.copytree(os.path.dirname(tomli_w.__file__), os.path.join(where, "tomli_w"))
    return where


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
        return yaml.load(text, Loader=_VaultTolerantLoader)
    if kind == ".toml":
        return tomllib.loads(text)
    return normalize(json.loads(text))


class _VaultTolerantLoader(yaml.SafeLoader):
    """Reads ``!vault |`` values as ``{"!vault": ciphertext}``."""


_VaultTolerantLoader.add_constructor("!vault", lambda loader, node: {"!vault": loader.construct_scalar(node)})


def normalize(data: Any) -> Any:
    """Drop what only one tool prints (ansible-core's ``_meta.profile``)."""
    if isinstance(data, dict) and isinstance(data.get("_meta"), dict):
        data["_meta"].pop("profile", None)
    return data
