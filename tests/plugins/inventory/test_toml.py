"""corral-inventory-toml: Ansible's TOML inventory format."""
from __future__ import annotations

import pytest

from corral.errors import CorralError

from .conftest import names


def test_groups_hosts_vars_and_children(load, tmp_path) -> None:
    source = tmp_path / "hosts.toml"
    source.write_text('[web]\nchildren = ["api"]\nvars = { tier = "front" }\n'
                      '[web.hosts]\nweb1 = { http_port = 8080 }\n'
                      '[api.hosts]\napi1 = {}\n')
    inventory = load(source, enable=["toml"])
    assert names(inventory.get_hosts("web")) == ["web1", "api1"]
    assert inventory.get_inventory_vars("web1")["http_port"] == 8080
    assert inventory.get_inventory_vars("api1")["tier"] == "front"


def test_invalid_toml_is_an_error_naming_the_file(load, tmp_path) -> None:
    source = tmp_path / "broken.toml"
    source.write_text("[web\n")
    with pytest.raises(CorralError, match="broken.toml is not valid TOML"):
        load(source, enable=["toml"])
