"""corral-inventory-ini: Ansible's INI inventory format."""
from __future__ import annotations

import pytest

from corral.errors import CorralError

from .conftest import names


def test_groups_children_ranges_and_typed_vars(load, tmp_path) -> None:
    source = tmp_path / "hosts"
    source.write_text("db1 ansible_port=2201\n"
                      "[web]\nweb[01:03] http_port=8080 enabled=True flag=yes\n"
                      "[prod:children]\nweb\n"
                      "[prod:vars]\nregion=eu\n")
    inventory = load(source, enable=["ini"])
    assert names(inventory.get_hosts("web")) == ["web01", "web02", "web03"]
    assert names(inventory.get_hosts("prod")) == ["web01", "web02", "web03"]
    assert names(inventory.get_hosts("ungrouped")) == ["db1"]
    variables = inventory.get_inventory_vars("web02")
    assert variables["http_port"] == 8080 and variables["enabled"] is True \
        and variables["flag"] == "yes" and variables["region"] == "eu"
    assert inventory.get_host("db1").vars["ansible_port"] == 2201


def test_a_malformed_section_names_the_file_and_line(load, tmp_path) -> None:
    source = tmp_path / "bad.ini"
    source.write_text("[web]\nweb1\n[web:nonsense]\nx\n")
    with pytest.raises(CorralError, match="bad.ini"):
        load(source, enable=["ini"])
