"""``ansible.module_utils.facts.compat``: the facts a module can gather for itself.

corral gathers facts with its ``setup`` module on the controller's request; a
module calling ``ansible_facts(module)`` here gets the basic ones it needs to
decide what to do: the system, the distribution and Python.
"""
from __future__ import annotations

import os
import platform
import sys
# typing is only for annotations (never evaluated): importing it costs the target time
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

from ansible.module_utils.common.sys_info import (get_distribution, get_distribution_codename,
                                                  get_distribution_version)

__all__ = ["ansible_facts", "get_all_facts"]


def ansible_facts(module: Any, gather_subset: Any = None) -> dict[str, Any]:
    """Facts without the ``ansible_`` prefix: ``system``, ``kernel``, ``machine``,
    ``architecture``, ``os_family``-like ``distribution*``, ``python``, ``hostname``..."""
    version = get_distribution_version() or ""
    major = version.split(".")[0] if version else ""
    return {
        "system": platform.system(), "kernel": platform.release(), "machine": platform.machine(),
        "architecture": platform.machine(), "hostname": platform.node().split(".")[0],
        "nodename": platform.node(), "fqdn": platform.node(),
        "distribution": get_distribution() or platform.system(), "distribution_version": version,
        "distribution_major_version": major, "distribution_release": get_distribution_codename() or "",
        "python": {"executable": sys.executable, "version": {
            "major": sys.version_info[0], "minor": sys.version_info[1], "micro": sys.version_info[2],
            "releaselevel": sys.version_info[3], "serial": sys.version_info[4]}},
        "python_version": platform.python_version(), "user_id": os.environ.get("USER", ""),
        "env": dict(os.environ),
    }


def get_all_facts(module: Any) -> dict[str, Any]:
    """:func:`ansible_facts` with the ``ansible_`` prefix."""
    return {f"ansible_{key}": value for key, value in ansible_facts(module).items()}
