"""Inventory plugin ``host_list``: a comma-separated list of hosts (``"a,b:2222,"``).

A source is a host list when it contains a comma and is not an existing path;
each entry is a host name or address with an optional port, added to
``ungrouped``.  Ranges are not expanded (as in Ansible's ``host_list``).
"""
from __future__ import annotations

import os
from typing import Any

from corral.errors import CorralError
from corral.inventory.addresses import parse_address
from corral.inventory.data import InventoryChanges
from corral.plugins import hookimpl
from corral.plugins.inventory import InventoryPlugin

__all__ = ["HostListInventory"]


class HostListInventory(InventoryPlugin):
    NAME = "host_list"

    def verify_source(self, source: str) -> bool:
        return "," in source and not os.path.exists(source)

    def parse(self, inventory: Any, loader: Any, source: str, **options: Any) -> None:
        changes = InventoryChanges(inventory)
        for entry in source.split(","):
            entry = entry.strip()
            if not entry:
                continue
            try:
                name, port = parse_address(entry, allow_ranges=False)
            except CorralError:
                name, port = entry, None
            if not changes.has_host(name):
                changes.add_host(name, group="ungrouped", port=port)
        changes.apply()


@hookimpl
def corral_inventory_plugins() -> list[InventoryPlugin]:
    return [HostListInventory()]
