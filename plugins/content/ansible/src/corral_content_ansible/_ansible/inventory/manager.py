"""``ansible.inventory.manager``: corral's ``InventoryManager``, which has the API of Ansible's."""
from __future__ import annotations

from corral.inventory.manager import InventoryManager

__all__ = ["InventoryManager"]
