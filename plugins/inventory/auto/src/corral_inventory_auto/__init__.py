"""Inventory plugin ``auto``: hands a plugin configuration file to its plugin.

A ``.yml``/``.yaml`` file whose top-level mapping has ``plugin: NAME`` is parsed by
the run's content (``PluginManager.find_content``: a collection's inventory plugin
``ns.coll.name``), else the installed inventory parser whose ``NAME`` matches
(``ansible.builtin.`` and ``corral.builtin.`` prefixes are ignored), whether or not
that parser is in the enabled list, as Ansible's ``auto`` does.  The kernel passes
the run's plugin manager in the ``plugins`` option and the installed parsers in
``parsers``.
"""
from __future__ import annotations

from typing import Any

from corral.errors import CorralParserError
from corral.plugins import hookimpl
from corral.plugins.inventory import InventoryPlugin

__all__ = ["AutoInventory", "plugin_name"]

_PREFIXES = ("ansible.builtin.", "corral.builtin.")


def plugin_name(name: str) -> str:
    """``ansible.builtin.constructed`` -> ``constructed``."""
    for prefix in _PREFIXES:
        if name.startswith(prefix):
            return name[len(prefix):]
    return name


class AutoInventory(InventoryPlugin):
    NAME = "auto"

    def verify_source(self, source: str) -> bool:
        return source.endswith((".yml", ".yaml"))

    def parse(self, inventory: Any, loader: Any, source: str, **options: Any) -> None:
        config = loader.load_from_file(source, cache=False)
        name = config.get("plugin") if isinstance(config, dict) else None
        if not name or not isinstance(name, str):
            raise CorralParserError(f"no root 'plugin' key found, '{source}' is not a valid YAML "
                                    f"inventory plugin config file")
        parsers = options.get("parsers") or {}
        plugins = options.get("plugins")
        parser = plugins.find_content("inventory", name) if plugins is not None else None
        parser = parser or parsers.get(plugin_name(name))
        if parser is None or parser.NAME == self.NAME:
            installed = ", ".join(sorted(p for p in parsers if p != self.NAME)) or "none"
            raise CorralParserError(f"inventory config '{source}' specifies unknown plugin '{name}' "
                                    f"(installed inventory plugins: {installed})")
        if not parser.verify_source(source):
            raise CorralParserError(f"inventory source '{source}' could not be verified by inventory "
                                    f"plugin '{name}'")
        parser.parse(inventory, loader, source, **options)


@hookimpl
def corral_inventory_plugins() -> list[InventoryPlugin]:
    return [AutoInventory()]
