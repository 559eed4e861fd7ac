"""``ansible.inventory.data``: ``InventoryData`` with Ansible's argument names, over
corral's :class:`corral.inventory.data.InventoryData` (what inventory plugins
written for Ansible receive as ``inventory``).

Its errors are Ansible's (``AnsibleError``); anything else (``hosts``, ``groups``,
``localhost``, ``current_source``, ``processed_sources``...) is the wrapped
inventory's.
"""
from __future__ import annotations

from typing import Any

from corral.errors import CorralError
from corral.inventory.data import InventoryData as _KernelInventoryData

from ansible.errors import AnsibleError

__all__ = ["InventoryData"]


class InventoryData:
    """Ansible's inventory data API; ``InventoryData()`` makes an empty inventory."""

    def __init__(self, inventory: _KernelInventoryData | None = None) -> None:
        self._inventory = inventory if inventory is not None else _KernelInventoryData()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inventory, name)

    def _call(self, method: Any, *args: Any) -> Any:
        try:
            return method(*args)
        except CorralError as exc:
            raise AnsibleError(exc.message) from exc

    def add_host(self, host: str, group: str | None = None, port: int | str | None = None) -> str:
        return str(self._call(self._inventory.add_host, host, group, port))

    def add_group(self, group: str) -> str:
        return str(self._call(self._inventory.add_group, group))

    def add_child(self, group: str, child: str) -> bool:
        return bool(self._call(self._inventory.add_child, group, child))

    def set_variable(self, entity: str, varname: str, value: Any) -> None:
        self._call(self._inventory.set_variable, entity, varname, value)

    def get_host(self, hostname: str) -> Any:
        return self._inventory.get_host(hostname)

    def remove_host(self, host: Any) -> None:
        self._inventory.remove_host(host)

    def remove_group(self, group: Any) -> None:
        self._inventory.remove_group(group)
