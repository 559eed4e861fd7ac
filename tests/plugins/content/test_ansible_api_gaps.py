"""Names of Ansible's API the collections import beyond the plugin base classes:
``ansible.config.manager``, ``ansible.inventory.group.to_safe_group_name``,
``ansible.parsing.utils.addresses``, the network ``*_loader`` objects, imported
as the collections import them (through the content importer)."""
from __future__ import annotations

import datetime
import importlib
import json
import os
from pathlib import Path
from typing import Any

import pytest

from corral_content_ansible import importer

from .test_ansible_controller_plugins import make_collection


def _ansible(name: str) -> Any:
    importer.install()
    return importlib.import_module(name)


def test_ensure_type_converts_as_action_plugins_use_it() -> None:
    manager = _ansible("ansible.config.manager")
    assert manager.ensure_type(12, "string") == "12"
    assert manager.ensure_type("yes", "bool") is True
    assert manager.ensure_type("a, b", "list") == ["a", "b"]
    assert manager.ensure_type({"k": 1}, "raw") == {"k": 1}
    assert manager.ensure_type("x.cfg", "path", origin="/etc/acme/ansible.cfg", origin_ftype="ini") \
        == "/etc/acme/x.cfg"
    errors = _ansible("ansible.errors")
    with pytest.raises(errors.AnsibleOptionsError):
        manager.ensure_type("many", "int")


def test_resolve_path_and_config_values(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    manager = _ansible("ansible.config.manager")
    monkeypatch.chdir(tmp_path)
    assert manager.resolve_path("{{CWD}}/keys") == os.path.join(str(tmp_path), "keys")
    assert manager.resolve_path("keys", basedir="/srv") == "/srv/keys"
    assert manager.ConfigManager().get_config_value("DEFAULT_REMOTE_TMP") == "~/.ansible/tmp"
    with pytest.raises(_ansible("ansible.errors").AnsibleOptionsError):
        manager.ConfigManager().get_config_value("NO_SUCH_SETTING")


def test_to_safe_group_name_from_ansible_inventory_group() -> None:
    group = _ansible("ansible.inventory.group")
    assert group.to_safe_group_name("web-servers.eu") == "web-servers.eu"
    assert group.to_safe_group_name("web-servers.eu", force=True) == "web_servers_eu"
    assert group.to_safe_group_name("web-servers.eu", replacer="-", force=True) == "web-servers-eu"
    # an inventory plugin's helper (its _sanitize_group_name) always replaces, as Ansible's does
    plugins = _ansible("ansible.plugins.inventory")
    assert plugins.to_safe_group_name("web-servers.eu") == "web_servers_eu"
    assert plugins.BaseInventoryPlugin._sanitize_group_name("1st group") == "_st_group"


def test_parse_address() -> None:
    addresses = _ansible("ansible.parsing.utils.addresses")
    errors = _ansible("ansible.errors")
    assert addresses.parse_address("db1.example.com:2222") == ("db1.example.com", 2222)
    assert addresses.parse_address("[::1]:22") == ("::1", 22)
    assert addresses.parse_address("web[1:3]", allow_ranges=True) == ("web[1:3]", None)
    with pytest.raises(errors.AnsibleParserError):
        addresses.parse_address("web[1:3]")
    with pytest.raises(errors.AnsibleError):
        addresses.parse_address("not a host")


def test_network_plugin_loaders_find_collection_plugins(tmp_path: Path) -> None:
    loader = _ansible("ansible.plugins.loader")
    root = make_collection(tmp_path, {
        "plugins/httpapi/rest.py": "class HttpApi:\n    def __init__(self, connection):\n"
                                   "        self.connection = connection\n",
        "plugins/terminal/shellish.py": "class TerminalModule:\n    pass\n"}, "netgaps")
    importer.add_roots([str(root)])
    assert loader.httpapi_loader.find_plugin("acme.netgaps.rest") == str(
        root / "ansible_collections" / "acme" / "netgaps" / "plugins" / "httpapi" / "rest.py")
    plugin = loader.httpapi_loader.get("acme.netgaps.rest", "the connection")
    assert plugin.connection == "the connection" and plugin._load_name == "acme.netgaps.rest"
    assert loader.terminal_loader.has_plugin("acme.netgaps.shellish")
    assert loader.cliconf_loader.get("acme.netgaps.rest") is None
    assert loader.netconf_loader.find_plugin("acme.netgaps.none") is None


def test_json_encoder_and_inventory_data_where_plugins_import_them() -> None:
    encoder = _ansible("ansible.module_utils.common.json").AnsibleJSONEncoder
    assert encoder is _ansible("ansible.parsing.ajson").AnsibleJSONEncoder
    assert json.dumps({"when": datetime.date(2026, 12, 5), "tags": ("a",)}, cls=encoder) \
        == '{"when": "2026-12-05", "tags": ["a"]}'
    assert _ansible("ansible.inventory.manager").InventoryData is _ansible("ansible.inventory.data").InventoryData
