"""pytest-corral's inventory and run fixtures, used as a plugin author would (its SSH
fixtures are tested in ``tests/ssh/test_fixtures.py``)."""
from __future__ import annotations

import sys

import yaml

from corral.plugins.callback import CallbackBase
from pytest_corral import InventoryBuilder, PlaybookRunner


def test_the_builder_writes_an_ansible_yaml_inventory(tmp_path) -> None:
    builder = InventoryBuilder().host("web1", http_port=8080).group("web", hosts=["web1", "web2"],
                                                                     vars={"tier": "front"}, children=["edge"])
    builder.vars(region="eu")
    data = yaml.safe_load(builder.write(tmp_path / "hosts.yml").read_text())
    assert data["all"]["hosts"]["web1"] == {"ansible_connection": "local",
                                            "ansible_python_interpreter": sys.executable, "http_port": 8080}
    assert data["all"]["vars"] == {"region": "eu"}
    assert data["all"]["children"]["web"] == {"hosts": {"web1": None, "web2": None}, "vars": {"tier": "front"},
                                              "children": {"edge": None}}
    assert builder.hosts == ["web1", "web2"]


def test_the_in_memory_inventory_needs_no_inventory_plugin() -> None:
    builder = InventoryBuilder().host("db1", port=5432).group("db", hosts=["db1"], vars={"role": "primary"})
    manager = builder.manager()
    assert manager.sources == []
    assert [host.name for host in manager.get_hosts("db")] == ["db1"]
    variables = manager.get_inventory_vars("db1")
    assert variables["port"] == 5432 and variables["role"] == "primary"


def test_one_task_runs_in_process_with_results_and_events(corral_inventory, corral_run) -> None:
    corral_inventory.host("web1", greeting="hello").host("web2", greeting="bye")
    result = corral_run.task({"name": "greet", "debug": {"msg": "{{ greeting }} from {{ inventory_hostname }}"}})
    assert result.rc == 0
    assert corral_run.outcome(result, "web1").result["msg"] == "hello from web1"
    assert corral_run.outcome(result, "web2").status == "ok"
    assert result.hosts["web2"].stats["ok"] == 1
    names = [event["event"] for event in result.events]
    assert names[0] == "playbook_on_start" and names[-1] == "playbook_on_stats"
    assert names.count("runner_on_ok") == 2


def test_a_playbook_runs_on_the_implicit_localhost_and_reports_failures(tmp_path) -> None:
    runner = PlaybookRunner(tmp_path)
    result = runner.playbook([{"hosts": "localhost", "gather_facts": False, "tasks": [
        {"command": "echo from-a-command"},
        {"fail": {"msg": "stop here"}},
    ]}])
    assert result.rc == 2
    assert runner.outcome(result, "localhost", 0).result["stdout"] == "from-a-command"
    assert runner.outcome(result, "localhost").status == "failed"
    assert result.hosts["localhost"].failed


def test_a_callback_given_to_the_run_receives_the_events(corral_run) -> None:
    seen: list[str] = []

    class Recorder(CallbackBase):
        CALLBACK_NAME = "recorder"
        CALLBACK_TYPE = "notification"

        def v2_runner_on_ok(self, result) -> None:
            seen.append(result._host.get_name())

    result = corral_run.task({"set_fact": {"answer": 42}}, callbacks=[Recorder()])
    assert result.rc == 0 and seen == ["localhost"]
