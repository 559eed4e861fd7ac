"""``ansible.playbook.task``: corral's ``Task``."""
from __future__ import annotations

from corral.playbook.task import Task

__all__ = ["Task"]
