"""Plugin folders outside collections: beside playbooks and roles, and configured.

Ansible searches, first found wins, the folder (``library/``, ``filter_plugins/``,
...) beside each loaded playbook, then beside each loaded role in the order they were
loaded, then the configured paths (``library``/``ANSIBLE_LIBRARY``, ...); in each,
the folder itself, then its subfolders one and two levels down.
"""
from __future__ import annotations

import os
from collections.abc import Iterable

from corral.plugins import ContentContext

from corral_content_ansible.paths import plugin_dirs

__all__ = ["search_dirs", "find_file", "plugin_files"]

_SKIPPED = ("__pycache__",)


def _subdirs(directory: str, depth: int) -> list[str]:
    if depth == 0:
        return []
    found = []
    for entry in sorted(os.listdir(directory)):
        path = os.path.join(directory, entry)
        if os.path.isdir(path) and not entry.startswith(".") and entry not in _SKIPPED:
            found.append(path)
            found += _subdirs(path, depth - 1)
    return found


def search_dirs(context: ContentContext, kind: str) -> list[str]:
    """The folders searched for ``kind`` plugins outside collections, in order."""
    found: list[str] = []
    for directory in plugin_dirs(context, kind):
        for candidate in (directory, *_subdirs(directory, 2)):
            if candidate not in found:
                found.append(candidate)
    return found


def find_file(dirs: Iterable[str], name: str, suffixes: Iterable[str]) -> str | None:
    """The first ``<dir>/<name><suffix>`` that is a file, trying every suffix in a
    folder before the next folder, or ``None``."""
    suffixes = tuple(suffixes)
    for directory in dirs:
        for suffix in suffixes:
            path = os.path.join(directory, name + suffix)
            if os.path.isfile(path):
                return path
    return None


def plugin_files(dirs: Iterable[str]) -> list[str]:
    """Every Python plugin file of ``dirs`` (``*.py`` not starting with ``_``), in order."""
    return [os.path.join(directory, entry) for directory in dirs for entry in sorted(os.listdir(directory))
            if entry.endswith(".py") and not entry.startswith("_")
            and os.path.isfile(os.path.join(directory, entry))]
