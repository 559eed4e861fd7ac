"""The ``host_group_vars`` vars plugin: ``group_vars/`` and ``host_vars/`` files.

For a group or host ``NAME`` and a directory ``PATH`` (beside an inventory source or
the playbook), the files are ``PATH/group_vars/NAME`` (``host_vars`` for a host)
with no extension or one of ``_valid_extensions`` (``.yml``, ``.yaml``, ``.json``),
or every such file inside a folder of that name (sorted, sub-folders read where
they sort; hidden files and ``~`` backups skipped).  Files are merged in that
order, later keys winning.  Enabled by ``vars_plugins_enabled`` (the default).
"""
from __future__ import annotations

import os
import threading
from collections.abc import Mapping, Sequence
from typing import Any

from corral.errors import CorralParserError
from corral.inventory.host import Host
from corral.plugins import hookimpl
from corral.plugins.options import Option
from corral.plugins.vars import STAGES, VarsBase

__all__ = ["HostGroupVars"]


class HostGroupVars(VarsBase):
    """Reads and caches the group_vars/host_vars files of one inventory."""

    OPTIONS = {
        "stage": Option("stage", None, "str", choices=STAGES, env=("ANSIBLE_VARS_PLUGIN_STAGE",),
                        ini=(("vars_host_group_vars", "stage"),),
                        description="When the plugin runs: all, task or inventory (default: run_vars_plugins)."),
        "_valid_extensions": Option("_valid_extensions", [".yml", ".yaml", ".json"], "list",
                                    env=("ANSIBLE_YAML_FILENAME_EXT",), ini=(("defaults", "yaml_valid_extensions"),),
                                    description="File extensions read as vars files (besides none)."),
    }

    def __init__(self, options: Mapping[str, Any] | None = None) -> None:
        super().__init__(options)
        self._extensions = ("", *(self.get_option("_valid_extensions") or ()))
        self._listings: dict[str, frozenset[str]] = {}
        self._data: dict[tuple[str, str, str], dict[str, Any]] = {}
        self._lock = threading.Lock()

    def get_vars(self, loader: Any, path: str, entities: Sequence[Any]) -> dict[str, Any]:
        """The merged group_vars/host_vars of ``entities`` under ``path``."""
        data: dict[str, Any] = {}
        listing = self._listing(path)
        if "host_vars" not in listing and "group_vars" not in listing:
            return data     # neither folder: nothing to look up for any entity
        for entity in entities:
            data.update(self._entity_vars(loader, path, "host_vars" if isinstance(entity, Host) else "group_vars",
                                          entity.name))
        return data

    def _listing(self, folder: str) -> frozenset[str]:
        listing = self._listings.get(folder)
        if listing is None:
            try:
                listing = frozenset(os.listdir(folder))
            except OSError:
                listing = frozenset()
            self._listings[folder] = listing
        return listing

    def _folder_files(self, folder: str) -> list[str]:
        """Vars files in ``folder``: entries in sorted order, sub-folders read where
        they sort; hidden entries, backups (``~``) and other extensions skipped."""
        found: list[str] = []
        for entry in sorted(os.listdir(folder)):
            if entry.startswith(".") or entry.endswith("~"):
                continue
            path = os.path.join(folder, entry)
            if os.path.isdir(path):
                found.extend(self._folder_files(path))
            elif os.path.isfile(path) and os.path.splitext(entry)[1] in self._extensions:
                found.append(path)
        return found

    def _files(self, folder: str, name: str) -> list[str]:
        entries = self._listing(folder)
        if not entries:
            return []
        if name in entries and os.path.isdir(os.path.join(folder, name)):
            return self._folder_files(os.path.join(folder, name))
        return [os.path.join(folder, name + ext) for ext in self._extensions if name + ext in entries]

    def _entity_vars(self, loader: Any, basedir: str, kind: str, name: str) -> dict[str, Any]:
        """Variables of ``name`` from ``basedir/<kind>``; an empty dict when there are
        none.  The result is shared: callers copy before changing it."""
        key = (basedir, kind, name)
        with self._lock:
            cached = self._data.get(key)
            if cached is not None:
                return cached
            if kind not in self._listing(basedir) or os.sep in name or name in (".", ".."):
                data: dict[str, Any] = {}
            else:
                data = {}
                for path in self._files(os.path.join(basedir, kind), name):
                    loaded = loader.load_from_file(path, cache=True, unsafe=True)
                    if loaded is None:
                        continue
                    if not isinstance(loaded, dict):
                        raise CorralParserError(
                            f"{path} must be stored as a dictionary/hash, got {type(loaded).__name__}")
                    data.update(loaded)
            self._data[key] = data
            return data


@hookimpl
def corral_vars(name: str) -> type[HostGroupVars] | None:
    return HostGroupVars if name == "host_group_vars" else None
