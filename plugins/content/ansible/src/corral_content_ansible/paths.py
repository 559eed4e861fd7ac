"""Where one run's collections and plugin folders are, in Ansible's search order.

A *collection root* is a directory holding ``ansible_collections/<ns>/<name>/``.
Ansible searches, first found wins: the ``collections/`` folder beside each loaded
playbook, then ``collections_path`` (each entry may be the root itself or its
``ansible_collections`` folder), then, when ``collections_scan_sys_path`` is on, every
``sys.path`` entry that holds an ``ansible_collections`` folder (``pip install
ansible`` puts one in site-packages).
"""
from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from typing import Any

from corral.plugins import ContentContext

from corral_content_ansible.settings import PLUGIN_FOLDERS, content_settings

__all__ = ["collection_roots", "plugin_dirs", "roots_of"]

_PACKAGE = "ansible_collections"


def _as_root(path: str) -> str | None:
    """The collection root for a configured entry: ``path`` itself when it holds
    ``ansible_collections``, its parent when it *is* ``ansible_collections``."""
    path = os.path.abspath(os.path.expanduser(path))
    if os.path.basename(path) == _PACKAGE and os.path.isdir(path):
        return os.path.dirname(path)
    if os.path.isdir(os.path.join(path, _PACKAGE)):
        return path
    return None


def roots_of(playbook_dirs: Iterable[str], configured: Iterable[str], scan_sys_path: bool) -> list[str]:
    """Collection roots in search order, each once (see the module docstring)."""
    candidates = [os.path.join(d, "collections") for d in playbook_dirs] + list(configured)
    if scan_sys_path:
        candidates += [entry or os.getcwd() for entry in sys.path]
    found: list[str] = []
    for candidate in candidates:
        root = _as_root(candidate)
        if root is not None and root not in found:
            found.append(root)
    return found


def collection_roots(context: ContentContext) -> list[str]:
    """The collection roots of the run whose content is ``context``."""
    settings = content_settings(context.config)
    return roots_of(context.playbook_dirs, settings["collections_path"] or [],
                    bool(settings["collections_scan_sys_path"]))


def plugin_dirs(context: ContentContext, kind: str, settings: Any = None) -> list[str]:
    """The folders searched for ``kind`` plugins (a key of
    :data:`~corral_content_ansible.settings.PLUGIN_FOLDERS`) outside collections, in
    Ansible's order: the folder beside each loaded playbook, then beside each loaded
    role (in the order loaded), then the configured paths; only those that exist."""
    folder, key, _env = PLUGIN_FOLDERS[kind]
    settings = settings if settings is not None else content_settings(context.config)
    candidates = [*(os.path.join(d, folder) for d in context.playbook_dirs),
                  *(os.path.join(d, folder) for d in context.role_dirs), *(settings[key] or [])]
    return [d for d in dict.fromkeys(os.path.abspath(os.path.expanduser(c)) for c in candidates) if os.path.isdir(d)]
