"""``ansible.module_utils.common.respawn``: running the module again under another Python.

Modules that need a library only the system Python has (``selinux``, ``dnf``,
``firewall``) look for an interpreter that has it
(:func:`probe_interpreters_for_module`) and re-run themselves there
(:func:`respawn_module`).  corral re-runs the module's payload: the sources it
carries are written into a private directory that the new interpreter imports
from, with the same arguments.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
# typing is only for annotations (never evaluated): importing it costs the target time
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import NoReturn

from corral.module_utils import basic as _basic

__all__ = ["has_respawned", "respawn_module", "probe_interpreters_for_module"]

_MARK = "_ANSIBLE_RESPAWNED"

#: run by the new interpreter: the payload's sources as files, the module as __main__
_CHILD = r"""
import json, os, sys
root = sys.argv[1]
sys.path.insert(0, root)
import corral.module_utils.basic as basic
with open(os.path.join(root, "args.json"), "rb") as handle:
    basic._ANSIBLE_ARGS = handle.read()
with open(os.path.join(root, "module.py"), encoding="utf-8") as handle:
    source = handle.read()
sys.argv = [sys.argv[2]]
exec(compile(source, sys.argv[0], "exec"), {"__name__": "__main__", "__file__": sys.argv[0]})
"""

def has_respawned() -> bool:
    """Whether this module run is the respawned one."""
    return os.environ.get(_MARK) == "1"

def probe_interpreters_for_module(interpreter_paths: list[str], module_name: str) -> str | None:
    """The first of ``interpreter_paths`` that can import ``module_name``, or ``None``."""
    for path in interpreter_paths:
        if not os.path.exists(path):
            continue
        try:
            done = subprocess.run([path, "-c", f"import {module_name}"], stdin=subprocess.DEVNULL,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=30)
        except (OSError, subprocess.TimeoutExpired):
            continue
        if done.returncode == 0:
            return path
    return None

def _write_sources(root: str, sources: dict) -> None:
    """Write the payload's modules (``{name: [is_package, source]}``) as files under ``root``."""
    for name, (is_package, text) in sources.items():
        parts = name.split(".")
        path = os.path.join(root, *parts, "__init__.py") if is_package else os.path.join(root, *parts) + ".py"
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text)
    alias = os.path.join(root, "ansible", "module_utils")
    if not os.path.isdir(alias):
        os.makedirs(os.path.join(root, "ansible"), exist_ok=True)
        shutil.copytree(os.path.join(root, "corral", "module_utils"), alias)

def respawn_module(interpreter_path: str) -> NoReturn:
    """Run this module again under ``interpreter_path`` with the same arguments,
    pass on its output and exit with its status."""
    if has_respawned():
        raise Exception("module has already been respawned")
    if _basic._PAYLOAD is None or _basic._ANSIBLE_ARGS is None:
        raise Exception("respawn_module needs the module payload's sources")
    sources, source, module_file = _basic._PAYLOAD
    root = tempfile.mkdtemp(prefix="corral-respawn-")
    try:
        _write_sources(root, sources)
        with open(os.path.join(root, "module.py"), "w", encoding="utf-8") as handle:
            handle.write(source)
        with open(os.path.join(root, "args.json"), "wb") as handle:
            handle.write(_basic._ANSIBLE_ARGS)
        env = dict(os.environ, **{_MARK: "1"})
        done = subprocess.run([interpreter_path, "-c", _CHILD, root, module_file],
                              stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    sys.stdout.buffer.write(done.stdout)
    sys.stderr.buffer.write(done.stderr)
    sys.stdout.flush()
    sys.exit(done.returncode)

