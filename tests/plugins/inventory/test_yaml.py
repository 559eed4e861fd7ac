"""corral-inventory-yaml: Ansible's YAML inventory format."""
from __future__ import annotations

import pytest

from corral.errors import CorralError

from .conftest import names


def test_hosts_children_and_vars_at_every_level(load, tmp_path) -> None:
    source = tmp_path / "hosts.yml"
    source.write_text("all:\n  vars: {region: eu}\n  children:\n    web:\n      hosts:\n"
                      "        web[1:2]: {http_port: 8080}\n      vars: {tier: front}\n"
                      "    prod:\n      children: {web: {}}\n")
    inventory = load(source, enable=["yaml"])
    assert names(inventory.get_hosts("prod")) == ["web1", "web2"]
    variables = inventory.get_inventory_vars("web2")
    assert (variables["http_port"], variables["tier"], variables["region"]) == (8080, "front", "eu")


def test_a_plugin_configuration_file_is_not_a_yaml_inventory(load, tmp_path) -> None:
    source = tmp_path / "cfg.yml"
    source.write_text("plugin: constructed\n")
    with pytest.raises(CorralError):
        load(source, enable=["yaml"])
