"""The ``gather_facts`` action: a task that gathers facts as a play's ``gather_facts`` does."""
from __future__ import annotations

from typing import Any, ClassVar

from corral.plugins.action import ActionBase
from corral.results import ERROR_SUMMARY

__all__ = ["GatherFactsAction"]

#: how ansible-core names the facts module in ``failed_modules``
_SETUP = "ansible.legacy.setup"


class GatherFactsAction(ActionBase):
    """Gather the host's facts with ``setup`` (the task's arguments are setup's; ``parallel``
    is the action's own: one facts module runs, so it has no effect)."""

    GATHERS_FACTS: ClassVar[bool] = True

    def run(self, tmp: str | None = None, task_vars: Any = None) -> dict[str, Any]:
        super().run(tmp, task_vars)
        args = {key: value for key, value in self._task.args.items() if key != "parallel" and value is not None}
        result = self._execute_module("ansible.legacy.setup", args, task_vars=task_vars)
        if result.get("failed") or result.get("unreachable"):
            if result.get("unreachable"):
                return result
            result.pop("invocation", None)
            msg = f"The following modules failed to execute: {_SETUP}."
            return {"ansible_facts": {}, "changed": False, "failed": True, "failed_modules": {_SETUP: result},
                    "msg": msg, ERROR_SUMMARY: f"Task failed: Action failed: {msg}"}
        facts = dict(result.get("ansible_facts") or {})
        facts["_ansible_facts_gathered"] = True
        out: dict[str, Any] = {"ansible_facts": facts, "changed": False, "_ansible_verbose_override": True}
        for key in ("warnings", "deprecations"):
            if result.get(key):
                out[key] = result[key]
        return out
