"""corral-callback-tree: each host's last result as JSON in ``DIR/<host>``."""
from __future__ import annotations

import json

from corral.plugins.manager import PluginManager


def test_a_run_writes_one_file_per_host_with_its_last_result(corral_inventory, corral_run, tmp_path) -> None:
    callback = PluginManager().callback_class("tree")()
    callback.set_cli_args({"tree": str(tmp_path / "tree")})
    corral_inventory.host("web1").host("web2")
    corral_run.playbook([{"hosts": "all", "gather_facts": False, "tasks": [
        {"command": "echo first"},
        {"command": "echo {{ inventory_hostname }}"},
    ]}], callbacks=[callback])
    assert sorted(path.name for path in (tmp_path / "tree").iterdir()) == ["web1", "web2"]
    assert json.loads((tmp_path / "tree" / "web2").read_text())["stdout"] == "web2"


def test_the_directory_option_and_a_refused_host_name(corral_run, monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("ANSIBLE_CALLBACK_TREE_DIR", str(tmp_path / "from-env"))
    callback = PluginManager().callback_class("tree")()
    callback.set_options()
    corral_run.task({"debug": {"msg": "kept"}}, callbacks=[callback])
    assert json.loads((tmp_path / "from-env" / "localhost").read_text())["msg"] == "kept"
    callback.write_tree_file("../escape", "{}")
    assert not (tmp_path / "escape").exists()
