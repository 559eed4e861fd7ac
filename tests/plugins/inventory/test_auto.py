"""corral-inventory-auto: a YAML file with ``plugin: NAME`` goes to that parser, enabled or not."""
from __future__ import annotations

import pytest

from corral.errors import CorralError

from .conftest import names


def test_a_plugin_config_reaches_its_parser_by_its_fully_qualified_name(load, tmp_path) -> None:
    hosts = tmp_path / "01-hosts.ini"
    hosts.write_text("web1 os=linux\n")
    config = tmp_path / "02-groups.yml"
    config.write_text("plugin: ansible.builtin.constructed\ngroups:\n  linux: os == 'linux'\n")
    inventory = load(hosts, config, enable=["ini", "auto"])
    assert names(inventory.get_hosts("linux")) == ["web1"]


def test_an_unknown_plugin_name_is_an_error(load, tmp_path) -> None:
    config = tmp_path / "cloud.yml"
    config.write_text("plugin: acme.cloud.instances\n")
    with pytest.raises(CorralError, match="acme.cloud.instances"):
        load(config, enable=["auto"])
