"""corral-modules-controller: actions that run on the controller only."""
from __future__ import annotations


def test_set_fact_assert_fail_and_debug(corral_run) -> None:
    result = corral_run.playbook([{"hosts": "localhost", "gather_facts": False, "tasks": [
        {"set_fact": {"answer": 42}},
        {"assert": {"that": ["answer == 42"], "success_msg": "right"}},
        {"debug": {"var": "answer"}},
        {"assert": {"that": "answer == 41", "fail_msg": "wrong answer"}, "ignore_errors": True},
        {"fail": {"msg": "stop"}, "when": "answer > 40"},
    ]}])
    results = [outcome.result for outcome in result.hosts["localhost"].results]
    assert results[1]["msg"] == "right"
    assert results[2]["answer"] == 42
    assert results[3]["failed"] and results[3]["msg"] == "wrong answer"
    assert result.rc == 2 and results[4]["msg"] == "stop"


def test_add_host_and_group_by_change_the_inventory_for_later_plays(corral_inventory, corral_run) -> None:
    corral_inventory.host("web1", os="linux")
    result = corral_run.playbook([
        {"hosts": "all", "gather_facts": False, "tasks": [
            {"group_by": {"key": "os_{{ os }}"}},
            {"add_host": {"name": "extra", "groups": "added", "ansible_connection": "local"}},
        ]},
        {"hosts": "os_linux:added", "gather_facts": False, "tasks": [{"debug": {"msg": "{{ inventory_hostname }}"}}]},
    ])
    assert result.rc == 0
    assert corral_run.outcome(result, "web1").result["msg"] == "web1"
    assert corral_run.outcome(result, "extra").result["msg"] == "extra"


def test_include_vars_reads_a_vars_file(corral_run, tmp_path) -> None:
    (tmp_path / "settings.yml").write_text("colour: blue\n")
    result = corral_run.playbook([{"hosts": "localhost", "gather_facts": False, "tasks": [
        {"include_vars": str(tmp_path / "settings.yml")},
        {"debug": {"msg": "{{ colour }}"}},
    ]}])
    assert corral_run.outcome(result, "localhost").result["msg"] == "blue"
