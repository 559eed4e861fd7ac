"""``ansible.utils.path``: paths on the controller."""
from __future__ import annotations

import os

__all__ = ["unfrackpath", "makedirs_safe", "cleanup_tmp_file", "basedir"]


def unfrackpath(path: str, follow: bool = True, basedir: str | None = None) -> str:
    """``path`` with ``~`` and variables expanded, absolute (against ``basedir``),
    normalized, and with links resolved when ``follow``."""
    expanded = os.path.expanduser(os.path.expandvars(path))
    if not os.path.isabs(expanded):
        base = basedir or os.getcwd()
        if os.path.isfile(base):
            base = os.path.dirname(base)
        expanded = os.path.join(base, expanded)
    return os.path.realpath(expanded) if follow else os.path.normpath(expanded)


def makedirs_safe(path: str, mode: int | None = None) -> None:
    """Create ``path`` and its parents; an existing directory is fine."""
    rpath = unfrackpath(path)
    if mode is None:
        os.makedirs(rpath, exist_ok=True)
    else:
        os.makedirs(rpath, mode=mode, exist_ok=True)


def cleanup_tmp_file(path: str, warn: bool = False) -> None:
    """Remove the file or directory ``path`` if it exists."""
    import shutil
    if os.path.isdir(path):
        shutil.rmtree(path, ignore_errors=True)
    elif os.path.exists(path):
        os.unlink(path)


def basedir(source: str) -> str:
    """The directory of ``source`` (itself when it is a directory)."""
    return source if os.path.isdir(source) else os.path.dirname(os.path.abspath(source))
