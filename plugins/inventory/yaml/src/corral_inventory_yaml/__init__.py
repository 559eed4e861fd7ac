"""Inventory plugin ``yaml``: YAML (and JSON) inventories in Ansible's layout::

    all:
      hosts:
        web[01:03]:
          http_port: 80
      vars: {ntp: time.example.com}
      children:
        db:
          hosts:
            db1:2222:

Each top-level key is a group; a group is a mapping with ``hosts`` (host
patterns, each with a mapping of variables or nothing), ``vars`` and
``children`` (groups, recursively).  Files ending in ``.yml``, ``.yaml``,
``.json`` or with no extension are tried.  A file with a top-level ``plugin:``
key is a plugin configuration, not an inventory, and is refused.
"""
from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from corral.errors import CorralError, CorralParserError
from corral.inventory.data import InventoryChanges
from corral.plugins import hookimpl
from corral.plugins.inventory import InventoryPlugin

__all__ = ["YamlInventory"]

_EXTENSIONS = ("", ".yml", ".yaml", ".json")


class _Builder:
    def __init__(self, inventory: Any, source: str) -> None:
        self.changes = InventoryChanges(inventory)
        self.warnings = inventory.warnings
        self.source = source

    def group(self, name: Any, data: Any) -> str | None:
        if not isinstance(data, (Mapping, type(None))):
            self.warnings.append(f"Skipping '{name}' as this is not a valid group definition in {self.source}")
            return None
        if not isinstance(name, str):
            raise CorralParserError(f"Unable to add group {name}: Invalid group name supplied, expected a "
                                    f"string but got {type(name).__name__} (quote it in {self.source})", obj=data)
        try:
            self.changes.add_group(name)
        except CorralError as exc:
            raise CorralParserError(f"Unable to add group {name}: {exc.message}", obj=data) from None
        if data is None:
            return name
        sections = {}
        for key, value in data.items():
            if key in ("vars", "children", "hosts") and isinstance(value, str):
                value = {value: None}
            if key in ("vars", "children", "hosts") and not isinstance(value, (Mapping, type(None))):
                raise CorralParserError(f'Invalid "{key}" entry for "{name}" group, requires a dictionary, '
                                        f'found "{type(value).__name__}" instead.', obj=data)
            sections[key] = value
        for key, value in sections.items():
            if value is None:
                continue
            if not isinstance(value, Mapping):
                self.warnings.append(f"Skipping key ({key}) in group ({name}) as it is not a mapping, "
                                     f"it is a {type(value).__name__}")
            elif key == "vars":
                for var, var_value in value.items():
                    self.changes.set_variable(name, var, var_value)
            elif key == "children":
                for child, child_data in value.items():
                    child_name = self.group(child, child_data)
                    if child_name is not None:
                        self.changes.add_child(name, child_name)
            elif key == "hosts":
                for pattern, host_vars in value.items():
                    if not isinstance(pattern, str):
                        # YAML made it a number (or a bool...): Ansible refuses it rather than guess its text
                        raise CorralParserError(f"Host pattern {pattern} must be a string. Enclose integers/floats "
                                                f"in quotation marks.", obj=value)
                    self.hosts(pattern, host_vars, name)
            else:
                self.warnings.append(f"Skipping unexpected key ({key}) in group ({name}), only "
                                     f'"vars", "children" and "hosts" are valid')
        return name

    def hosts(self, pattern: str, host_vars: Any, group: str) -> None:
        if host_vars is not None and not isinstance(host_vars, Mapping):
            raise CorralParserError(f"Invalid variables for host '{pattern}' in group '{group}': "
                                    f"expected a mapping, got {type(host_vars).__name__}", obj=host_vars)
        self.changes.add_hosts(pattern, group, host_vars, self.source)


class YamlInventory(InventoryPlugin):
    NAME = "yaml"

    def verify_source(self, source: str) -> bool:
        return os.path.isfile(source) and os.path.splitext(source)[1] in _EXTENSIONS

    def parse(self, inventory: Any, loader: Any, source: str, **options: Any) -> None:
        data = loader.load_from_file(source, cache=False)
        if not data:
            raise CorralParserError(f"Parsed empty YAML file: {source}")
        if not isinstance(data, Mapping):
            raise CorralParserError(f"YAML inventory {source} has invalid structure, it should be a "
                                    f"dictionary, got: {type(data).__name__}")
        if data.get("plugin"):
            raise CorralParserError(f"{source} is a plugin configuration YAML file, not a YAML inventory")
        builder = _Builder(inventory, source)
        for name, group_data in data.items():
            builder.group(name, group_data)
        builder.changes.apply()


@hookimpl
def corral_inventory_plugins() -> list[InventoryPlugin]:
    return [YamlInventory()]
