"""``ansible.playbook.task_include``: ``TaskInclude``, the class Ansible gives the
tasks that include others (``include_tasks``, ``include_role``).

corral has one ``Task`` class; ``isinstance(task, TaskInclude)`` (what callbacks ask
to leave include results out) is true for a corral task whose action is an include.
"""
from __future__ import annotations

from typing import Any

from corral.playbook.task import Task

__all__ = ["TaskInclude"]


class _IncludeCheck(type):
    """``isinstance(obj, TaskInclude)``: a corral task whose action includes others."""

    def __instancecheck__(cls, instance: Any) -> bool:
        return isinstance(instance, Task) and bool(getattr(instance, "is_include", False)) \
            or type.__instancecheck__(cls, instance)


class TaskInclude(Task, metaclass=_IncludeCheck):
    """A task that includes others."""
