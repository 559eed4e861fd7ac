"""Where a task's relative file names are looked for, as Ansible does.

A task's own search path is its role's directory (when it has a role), then the
directory of the file that holds the task.  Each directory ``D`` of it is tried as
``D/<subdir>/<name>`` (``files``, ``templates``, ``vars``...; not when the name
already starts with that subdirectory) and ``D/<name>``, and the loader's base
directory (the playbook's) the same way last.  Lookups see the search path, with the
playbook's directory at its end, as the variable ``ansible_search_path``.
"""
from __future__ import annotations

import os
from typing import Any

__all__ = ["task_search_path", "candidate_paths"]


def task_search_path(task: Any) -> list[str]:
    """The directories of ``task``'s own search path, each once, absolute."""
    found: list[str] = []
    role = getattr(task, "_role", None)
    pos = getattr(task, "ansible_pos", None)
    task_dir = os.path.dirname(pos[0]) if pos and pos[0] else None
    for path in (role.path if role is not None else None, task_dir):
        if path and os.path.abspath(path) not in found:
            found.append(os.path.abspath(path))
    return found


def candidate_paths(search_path: list[str], subdir: str, needle: str, basedir: str) -> list[str]:
    """The files tried for ``needle``, in order (see the module documentation); a
    directory that is in the search path and is the base directory is tried twice,
    as Ansible lists it."""
    with_subdir = needle.split("/")[0] != subdir
    candidates: list[str] = []
    for base in [*search_path, basedir]:
        if with_subdir:
            candidates.append(os.path.join(base, subdir, needle))
        candidates.append(os.path.join(base, needle))
    return candidates
