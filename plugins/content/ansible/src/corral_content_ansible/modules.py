"""A :class:`~corral.plugins.module.ModuleSpec` for a module file written for Ansible.

How the module runs (its ``style``) is read from its text, as Ansible decides it:

- a Python module importing ``ansible.module_utils``, ``ansible_collections`` or
  ``corral.module_utils`` (or ``..module_utils`` relatively) is ``"python"``: it runs
  in the package Ansible gives it (``ansible.modules`` for a ``library/`` module,
  ``ansible_collections.ns.coll.plugins.modules`` for a collection's), so its relative
  imports resolve as there, and its payload carries what it imports, from
  the ``module_utils`` folders beside playbooks and roles and the configured ones
  (as ``ansible.module_utils.*``), then corral's own ``ansible`` package, then each
  collection root (``ansible_collections.*``), first found wins;
- a script that contains ``WANT_JSON`` is ``"want_json"`` (given a JSON arguments file);
- any other text file is ``"old"`` (given a ``key=value`` arguments file);
- a file that is not text is ``"binary"``.

PowerShell modules (``.ps1``) are for Windows targets and are never chosen here.
"""
from __future__ import annotations

import re
from collections.abc import Iterable

from corral.plugins.module import ModuleSpec

from corral_content_ansible import importer

__all__ = ["MODULE_SUFFIXES", "module_spec", "module_style"]

#: the file suffixes a module may have on POSIX targets, most likely first
MODULE_SUFFIXES = (".py", "", ".sh", ".pl", ".rb", ".bash")

_PYTHON_IMPORT = re.compile(rb"^\s*(?:(?:from|import)\s+(?:ansible\.module_utils|ansible_collections|corral\.module_utils)\b"
                            rb"|from\s+\.\.+\s*module_utils\b)", re.MULTILINE)


def module_style(path: str) -> str:
    """``"python"``, ``"want_json"``, ``"old"`` or ``"binary"`` for the module at ``path``."""
    with open(path, "rb") as handle:
        data = handle.read()
    if b"\0" in data[:8192]:
        return "binary"
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return "binary"
    if _PYTHON_IMPORT.search(data):
        return "python"
    if b"WANT_JSON" in data:
        return "want_json"
    return "old"


def module_spec(fqcn: str, path: str, utils_dirs: Iterable[str], collection_roots: Iterable[str],
                collection: str | None = None) -> ModuleSpec:
    """The spec of the module ``fqcn`` whose file is ``path`` (in ``collection``
    ``ns.coll``, or in a plugin folder); ``utils_dirs`` are the ``module_utils``
    folders beside playbooks and roles and the configured ones, ``collection_roots``
    the run's collection roots, in search order."""
    style = module_style(path)
    roots: tuple[tuple[str, str], ...] = ()
    package = ""
    if style == "python":
        roots = (*(("ansible.module_utils", d) for d in utils_dirs), ("ansible", importer.SHIM_DIR),
                 *(("", root) for root in collection_roots))
        package = f"ansible_collections.{collection}.plugins.modules" if collection else "ansible.modules"
    return ModuleSpec(fqcn, path, distribution="corral-content-ansible", python_roots=roots, style=style,
                      package=package)
