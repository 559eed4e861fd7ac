"""corral-strategy-linear: every host finishes a task before any host starts the next."""
from __future__ import annotations


def _order(result) -> list[tuple[str, str]]:
    return [(e["event_data"]["host"], e["event_data"]["task"]) for e in result.events
            if e["event"] in ("runner_on_ok", "runner_on_failed")]


def test_hosts_move_through_the_play_in_lockstep(corral_inventory, corral_run) -> None:
    corral_inventory.host("a").host("b")
    result = corral_run.playbook([{"hosts": "all", "gather_facts": False, "strategy": "linear", "tasks": [
        {"name": "slow on a", "command": "sleep {{ 0.3 if inventory_hostname == 'a' else 0 }}"},
        {"name": "next", "debug": {}},
    ]}])
    assert result.rc == 0
    order = _order(result)
    assert {order[0], order[1]} == {("a", "slow on a"), ("b", "slow on a")}
    assert {order[2], order[3]} == {("a", "next"), ("b", "next")}


def test_a_failed_host_stops_and_the_others_go_on(corral_inventory, corral_run) -> None:
    corral_inventory.host("a").host("b")
    result = corral_run.playbook([{"hosts": "all", "gather_facts": False, "tasks": [
        {"name": "fail on a", "fail": {"msg": "x"}, "when": "inventory_hostname == 'a'"},
        {"name": "after", "debug": {}},
    ]}])
    assert result.rc == 2
    assert [outcome.task for outcome in result.hosts["a"].results] == ["fail on a"]
    assert [outcome.task for outcome in result.hosts["b"].results] == ["fail on a", "after"]
