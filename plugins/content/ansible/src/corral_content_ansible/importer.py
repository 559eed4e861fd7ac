"""Importing what Ansible content imports, on the controller, never ansible-core.

:func:`install` puts one finder first on ``sys.meta_path`` (once per process):

- ``ansible`` and ``ansible.*`` come from this distribution's ``_ansible`` tree,
  corral's own implementation of Ansible's API; a name the tree does not have is a
  ``ModuleNotFoundError`` even when ansible-core is installed, so nothing of it is
  ever imported by mistake.  (An application that imports ansible-core itself in
  the same process must do so before corral loads Ansible content.)
- ``ansible_collections.<ns>.<name>.*`` come from the first collection root (see
  :mod:`corral_content_ansible.paths`) that has that collection; namespaces and
  folders without ``__init__.py`` are empty packages, as Ansible's loader makes them.

Collection roots are added per run (:func:`add_roots`) and kept for the process:
modules once imported stay imported, as with any Python import.

:func:`load_file` imports a plugin file from a folder beside a playbook or role
(``filter_plugins/mine.py``) under a name of its own.
"""
from __future__ import annotations

import importlib.abc
import importlib.util
import os
import sys
import threading
import types
from collections.abc import Iterable, Sequence
from importlib.machinery import ModuleSpec
from typing import Any

__all__ = ["SHIM_DIR", "install", "add_roots", "roots", "load_file", "collection_dir"]

#: the directory of corral's ``ansible`` package (loaded as ``ansible``)
SHIM_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "_ansible")

_COLLECTIONS = "ansible_collections"
_lock = threading.Lock()
_roots: list[str] = []
_installed: list["_Finder"] = []


class _EmptyLoader(importlib.abc.Loader):
    """Makes an empty package (a namespace, or a folder without ``__init__.py``)."""

    def create_module(self, spec: ModuleSpec) -> None:
        return None

    def exec_module(self, module: types.ModuleType) -> None:
        return None


def _file_spec(name: str, base: str) -> ModuleSpec | None:
    """The spec of module ``name`` at ``base`` (``base.py``, ``base/__init__.py``, or
    an empty package for a bare directory), or ``None``."""
    if os.path.isfile(base + ".py"):
        return importlib.util.spec_from_file_location(name, base + ".py")
    init = os.path.join(base, "__init__.py")
    if os.path.isfile(init):
        return importlib.util.spec_from_file_location(name, init, submodule_search_locations=[base])
    if os.path.isdir(base):
        # a file name inside the folder, as Ansible's loader gives such packages (plugins
        # find their collection's files with os.path.dirname(package.__file__))
        spec = ModuleSpec(name, _EmptyLoader(), origin=os.path.join(base, "__synthetic__"), is_package=True)
        spec.has_location = True
        spec.submodule_search_locations = [base]
        return spec
    return None


def collection_dir(namespace: str, name: str) -> str | None:
    """The directory of collection ``namespace.name`` in the first root that has it."""
    with _lock:
        current = list(_roots)
    for root in current:
        path = os.path.join(root, _COLLECTIONS, namespace, name)
        if os.path.isdir(path):
            return path
    return None


class _Finder:
    """The ``sys.meta_path`` finder for ``ansible.*`` and ``ansible_collections.*``."""

    def find_spec(self, fullname: str, path: Sequence[str] | None = None, target: Any = None) -> ModuleSpec | None:
        parts = fullname.split(".")
        if parts[0] == "ansible":
            spec = _file_spec(fullname, os.path.join(SHIM_DIR, *parts[1:]))
            if spec is None:
                raise ModuleNotFoundError(f"No module named '{fullname}' (corral provides ansible's API as "
                                          f"its own code; this part of it is not provided)", name=fullname)
            return spec
        if parts[0] != _COLLECTIONS:
            return None
        if len(parts) < 4:
            with _lock:
                current = list(_roots)
            dirs = [os.path.join(root, *parts) for root in current]
            dirs = [d for d in dirs if os.path.isdir(d)]
            if len(parts) == 3 and dirs:
                return _file_spec(fullname, dirs[0])
            if not dirs and len(parts) > 1:
                return None
            spec = ModuleSpec(fullname, _EmptyLoader(), is_package=True)
            spec.submodule_search_locations = dirs
            return spec
        found = collection_dir(parts[1], parts[2])
        return _file_spec(fullname, os.path.join(found, *parts[3:])) if found is not None else None


def install() -> None:
    """Put the finder first on ``sys.meta_path`` (once per process)."""
    with _lock:
        if not _installed:
            finder = _Finder()
            sys.meta_path.insert(0, finder)
            _installed.append(finder)
            stale = [name for name in sys.modules if name == "ansible" or name.startswith("ansible.")]
            for name in stale:      # an ansible-core imported before: not ours
                if not str(getattr(sys.modules[name], "__file__", "") or "").startswith(SHIM_DIR):
                    del sys.modules[name]


def add_roots(new: Iterable[str]) -> None:
    """Serve ``ansible_collections`` from these collection roots too (after the ones
    added before); installs the finder."""
    install()
    with _lock:
        for root in new:
            if root not in _roots:
                _roots.append(root)


def roots() -> list[str]:
    """The collection roots served so far, in search order."""
    with _lock:
        return list(_roots)


def load_file(path: str, package: str) -> types.ModuleType:
    """Import the plugin file ``path`` (from a folder beside a playbook or role) as a
    module of its own under ``package`` (``ansible.plugins.filter``: the name Ansible
    gives such files, so their relative imports resolve there); once per file."""
    import hashlib      # here: a run without plugin folders never needs it
    install()
    digest = hashlib.sha1(os.path.abspath(path).encode()).hexdigest()[:12]
    stem = os.path.splitext(os.path.basename(path))[0]
    name = f"{package}.__corral_{stem}_{digest}"
    with _lock:
        if name in sys.modules:
            return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        sys.modules.pop(name, None)
        raise
    return module
