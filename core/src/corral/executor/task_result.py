"""``TaskResult``: what callbacks receive for one task on one host."""
from __future__ import annotations

import copy
from typing import Any

__all__ = ["TaskResult", "CLEAN_EXCEPTIONS"]

#: internal keys removed before results are shown (kept: ``_ansible_no_log``, ``_ansible_verbose_*``)
CLEAN_EXCEPTIONS = ("_ansible_verbose_always", "_ansible_item_label", "_ansible_no_log",
                    "_ansible_verbose_override")


class TaskResult:
    """The result of ``task`` on ``host``: ``_host``, ``_task`` and ``_result`` (a dict
    with ``changed``, ``failed``, ``skipped``, ``unreachable``, ``msg``...), as in
    Ansible's API.  ``task_fields`` holds the task's keywords as they were when it ran
    (for delegated or looped tasks)."""

    def __init__(self, host: Any, task: Any, return_data: dict[str, Any],
                 task_fields: dict[str, Any] | None = None) -> None:
        self._host = host
        self._task = task
        self._result = return_data
        self._task_fields = task_fields or {}

    @property
    def task_name(self) -> str:
        return self._task_fields.get("name") or self._task.get_name()

    def is_changed(self) -> bool:
        return self._check_key("changed")

    def is_skipped(self) -> bool:
        results = self._result.get("results")
        if isinstance(results, list) and results and "skipped" not in self._result:
            return all(isinstance(r, dict) and r.get("skipped", False) for r in results)
        return bool(self._result.get("skipped", False))

    def is_failed(self) -> bool:
        if "failed_when_result" in self._result or (
                "results" in self._result and any(isinstance(r, dict) and "failed_when_result" in r
                                                  for r in self._result["results"])):
            return self._check_key("failed_when_result")
        return self._check_key("failed")

    def is_unreachable(self) -> bool:
        return self._check_key("unreachable")

    def needs_debugger(self, globally_enabled: bool = False) -> bool:
        return False

    def _check_key(self, key: str) -> bool:
        if isinstance(self._result.get("results"), list) and key not in self._result:
            return any(isinstance(r, dict) and r.get(key, False) for r in self._result["results"])
        return bool(self._result.get(key, False))

    def clean_copy(self) -> "TaskResult":
        """A copy without internal keys, censored when the task has ``no_log``."""
        result = copy.deepcopy(self._result) if not self._result.get("_ansible_no_log") else {
            "censored": "the output has been hidden due to the fact that 'no_log: true' was "
                        "specified for this result",
            **{k: self._result[k] for k in ("changed", "failed", "skipped", "unreachable", "attempts")
               if k in self._result}}
        for key in list(result):
            if key.startswith("_ansible") and key not in ("_ansible_no_log",):
                del result[key]
        return TaskResult(self._host, self._task, result, self._task_fields)
