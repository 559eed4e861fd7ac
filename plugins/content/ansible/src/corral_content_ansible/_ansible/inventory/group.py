"""``ansible.inventory.group``: corral's ``Group``, which has the API of Ansible's."""
from __future__ import annotations

from corral.inventory.group import Group

__all__ = ["Group"]
