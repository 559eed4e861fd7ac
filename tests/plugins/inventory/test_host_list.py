"""corral-inventory-host-list: ``-i 'a,b:2222,'``."""
from __future__ import annotations

from corral.plugins.manager import PluginManager

from .conftest import names


def test_a_comma_separated_list_adds_ungrouped_hosts_with_ports(load) -> None:
    inventory = load("web1, web2:2222,[::1]:2200,", enable=["host_list"])
    assert names(inventory.get_hosts("ungrouped")) == ["web1", "web2", "::1"]
    assert inventory.get_host("web2").vars.get("ansible_port") == 2222
    assert inventory.get_host("::1").vars.get("ansible_port") == 2200


def test_ranges_are_not_expanded_and_paths_are_not_host_lists(load, tmp_path) -> None:
    inventory = load("web[1:2],", enable=["host_list"])
    assert names(inventory.get_hosts("all")) == ["web[1:2]"]
    existing = tmp_path / "a,b"
    existing.write_text("")
    [parser] = PluginManager().inventory_plugins(["host_list"])
    assert parser.verify_source("a,b") and not parser.verify_source(str(existing))
