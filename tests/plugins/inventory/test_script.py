"""corral-inventory-script: an executable that prints the inventory as JSON (``--list``, ``--host``)."""
from __future__ import annotations

import json

import pytest

from corral.errors import CorralError

from .conftest import names

LIST = {"web": {"hosts": ["web1", "web2"], "vars": {"tier": "front"}},
        "_meta": {"hostvars": {"web1": {"http_port": 8080}}}}


def _script(tmp_path, body: str):
    path = tmp_path / "inventory.sh"
    path.write_text(f"#!/bin/sh\n{body}\n")
    path.chmod(0o755)
    return path


def test_the_list_output_with_meta_hostvars(load, tmp_path) -> None:
    source = _script(tmp_path, f"[ \"$1\" = --list ] && echo '{json.dumps(LIST)}'")
    inventory = load(source, enable=["script"])
    assert names(inventory.get_hosts("web")) == ["web1", "web2"]
    assert inventory.get_inventory_vars("web1")["http_port"] == 8080
    assert inventory.get_inventory_vars("web2")["tier"] == "front"


def test_without_meta_each_host_is_asked_with_dash_dash_host(load, tmp_path) -> None:
    source = _script(tmp_path, 'case "$1" in --list) echo \'{"db": ["db1"]}\';;\n'
                               '--host) echo "{\\"asked\\": \\"$2\\"}";; esac')
    inventory = load(source, enable=["script"])
    assert inventory.get_inventory_vars("db1")["asked"] == "db1"


def test_a_failing_script_is_an_error_with_its_stderr(load, tmp_path) -> None:
    source = _script(tmp_path, "echo 'cannot reach the cloud' >&2; exit 3")
    with pytest.raises(CorralError, match="cannot reach the cloud"):
        load(source, enable=["script"])
