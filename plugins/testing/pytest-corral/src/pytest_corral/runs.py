"""Run a playbook, or one task, in process and get its results and events.

Built on :func:`corral.api.run_playbook`: nothing is printed unless a
``stdout_callback`` is named, and the :class:`corral.api.RunResult` carries the exit
code, each host's task outcomes and stats, and the run's job events
(ansible-runner's format)::

    runner = PlaybookRunner(tmp_path, InventoryBuilder().host("web1"))
    result = runner.task({"command": "echo hi"})
    assert result.rc == 0
    assert runner.outcome(result, "web1").result["stdout"] == "hi"
    assert [e["event"] for e in result.events][-1] == "playbook_on_stats"

The run needs the plugins it uses to be installed (a connection, a strategy, an
executor, the modules of its tasks, and ``corral-inventory-yaml`` when the
inventory has hosts); a missing one fails the run with the distribution to install.
With no hosts in the inventory, the play runs on the implicit ``localhost``.
"""
from __future__ import annotations

import itertools
import os
from pathlib import Path
from typing import Any, Mapping, Sequence

import yaml

from corral.api import RunResult, TaskOutcome, run_playbook
from pytest_corral.inventory import InventoryBuilder

__all__ = ["PlaybookRunner"]


class PlaybookRunner:
    """Runs plays against ``inventory``, writing files below ``workdir``."""

    def __init__(self, workdir: Path, inventory: InventoryBuilder | None = None) -> None:
        self.workdir = Path(workdir)
        self.inventory = inventory if inventory is not None else InventoryBuilder()
        self._counter = itertools.count(1)

    def playbook(self, playbook: Sequence[Mapping[str, Any]] | str | os.PathLike[str], **options: Any) -> RunResult:
        """Run ``playbook`` (a path, or a list of plays written to a file first) with the
        keyword ``options`` of :func:`corral.api.run_playbook` (``extra_vars``, ``check``,
        ``stdout_callback``, ``callbacks``...)."""
        number = next(self._counter)
        if not isinstance(playbook, (str, os.PathLike)):
            path = self.workdir / f"playbook-{number}.yml"
            path.write_text(yaml.safe_dump([dict(play) for play in playbook], sort_keys=False))
            playbook = path
        if self.inventory and "inventory" not in options:
            options["inventory"] = str(self.inventory.write(self.workdir / f"inventory-{number}.yml"))
        return run_playbook(playbook, **options)

    def task(self, task: Mapping[str, Any], hosts: str | None = None, **options: Any) -> RunResult:
        """Run one task in a play on ``hosts`` (default: every host of the inventory, or
        ``localhost`` when it has none), without gathering facts."""
        play = {"hosts": hosts or ("all" if self.inventory else "localhost"), "gather_facts": False,
                "tasks": [dict(task)]}
        return self.playbook([play], **options)

    @staticmethod
    def outcome(result: RunResult, host: str, index: int = -1) -> TaskOutcome:
        """The ``index``-th task outcome of ``host`` (the last by default)."""
        return result.hosts[host].results[index]
