"""The vars plugin kind as the kernel runs it: which plugins run (vars_plugins_enabled),
in which order and with which entities, at which stage (a plugin's ``stage``,
``run_vars_plugins``), and what a missing one says."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from corral.api import run_playbook
from corral.config import Config
from corral.inventory.host import Host
from corral.plugins import hookimpl
from corral.plugins.manager import PluginManager
from corral.plugins.vars import VarsBase


class Recording(VarsBase):
    """Gives each entity ``seen_by_recording: [path, name...]`` and records the calls."""

    calls: list[tuple[str, list[str]]] = []

    def get_vars(self, loader: Any, path: str, entities: Any) -> dict[str, Any]:
        names = [("host:" if isinstance(e, Host) else "group:") + e.name for e in entities]
        self.calls.append((path, names))
        return {"from_recording": names[-1], "tier": "recorded"}


class RecordingPlugin:
    @hookimpl
    def corral_vars(self, name: str) -> type[Recording] | None:
        return Recording if name == "recording" else None


def _project(tmp_path: Path, cfg: str = "") -> tuple[str, Config]:
    inventory = tmp_path / "inv"
    (inventory / "group_vars").mkdir(parents=True, exist_ok=True)
    (inventory / "hosts.ini").write_text("[web]\nweb1\n")
    (inventory / "group_vars" / "web.yml").write_text("tier: files\nport: 80\n")
    (tmp_path / "corral.cfg").write_text(cfg)
    return str(inventory / "hosts.ini"), Config(env={}, cwd=str(tmp_path))


def test_enabled_plugins_run_in_order_on_each_directory_and_entity(tmp_path, make_inventory):
    source, config = _project(tmp_path, "[defaults]\nvars_plugins_enabled = host_group_vars, recording\n")
    plugins = PluginManager()
    plugins.register(RecordingPlugin())
    Recording.calls = []
    inventory = make_inventory(source, plugins=plugins, config=config)
    playbook_dir = tmp_path / "play"
    playbook_dir.mkdir()
    variables = inventory.get_inventory_vars("web1", str(playbook_dir))
    assert variables["tier"] == "recorded" and variables["port"] == 80
    assert variables["from_recording"] == "host:web1"
    inventory_dir = str(tmp_path / "inv")
    assert Recording.calls == [(inventory_dir, ["group:all"]), (str(playbook_dir), ["group:all"]),
                               (inventory_dir, ["group:web"]), (str(playbook_dir), ["group:web"]),
                               (inventory_dir, ["host:web1"]), (str(playbook_dir), ["host:web1"])]


def test_without_the_plugin_enabled_group_vars_files_are_not_read(tmp_path, make_inventory):
    source, config = _project(tmp_path, "[defaults]\nvars_plugins_enabled = recording\n")
    plugins = PluginManager()
    plugins.register(RecordingPlugin())
    variables = make_inventory(source, plugins=plugins, config=config).get_inventory_vars("web1")
    assert "port" not in variables and variables["tier"] == "recorded"


def test_a_plugin_staged_for_the_inventory_runs_after_parsing_not_per_task(tmp_path, make_inventory):
    source, config = _project(tmp_path, "[vars_host_group_vars]\nstage = inventory\n")
    inventory = make_inventory(source, config=config)
    assert inventory.groups["web"].vars == {"tier": "files", "port": 80}
    assert inventory.get_inventory_vars("web1")["port"] == 80


def test_run_vars_plugins_start_reads_them_after_parsing(tmp_path, make_inventory):
    source, config = _project(tmp_path, "[defaults]\nrun_vars_plugins = start\n")
    inventory = make_inventory(source, config=config)
    assert inventory.groups["web"].vars["port"] == 80
    source, config = _project(tmp_path, "")
    assert make_inventory(source, config=config).groups["web"].vars == {}


def test_a_plugin_staged_for_tasks_is_not_run_for_the_inventory_stage(tmp_path, make_inventory):
    source, config = _project(tmp_path, "[vars_host_group_vars]\nstage = task\n")
    inventory = make_inventory(source, config=config)
    assert inventory.groups["web"].vars == {}
    assert inventory.get_inventory_vars("web1")["port"] == 80
    assert "port" not in inventory.get_group_plugin_vars(inventory.groups["web"])


def test_a_configured_plugin_that_is_not_installed_is_a_warning_naming_its_distribution(tmp_path,
                                                                                       make_inventory):
    source, config = _project(tmp_path, "[defaults]\nvars_plugins_enabled = host_group_vars\n")
    warnings: list[str] = []
    inventory = make_inventory(source, plugins=PluginManager(allow=["inventory:ini"]), config=config,
                               warn=warnings.append)
    assert "port" not in inventory.get_inventory_vars("web1")
    assert any("No vars plugin named 'host_group_vars'" in w and "pip install corral-vars-host-group-vars" in w
               for w in warnings), warnings


def test_the_default_plugin_missing_from_a_custom_distribution_is_skipped_quietly(tmp_path, make_inventory):
    source, config = _project(tmp_path)
    warnings: list[str] = []
    inventory = make_inventory(source, plugins=PluginManager(allow=["inventory:ini"]), config=config,
                               warn=warnings.append)
    assert "port" not in inventory.get_inventory_vars("web1")
    assert warnings == []


def test_a_run_reads_vars_plugins_enabled_from_its_config(tmp_path):
    source, config = _project(tmp_path, "[defaults]\nvars_plugins_enabled = recording\n")
    Path(source).write_text("[web]\nweb1 ansible_connection=local\n")
    playbook = tmp_path / "play.yml"
    playbook.write_text("- hosts: web\n  gather_facts: false\n  tasks:\n"
                        "    - debug: {msg: '{{ tier }} {{ port | default(0) }}'}\n")
    plugins = PluginManager()
    plugins.register(RecordingPlugin())
    result = run_playbook(str(playbook), inventory=source, config=config, plugins=plugins)
    assert result.rc == 0, result.hosts
    assert result.hosts["web1"].results[-1].result["msg"] == "recorded 0"
