"""Ansible-compatible ``get_bin_path`` (``ansible.module_utils.common.process``)."""
from __future__ import annotations

import os

__all__ = ["get_bin_path", "search_dirs"]

#: searched after PATH when PATH does not have them (commands of root, e.g. ``modprobe``)
_SBIN_DIRS = ("/sbin", "/usr/sbin", "/usr/local/sbin")


def search_dirs(opt_dirs: list[str] | None = None) -> list[str]:
    """Where executables are looked for, in order: ``opt_dirs``, PATH, then the sbin
    directories PATH lacks."""
    dirs = [d for d in opt_dirs or () if d] + [d for d in os.environ.get("PATH", "").split(os.pathsep) if d]
    return dirs + [d for d in _SBIN_DIRS if d not in dirs]


def get_bin_path(arg: str, opt_dirs: list[str] | None = None, required: bool | None = None) -> str:
    """The full path of the executable ``arg``; raises ``ValueError`` when not found."""
    dirs = search_dirs(opt_dirs)
    for directory in dirs:
        candidate = os.path.join(directory, arg)
        if os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    raise ValueError(f"Failed to find required executable \"{arg}\" in paths: {os.pathsep.join(dirs)}")
