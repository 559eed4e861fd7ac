"""corral-strategy-free: a host goes on to its next task without waiting for the others."""
from __future__ import annotations


def test_a_fast_host_does_not_wait_for_a_slow_one(corral_inventory, corral_run) -> None:
    corral_inventory.host("slow").host("fast")
    result = corral_run.playbook([{"hosts": "all", "gather_facts": False, "strategy": "free", "tasks": [
        {"name": "one", "command": "sleep {{ 1 if inventory_hostname == 'slow' else 0 }}"},
        {"name": "two", "debug": {}},
    ]}], forks=2)
    assert result.rc == 0
    order = [(e["event_data"]["host"], e["event_data"]["task"]) for e in result.events
             if e["event"] == "runner_on_ok"]
    assert order.index(("fast", "two")) < order.index(("slow", "one"))
    assert len(order) == 4
