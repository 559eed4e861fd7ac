"""``ansible.executor.task_result``: the result callbacks receive (corral's)."""
from __future__ import annotations

from corral.results import TaskResult

CallbackTaskResult = TaskResult

__all__ = ["TaskResult", "CallbackTaskResult"]
