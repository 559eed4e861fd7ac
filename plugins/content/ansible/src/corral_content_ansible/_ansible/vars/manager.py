"""``ansible.vars.manager``: corral's ``VariableManager``."""
from __future__ import annotations

from corral.vars.manager import VariableManager

__all__ = ["VariableManager"]
