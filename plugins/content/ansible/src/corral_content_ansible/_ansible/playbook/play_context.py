"""``ansible.playbook.play_context``: the settings of a task on a host (corral's)."""
from __future__ import annotations

from corral.plugins.action import PlayContext

__all__ = ["PlayContext"]
