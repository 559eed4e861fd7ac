"""``ansible.vars.hostvars``: the ``hostvars`` mapping."""
from __future__ import annotations

from corral.vars.manager import HostVars, HostVarsVars

__all__ = ["HostVars", "HostVarsVars"]
