"""``ansible.inventory.group``: corral's ``Group``, which has the API of Ansible's."""
from __future__ import annotations

from corral.inventory.group import Group

from ansible.plugins.inventory import to_safe_group_name

__all__ = ["Group", "to_safe_group_name"]
