"""Ansible-compatible ``get_bin_path`` (``ansible.module_utils.common.process``)."""
from __future__ import annotations

import os

__all__ = ["get_bin_path"]

_EXTRA_DIRS = ["/sbin", "/usr/sbin", "/usr/local/sbin", "/usr/local/bin"]


def get_bin_path(arg: str, opt_dirs: list[str] | None = None, required: bool | None = None) -> str:
    """The full path of the executable ``arg``; raises ``ValueError`` when not found."""
    dirs = list(opt_dirs or []) + os.environ.get("PATH", "").split(os.pathsep) + _EXTRA_DIRS
    for directory in dirs:
        candidate = os.path.join(directory, arg)
        if directory and os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    raise ValueError(f"Failed to find required executable \"{arg}\" in paths: {os.pathsep.join(d for d in dirs if d)}")
