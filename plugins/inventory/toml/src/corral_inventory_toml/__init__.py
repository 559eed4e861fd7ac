"""Inventory plugin ``toml``: TOML inventories in Ansible's layout::

    [web]
    children = ["apache"]
    vars = { http_port = 8080 }

    [web.hosts]
    host1 = {}
    "www[01:03].example.com" = { ansible_port = 2222 }

Each top-level table is a group with optional ``hosts`` (a table of host
patterns to variable tables), ``vars`` (a table) and ``children`` (a list of
group names).  Files ending in ``.toml`` are tried.
"""
from __future__ import annotations

import os
from typing import Any

from corral.errors import CorralParserError
from corral.inventory.data import InventoryChanges
from corral.plugins import hookimpl
from corral.plugins.inventory import InventoryPlugin

__all__ = ["TomlInventory"]


class _Builder:
    def __init__(self, inventory: Any, source: str) -> None:
        self.changes = InventoryChanges(inventory)
        self.warnings = inventory.warnings
        self.source = source

    def group(self, name: str, data: Any) -> None:
        if data is not None and not isinstance(data, dict):
            self.warnings.append(f"Skipping '{name}' as this is not a valid group definition in {self.source}")
            return
        changes = self.changes
        changes.add_group(name)
        for key, value in (data or {}).items():
            if key == "vars":
                if not isinstance(value, dict):
                    raise CorralParserError(f'{self.source}: Invalid "vars" entry for "{name}" group, '
                                            f'requires a table, found "{type(value).__name__}" instead.')
                for var, var_value in value.items():
                    changes.set_variable(name, var, var_value)
            elif key == "children":
                if not isinstance(value, list):
                    raise CorralParserError(f'{self.source}: Invalid "children" entry for "{name}" group, '
                                            f'requires a list, found "{type(value).__name__}" instead.')
                for child in value:
                    self.group(str(child), {})
                    changes.add_child(name, str(child))
            elif key == "hosts":
                if not isinstance(value, dict):
                    raise CorralParserError(f'{self.source}: Invalid "hosts" entry for "{name}" group, '
                                            f'requires a table, found "{type(value).__name__}" instead.')
                for pattern, host_vars in value.items():
                    self.hosts(pattern, host_vars, name)
            else:
                self.warnings.append(f'Skipping unexpected key "{key}" in group "{name}", only "vars", '
                                     f'"children" and "hosts" are valid')

    def hosts(self, pattern: str, host_vars: Any, group: str) -> None:
        if not isinstance(host_vars, dict):
            raise CorralParserError(f"{self.source}: the variables of host '{pattern}' must be a table")
        self.changes.add_hosts(pattern, group, host_vars, self.source)


class TomlInventory(InventoryPlugin):
    NAME = "toml"

    def verify_source(self, source: str) -> bool:
        return os.path.isfile(source) and os.path.splitext(source)[1] == ".toml"

    def parse(self, inventory: Any, loader: Any, source: str, **options: Any) -> None:
        import tomllib     # here: every run loads this plugin, few parse TOML
        text, _ = loader.get_text_file_contents(source)
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise CorralParserError(f"{source} is not valid TOML: {exc}") from None
        if not data:
            raise CorralParserError(f"Parsed empty TOML file: {source}")
        builder = _Builder(inventory, source)
        for name, group_data in data.items():
            builder.group(name, group_data)
        builder.changes.apply()


@hookimpl
def corral_inventory_plugins() -> list[InventoryPlugin]:
    return [TomlInventory()]
