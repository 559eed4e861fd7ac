"""``ansible.playbook.play``: corral's ``Play``."""
from __future__ import annotations

from corral.playbook.play import Play

__all__ = ["Play"]
