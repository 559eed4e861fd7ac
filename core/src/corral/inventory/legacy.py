"""``Inventory``: the seed's old API, ``Inventory(loader=, variable_manager=, host_list=)``."""
from __future__ import annotations

import os
import sys
from typing import Any, Callable, Sequence

from corral.inventory.data import LOCALHOST_NAMES
from corral.inventory.group import Group
from corral.inventory.manager import InventoryManager

__all__ = ["Inventory"]


class Inventory(InventoryManager):
    """An :class:`InventoryManager` built the old way.

    ``host_list`` is a path, a ``"a,b,"`` host list string, or a list of host
    names (turned into a host list).  A bare ``"localhost"`` (not a file) means
    no source: the implicit localhost answers.  As the old API did, localhost
    names given in a host list run with the local connection unless the
    inventory says otherwise.  When ``variable_manager`` has ``set_inventory``,
    it is called with this inventory.  ``list_hosts`` returns host names.
    """

    def __init__(self, loader: Any = None, variable_manager: Any = None,
                 host_list: str | Sequence[str] | None = None, plugins: Any = None,
                 warn: Callable[[str], None] | None = None) -> None:
        if loader is None:
            from corral.parsing.dataloader import DataLoader
            loader = DataLoader()
        if host_list is None:
            sources: list[str] = []
        elif isinstance(host_list, str):
            bare_local = host_list.strip() in LOCALHOST_NAMES and not os.path.exists(host_list)
            sources = [] if bare_local else [host_list]
        else:
            names = [str(name) for name in host_list]
            sources = [",".join(names) + ","] if names else []
        super().__init__(loader, sources=sources, plugins=plugins, warn=warn)
        if any("," in source and not os.path.exists(source) for source in sources):
            self._local_connection_for_localhost()
        self._variable_manager = variable_manager
        if variable_manager is not None and hasattr(variable_manager, "set_inventory"):
            variable_manager.set_inventory(self)

    def _local_connection_for_localhost(self) -> None:
        for name in LOCALHOST_NAMES & self.hosts.keys():
            host = self.hosts[name]
            host.vars.setdefault("ansible_connection", "local")
            host.vars.setdefault("ansible_python_interpreter", sys.executable)

    def get_group(self, name: str) -> Group | None:
        """The group ``name``, or None (old API name)."""
        return self.groups.get(name)

    def list_hosts(self, pattern: str | Sequence[str] = "all") -> list[str]:  # type: ignore[override]
        """Names of the hosts matching ``pattern``."""
        return [host.name for host in self.get_hosts(pattern)]

    def get_variables(self, hostname: str) -> dict[str, Any]:
        """The inventory variables of ``hostname`` (old API name)."""
        return self.get_inventory_vars(hostname)
