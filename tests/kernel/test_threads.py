"""Two runs in two threads of one process, with different inventories, each get
their own correct results; nothing is printed by the library."""
from __future__ import annotations

import sys
import threading
from pathlib import Path
from typing import Any

from corral.executor.task_queue_manager import TaskQueueManager
from corral.inventory.manager import InventoryManager
from corral.parsing.dataloader import DataLoader
from corral.playbook.play import Play
from corral.plugins.callback import CallbackBase
from corral.vars.manager import VariableManager


class Collect(CallbackBase):
    def __init__(self) -> None:
        super().__init__()
        self.results: dict[str, list[Any]] = {}

    def v2_runner_on_ok(self, result: Any) -> None:
        if result._task.action == "debug":
            self.results.setdefault(result._host.get_name(), []).append(result._result.get("msg"))


def _run(tmp: Path, hosts: list[str], label: str, out: dict[str, Any]) -> None:
    inventory_file = tmp / f"{label}.ini"
    inventory_file.write_text("".join(f"{h} ansible_connection=local ansible_python_interpreter={sys.executable} "
                                      f"who={label}-{h}\n" for h in hosts))
    loader = DataLoader()
    inventory = InventoryManager(loader=loader, sources=[str(inventory_file)])
    variables = VariableManager(loader=loader, inventory=inventory)
    play = Play().load({"hosts": "all", "gather_facts": False, "tasks": [
        {"command": "echo {{ who }}", "register": "echoed"},
        {"debug": {"msg": "{{ echoed.stdout }} {{ groups['all'] | length }}"}},
    ] * 3}, variable_manager=variables, loader=loader)
    callback = Collect()
    tqm = TaskQueueManager(inventory=inventory, variable_manager=variables, loader=loader,
                           options={"forks": 2}, stdout_callback=callback)
    try:
        out[label] = (tqm.run(play), callback.results)
    finally:
        tqm.cleanup()


def test_two_task_queue_managers_in_two_threads(tmp_path: Path, capsys) -> None:
    out: dict[str, Any] = {}
    threads = [threading.Thread(target=_run, args=(tmp_path, ["a1", "a2", "a3"], "red", out)),
               threading.Thread(target=_run, args=(tmp_path, ["b1", "b2"], "blue", out))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert out["red"][0] == 0 and out["blue"][0] == 0
    assert out["red"][1] == {h: [f"red-{h} 3"] * 3 for h in ("a1", "a2", "a3")}
    assert out["blue"][1] == {h: [f"blue-{h} 2"] * 3 for h in ("b1", "b2")}
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""
