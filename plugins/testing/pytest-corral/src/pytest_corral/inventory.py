"""Build an inventory in a test: hosts, groups and variables, as a file or in memory.

::

    inventory = InventoryBuilder()
    inventory.host("web1", http_port=8080).host("db1")
    inventory.group("web", hosts=["web1"], vars={"tier": "front"})
    inventory.vars(ansible_connection="local")        # variables of group ``all``
    path = inventory.write(tmp_path / "hosts.yml")    # a YAML inventory (corral-inventory-yaml reads it)
    manager = inventory.manager()                     # an InventoryManager, no inventory plugin needed

A host added without ``ansible_connection`` runs on the controller: it gets
``ansible_connection=local`` and ``ansible_python_interpreter`` set to this
Python, so a test needs no SSH target unless it asks for one.
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Iterable

import yaml

__all__ = ["InventoryBuilder"]


class InventoryBuilder:
    """Hosts, groups and variables to hand to a run (see the module docstring)."""

    def __init__(self) -> None:
        self._hosts: dict[str, dict[str, Any]] = {}
        self._groups: dict[str, dict[str, Any]] = {}
        self._all_vars: dict[str, Any] = {}

    def __bool__(self) -> bool:
        return bool(self._hosts)

    @property
    def hosts(self) -> list[str]:
        """The host names, in the order they were added."""
        return list(self._hosts)

    def host(self, name: str, **variables: Any) -> "InventoryBuilder":
        """Add (or update) host ``name`` with ``variables``; local unless told otherwise."""
        entry = self._hosts.setdefault(name, {"ansible_connection": "local",
                                              "ansible_python_interpreter": sys.executable})
        entry.update(variables)
        return self

    def group(self, name: str, hosts: Iterable[str] = (), vars: dict[str, Any] | None = None,
              children: Iterable[str] = ()) -> "InventoryBuilder":
        """Add (or extend) group ``name``; its hosts are added when they are new."""
        entry = self._groups.setdefault(name, {"hosts": [], "vars": {}, "children": []})
        for host in hosts:
            if host not in self._hosts:
                self.host(host)
            if host not in entry["hosts"]:
                entry["hosts"].append(host)
        entry["vars"].update(vars or {})
        entry["children"].extend(child for child in children if child not in entry["children"])
        return self

    def vars(self, **variables: Any) -> "InventoryBuilder":
        """Set variables of the group ``all``."""
        self._all_vars.update(variables)
        return self

    def data(self) -> dict[str, Any]:
        """The inventory in Ansible's YAML inventory structure (``all: hosts/vars/children``)."""
        children: dict[str, Any] = {}
        for name, group in self._groups.items():
            body: dict[str, Any] = {}
            if group["hosts"]:
                body["hosts"] = {host: None for host in group["hosts"]}
            if group["vars"]:
                body["vars"] = dict(group["vars"])
            if group["children"]:
                body["children"] = {child: None for child in group["children"]}
            children[name] = body
        root: dict[str, Any] = {"hosts": {name: dict(hv) for name, hv in self._hosts.items()}}
        if self._all_vars:
            root["vars"] = dict(self._all_vars)
        if children:
            root["children"] = children
        return {"all": root}

    def write(self, path: Path | str) -> Path:
        """Write the inventory as YAML at ``path`` and return the path."""
        path = Path(path)
        path.write_text(yaml.safe_dump(self.data(), sort_keys=False))
        return path

    def manager(self, loader: Any = None) -> Any:
        """An :class:`corral.inventory.manager.InventoryManager` holding these hosts and
        groups, built in memory: no inventory plugin and no file is involved."""
        from corral.inventory.manager import InventoryManager
        from corral.parsing.dataloader import DataLoader
        manager = InventoryManager(loader or DataLoader(), sources=[], parse=False)
        for name, group in self._groups.items():
            manager.add_group(name)
        for name, group in self._groups.items():
            for child in group["children"]:
                manager.add_group(child)
                manager.add_child(name, child)
        for name, variables in self._hosts.items():
            manager.add_host(name)
            for key, value in variables.items():
                manager.set_variable(name, key, value)
        for name, group in self._groups.items():
            for host in group["hosts"]:
                manager.add_host(host, group=name)
            for key, value in group["vars"].items():
                manager.set_variable(name, key, value)
        for key, value in self._all_vars.items():
            manager.set_variable("all", key, value)
        manager.reconcile_inventory()
        return manager
