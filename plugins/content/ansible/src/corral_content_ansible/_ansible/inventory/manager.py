"""``ansible.inventory.manager``: corral's ``InventoryManager``, which has the API of
Ansible's (and ``InventoryData``, which inventory plugins import from here too)."""
from __future__ import annotations

from corral.inventory.manager import InventoryManager

from ansible.inventory.data import InventoryData

__all__ = ["InventoryData", "InventoryManager"]
