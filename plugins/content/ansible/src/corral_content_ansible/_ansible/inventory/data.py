"""``ansible.inventory.data``: corral's ``InventoryData``, which has the API of Ansible's."""
from __future__ import annotations

from corral.inventory.data import InventoryData

__all__ = ["InventoryData"]
