"""A strategy written against the public StrategyContext alone decides the order of a
real play's steps; the kernel does the rest (results, callbacks, recap)."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from corral.executor.task_queue_manager import TaskQueueManager
from corral.inventory.manager import InventoryManager
from corral.parsing.dataloader import DataLoader
from corral.playbook.play import Play
from corral.plugins import CallbackBase, StrategyContext, hookimpl
from corral.plugins.manager import PluginManager
from corral.vars.manager import VariableManager


class HostByHost:
    """Every step of the first host, then every step of the next one."""

    def __init__(self, play_run: StrategyContext) -> None:
        self.play_run = play_run

    def run(self) -> None:
        context = self.play_run
        announced: set[int] = set()
        while not context.ended:
            active = context.active()
            if not active:
                return
            run = active[0]
            step = run.next_step
            if id(step.task) not in announced:
                announced.add(id(step.task))
                context.announce(step, run)
            context.run_steps([(run, step)])
            context.after_task()


class HostByHostPlugin:
    @hookimpl
    def corral_strategy(self, name: str) -> type[HostByHost] | None:
        return HostByHost if name == "host_by_host" else None


class Order(CallbackBase):
    def __init__(self) -> None:
        super().__init__()
        self.seen: list[tuple[str, str]] = []
        self.banners: list[str] = []

    def v2_playbook_on_task_start(self, task: Any, is_conditional: bool) -> None:
        self.banners.append(task.get_name())

    def v2_runner_on_ok(self, result: Any) -> None:
        self.seen.append((result._host.get_name(), result.task_name))


def test_a_third_party_strategy_orders_the_steps(tmp_path: Path) -> None:
    hosts = tmp_path / "hosts.ini"
    hosts.write_text("".join(f"{name} ansible_connection=local ansible_python_interpreter={sys.executable}\n"
                             for name in ("h1", "h2")))
    loader = DataLoader()
    inventory = InventoryManager(loader, sources=[str(hosts)])
    variables = VariableManager(loader, inventory)
    play = Play().load({"hosts": "all", "gather_facts": False, "strategy": "host_by_host",
                        "tasks": [{"name": "one", "debug": {"msg": "1"}},
                                  {"name": "two", "command": "/bin/true"}]},
                       variable_manager=variables, loader=loader)
    plugins = PluginManager()
    plugins.register(HostByHostPlugin(), "host_by_host")
    order = Order()
    tqm = TaskQueueManager(inventory, variables, loader, stdout_callback=order, plugins=plugins)
    try:
        assert tqm.run(play) == 0
    finally:
        tqm.cleanup()
    assert order.seen == [("h1", "one"), ("h1", "two"), ("h2", "one"), ("h2", "two")]
    assert order.banners == ["one", "two"]
    assert tqm.stats.summarize("h2")["changed"] == 1
