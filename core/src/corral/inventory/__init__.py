"""Hosts, groups, inventory sources and host patterns.

``InventoryManager`` (modern API) and ``Inventory`` (the seed's old API) load
sources through the inventory plugins; ``InventoryData``, ``Host`` and ``Group``
are the data model that plugins fill.
"""
from corral.inventory.legacy import Inventory
from corral.inventory.manager import InventoryManager

__all__ = ["Inventory", "InventoryManager"]
