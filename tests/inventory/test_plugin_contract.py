"""A third-party inventory plugin, registered like any other, gets its sources."""
from __future__ import annotations

from typing import Any

from corral.errors import CorralParserError
from corral.inventory.data import InventoryChanges
from corral.inventory.manager import InventoryManager
from corral.parsing.dataloader import DataLoader
from corral.plugins import hookimpl
from corral.plugins.inventory import InventoryPlugin
from corral.plugins.manager import PluginManager

from conftest import names


class RackInventory(InventoryPlugin):
    """Reads ``plugin: rack`` configs: ``racks: {name: count}``."""

    NAME = "rack"

    def verify_source(self, source: str) -> bool:
        return source.endswith(".yml")

    def parse(self, inventory: Any, loader: Any, source: str, **options: Any) -> None:
        config = loader.load_from_file(source, cache=False)
        changes = InventoryChanges(inventory)
        for rack, count in config["racks"].items():
            if not isinstance(count, int):
                raise CorralParserError(f"{source}: rack {rack} needs a host count")
            changes.add_group(rack)
            for n in range(count):
                changes.add_host(f"{rack}-{n}", group=rack)
                changes.set_variable(f"{rack}-{n}", "slot", n)
        changes.apply()


class RackPlugin:
    @hookimpl
    def corral_inventory_plugins(self) -> list[InventoryPlugin]:
        return [RackInventory()]


def manager(*sources: str) -> InventoryManager:
    plugins = PluginManager()
    plugins.register(RackPlugin(), name="inventory:rack")
    return InventoryManager(DataLoader(), sources=list(sources), plugins=plugins)


def test_plugin_config_goes_to_named_plugin_through_auto(write):
    inv = manager(write("dc.yml", "plugin: rack\nracks:\n  r1: 2\n  r2: 1\n"))
    assert names(inv.get_hosts("all")) == ["r1-0", "r1-1", "r2-0"]
    assert inv.get_inventory_vars("r1-1")["slot"] == 1


def test_enabled_plugin_sees_its_own_sources(write):
    path = write("dc.rack.yml", "racks:\n  r9: 1\n")
    plugins = PluginManager()
    plugins.register(RackPlugin(), name="inventory:rack")
    inv = InventoryManager(DataLoader(), sources=[path], plugins=plugins, enable_plugins=["rack", "ini"])
    assert names(inv.get_hosts("r9")) == ["r9-0"]


def test_failing_plugin_leaves_nothing_behind_and_warns(write):
    inv = manager(write("dc.yml", "plugin: rack\nracks:\n  r1: 2\n  r2: many\n"))
    assert inv.hosts == {}
    assert any("rack r2 needs a host count" in w for w in inv.warnings)
