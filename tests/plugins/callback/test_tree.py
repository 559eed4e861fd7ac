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


def test_the_adhoc_tree_flag_writes_each_host_result(cli, tmp_path) -> None:
    inventory = tmp_path / "hosts"
    inventory.write_text("web1 ansible_connection=local\nweb2 ansible_connection=local\n")
    run = cli("corral", "all", "-i", str(inventory), "-m", "command", "-a", "echo {{ inventory_hostname }}",
                  "--tree", str(tmp_path / "tree"))
    assert run.returncode == 0, run.stderr
    assert sorted(path.name for path in (tmp_path / "tree").iterdir()) == ["web1", "web2"]
    assert json.loads((tmp_path / "tree" / "web1").read_text())["stdout"] == "web1"


def test_the_seed_api_run_tree_loads_the_tree_callback(tmp_path, monkeypatch) -> None:
    from corral.executor.task_queue_manager import TaskQueueManager
    from corral.inventory import Inventory
    from corral.parsing.dataloader import DataLoader
    from corral.playbook.play import Play
    from corral.plugins.callback import CallbackBase
    from corral.vars import VariableManager

    monkeypatch.setenv("ANSIBLE_CALLBACK_TREE_DIR", str(tmp_path / "tree"))
    loader = DataLoader()
    variable_manager = VariableManager(loader=loader)
    inventory = Inventory(loader=loader, variable_manager=variable_manager, host_list="localhost")
    variable_manager.set_inventory(inventory)
    play = Play().load({"hosts": "localhost", "gather_facts": "no", "tasks": [{"command": "echo seed"}]},
                       variable_manager=variable_manager, loader=loader)
    tqm = TaskQueueManager(inventory=inventory, variable_manager=variable_manager, loader=loader,
                           stdout_callback=CallbackBase(), run_tree=True)
    try:
        assert tqm.run(play) == 0
    finally:
        tqm.cleanup()
    assert json.loads((tmp_path / "tree" / "localhost").read_text())["stdout"] == "seed"
