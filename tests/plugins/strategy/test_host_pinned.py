"""corral-strategy-free's ``host_pinned``: at most ``forks`` hosts in the play at once,
each keeping its place until it has run all of its tasks."""
from __future__ import annotations


def _play(tasks: list[dict]) -> list[dict]:
    return [{"hosts": "all", "gather_facts": False, "strategy": "host_pinned", "tasks": tasks}]


def test_no_more_than_forks_hosts_are_in_the_play(corral_inventory, corral_run) -> None:
    for name in ("slow", "h1", "h2", "h3", "h4"):
        corral_inventory.host(name)
    result = corral_run.playbook(_play([
        {"name": "one", "command": "sleep {{ 1 if inventory_hostname == 'slow' else 0 }}"},
        {"name": "two", "debug": {}},
        {"name": "three", "debug": {}},
    ]), forks=2)
    assert result.rc == 0
    started: set[str] = set()
    finished: set[str] = set()
    in_play = []
    for event in result.events:
        data = event.get("event_data", {})
        if event["event"] == "runner_on_start":
            started.add(data["host"])
        elif event["event"] == "runner_on_ok" and data["task"] == "three":
            finished.add(data["host"])
        in_play.append(len(started - finished))
    assert max(in_play) == 2
    assert finished == {"slow", "h1", "h2", "h3", "h4"}
    # a host starts only when one in the play has finished it
    first_of = {host: next(i for i, e in enumerate(result.events) if e["event"] == "runner_on_start"
                           and e["event_data"]["host"] == host) for host in finished}
    done_at = sorted(i for i, e in enumerate(result.events) if e["event"] == "runner_on_ok"
                     and e["event_data"]["task"] == "three")
    later = sorted(first_of.values())[2:]
    assert all(start > done for start, done in zip(later, done_at))


def test_each_host_announces_the_tasks_it_reaches(corral_inventory, corral_run) -> None:
    corral_inventory.host("a").host("b").host("c")
    result = corral_run.playbook(_play([{"name": "only", "debug": {}}]), forks=2)
    assert result.rc == 0
    starts = [e for e in result.events if e["event"] == "playbook_on_task_start"]
    assert len(starts) == 3 and {e["event_data"]["task"] for e in starts} == {"only"}
