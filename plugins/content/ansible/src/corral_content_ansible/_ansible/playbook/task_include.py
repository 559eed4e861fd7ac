"""``ansible.playbook.task_include``: an include is a task under corral."""
from __future__ import annotations

from corral.playbook.task import Task as TaskInclude

__all__ = ["TaskInclude"]
