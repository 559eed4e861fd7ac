"""``group_vars/`` and ``host_vars/`` files beside inventories and playbooks.

For an entity (group or host) ``NAME`` and a base directory ``BASE``, the files
are ``BASE/group_vars/NAME`` (or ``host_vars``) with no extension or ``.yml``,
``.yaml``, ``.json``, or every such file inside a folder of that name (sorted,
sub-folders read where they sort; hidden files and ``~`` backups skipped).  Files are merged in that order,
later keys winning.
"""
from __future__ import annotations

import os
import threading
from typing import TYPE_CHECKING, Any

from corral.errors import CorralParserError

if TYPE_CHECKING:
    from corral.parsing.dataloader import DataLoader

__all__ = ["VarsFiles"]

_EXTENSIONS = ("", ".yml", ".yaml", ".json")


def _folder_files(folder: str) -> list[str]:
    """Vars files in ``folder``: entries in sorted order, sub-folders read where
    they sort; hidden entries, backups (``~``) and other extensions skipped."""
    found: list[str] = []
    for entry in sorted(os.listdir(folder)):
        if entry.startswith(".") or entry.endswith("~"):
            continue
        path = os.path.join(folder, entry)
        if os.path.isdir(path):
            found.extend(_folder_files(path))
        elif os.path.isfile(path) and os.path.splitext(entry)[1] in _EXTENSIONS:
            found.append(path)
    return found


class VarsFiles:
    """Reads and caches group_vars/host_vars for one inventory manager."""

    def __init__(self, loader: DataLoader) -> None:
        self._loader = loader
        self._listings: dict[str, frozenset[str]] = {}
        self._data: dict[tuple[str, str, str], dict[str, Any]] = {}
        self._lock = threading.Lock()

    def clear(self) -> None:
        with self._lock:
            self._listings.clear()
            self._data.clear()

    def _listing(self, folder: str) -> frozenset[str]:
        listing = self._listings.get(folder)
        if listing is None:
            try:
                listing = frozenset(os.listdir(folder))
            except OSError:
                listing = frozenset()
            self._listings[folder] = listing
        return listing

    def _files(self, folder: str, name: str) -> list[str]:
        entries = self._listing(folder)
        if not entries:
            return []
        if name in entries and os.path.isdir(os.path.join(folder, name)):
            return _folder_files(os.path.join(folder, name))
        return [os.path.join(folder, name + ext) for ext in _EXTENSIONS if name + ext in entries]

    def has_folder(self, basedir: str, kind: str) -> bool:
        """Whether ``basedir`` has a ``kind`` (group_vars/host_vars) entry at all."""
        with self._lock:
            return kind in self._listing(basedir)

    def get(self, basedir: str, kind: str, name: str) -> dict[str, Any]:
        """Variables of ``name`` from ``basedir/<kind>`` (kind: group_vars or
        host_vars); an empty dict when there are none.  The result is shared:
        callers must copy before changing it."""
        key = (basedir, kind, name)
        with self._lock:
            cached = self._data.get(key)
            if cached is not None:
                return cached
            if os.sep in name or name in (".", ".."):
                data: dict[str, Any] = {}
            else:
                data = {}
                for path in self._files(os.path.join(basedir, kind), name):
                    loaded = self._loader.load_from_file(path, cache=True, unsafe=True)
                    if loaded is None:
                        continue
                    if not isinstance(loaded, dict):
                        raise CorralParserError(
                            f"{path} must be stored as a dictionary/hash, got {type(loaded).__name__}")
                    data.update(loaded)
            self._data[key] = data
            return data
