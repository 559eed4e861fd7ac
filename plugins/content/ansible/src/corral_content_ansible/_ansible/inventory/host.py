"""``ansible.inventory.host``: corral's ``Host``, which has the API of Ansible's."""
from __future__ import annotations

from corral.inventory.host import Host

__all__ = ["Host"]
