"""An example out-of-tree callback plugin, written as a third party would.

Enable it with ``callbacks_enabled = counter`` (``corral.cfg``/``ansible.cfg``) or
``CORRAL_CALLBACKS_ENABLED=counter``.  It counts results per host and status and,
when the run ends, writes them as JSON to ``$CORRAL_COUNTER_FILE`` (or prints a line).
"""
from __future__ import annotations

import collections
import json
import os
from typing import Any

from corral.plugins import hookimpl
from corral.plugins.callback import CallbackBase


class CounterCallback(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "notification"
    CALLBACK_NAME = "counter"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.counts: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
        self.tasks: list[str] = []

    def v2_playbook_on_task_start(self, task: Any, is_conditional: bool) -> None:
        self.tasks.append(task.get_name())

    def v2_runner_on_ok(self, result: Any) -> None:
        self.counts[result._host.get_name()]["changed" if result._result.get("changed") else "ok"] += 1

    def v2_runner_on_failed(self, result: Any, ignore_errors: bool = False) -> None:
        self.counts[result._host.get_name()]["failed"] += 1

    def v2_runner_on_skipped(self, result: Any) -> None:
        self.counts[result._host.get_name()]["skipped"] += 1

    def v2_playbook_on_stats(self, stats: Any) -> None:
        summary = {"tasks": self.tasks, "hosts": {h: dict(c) for h, c in self.counts.items()}}
        path = os.environ.get("CORRAL_COUNTER_FILE")
        if path:
            with open(path, "w", encoding="utf-8") as handle:
                json.dump(summary, handle)
        else:
            self._display.display(f"counter: {json.dumps(summary['hosts'], sort_keys=True)}")


@hookimpl
def corral_callback(name: str) -> type[CounterCallback] | None:
    return CounterCallback if name == "counter" else None
