"""The ``profile_tasks`` callback: a timestamp line under each task's banner and the
slowest tasks in a ``TASKS RECAP`` at the end.

Under each ``TASK``/``RUNNING HANDLER`` banner: ``<now> (<previous task's length>)
<time since the run started>``.  A task's time runs from its start to the next
task's start (or the end of the run), over all its hosts.  The recap lists at most
``output_limit`` tasks (``all`` for every one), slowest first (``sort_order``:
``descending``, ``ascending`` or ``none`` for the order they ran in).
"""
from __future__ import annotations

from typing import Any

from corral.plugins import hookimpl
from corral.plugins.callback import CallbackOption

from corral_callback_profile.timing import DEFAULT_DATETIME_FORMAT, TimingCallback, summary_only_option

__all__ = ["CallbackModule"]

_SECTION = "callback_profile_tasks"


class CallbackModule(TimingCallback):
    """Times every task."""

    CALLBACK_NAME = "profile_tasks"
    RECAP = "TASKS RECAP"
    OPTIONS = {o.name: o for o in (
        CallbackOption("output_limit", "20", "str", ("PROFILE_TASKS_TASK_OUTPUT_LIMIT",),
                       ((_SECTION, "task_output_limit"),),
                       description="How many tasks the recap lists (a number, or 'all')."),
        CallbackOption("sort_order", "descending", "str", ("PROFILE_TASKS_SORT_ORDER",), ((_SECTION, "sort_order"),),
                       choices=("descending", "ascending", "none"),
                       description="The recap's order: slowest first, fastest first, or as the tasks ran."),
        CallbackOption("datetime_format", DEFAULT_DATETIME_FORMAT, "str", ("PROFILE_TASKS_DATETIME_FORMAT",),
                       ((_SECTION, "datetime_format"),),
                       description="strftime format of the timestamps; 'iso8601' for '%Y-%m-%dT%H:%M:%S.%f'."),
        summary_only_option("PROFILE_TASKS", _SECTION),
    )}

    def key_of(self, task: Any) -> tuple[str, str]:
        return str(task._uuid), str(task.get_name()).strip()

    def recap_rows(self) -> list[tuple[str, float]]:
        rows = self.rows()
        order = self.get_option("sort_order")
        if order != "none":
            rows.sort(key=lambda row: row[1], reverse=order == "descending")
        limit = str(self.get_option("output_limit")).strip().lower()
        return rows if limit == "all" else rows[:max(0, int(limit))]


@hookimpl
def corral_callback(name: str) -> type[CallbackModule] | None:
    """The ``profile_tasks`` callback class."""
    return CallbackModule if name == "profile_tasks" else None
