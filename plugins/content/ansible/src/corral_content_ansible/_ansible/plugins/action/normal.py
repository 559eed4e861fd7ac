"""``ansible.plugins.action.normal``: the action of a module without one of its own.

Network collections subclass it (``class ActionModule(ActionNetworkModule)`` over
``normal.ActionModule``) to run their module after preparing the connection.
"""
from __future__ import annotations

from typing import Any

from ansible.plugins.action import ActionBase

__all__ = ["ActionModule"]


class ActionModule(ActionBase):
    """Run the task's module with the task's arguments and return its result."""

    _supports_check_mode = True
    _supports_async = True

    def run(self, tmp: str | None = None, task_vars: Any = None) -> dict[str, Any]:
        result = super().run(tmp, task_vars)
        result.update(self._execute_module(task_vars=task_vars, wrap_async=self._task.async_val))
        return result
