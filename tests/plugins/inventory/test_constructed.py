"""corral-inventory-constructed: groups and variables computed from the other sources' variables."""
from __future__ import annotations

from .conftest import names


def test_compose_groups_and_keyed_groups(load, tmp_path) -> None:
    hosts = tmp_path / "01-hosts.ini"
    hosts.write_text("web1 os=linux mem_gb=32\nweb2 os=bsd mem_gb=4\n")
    config = tmp_path / "02-constructed.yml"
    config.write_text("plugin: constructed\nstrict: false\n"
                      "compose:\n  mem_mb: mem_gb * 1024\n"
                      "groups:\n  large: mem_gb >= 16\n"
                      "keyed_groups:\n  - key: os\n    prefix: os\n")
    inventory = load(hosts, config, enable=["ini", "constructed"])
    assert names(inventory.get_hosts("large")) == ["web1"]
    assert names(inventory.get_hosts("os_bsd")) == ["web2"]
    assert inventory.get_inventory_vars("web2")["mem_mb"] == 4096
