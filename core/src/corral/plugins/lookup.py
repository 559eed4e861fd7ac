"""Base class of lookup plugins (``lookup('file', ...)``, ``with_items``, ``query``)."""
from __future__ import annotations

import os
from typing import Any, Mapping

__all__ = ["LookupBase"]


class LookupBase:
    """A lookup: ``run(terms, variables, **kwargs)`` returns a list of values.

    The kernel creates an instance per use with the run's ``loader`` (a
    :class:`corral.parsing.dataloader.DataLoader`) and ``templar`` (a
    :class:`corral.template.Templar`).  ``terms`` is the list of positional
    arguments (already templated); ``kwargs`` are the keyword arguments.  Raise
    :class:`corral.errors.CorralError` with a clear message on bad input.
    """

    def __init__(self, loader: Any = None, templar: Any = None) -> None:
        self._loader = loader
        self._templar = templar

    def run(self, terms: list[Any], variables: dict[str, Any] | None = None, **kwargs: Any) -> list[Any]:
        raise NotImplementedError

    def find_file_in_search_path(self, variables: Mapping[str, Any] | None, subdir: str,
                                 needle: str, ignore_missing: bool = False) -> str | None:
        """Find ``needle`` as Ansible does: in the role's and playbook's ``subdir``
        (``files``, ``templates``, ``vars``) and directories, then as given."""
        variables = variables or {}
        dirs: list[str] = []
        if os.path.isabs(needle):
            if os.path.exists(needle):
                return needle
            if ignore_missing:
                return None
        role_path = variables.get("role_path")
        if role_path and not os.path.isabs(needle):
            dirs += [os.path.join(role_path, subdir), role_path]
        basedir = self._loader.get_basedir() if self._loader else os.getcwd()
        if not os.path.isabs(needle):
            dirs += [os.path.join(basedir, subdir), basedir]
        for directory in dirs:
            candidate = os.path.join(directory, needle)
            if os.path.exists(candidate):
                return candidate
        if ignore_missing:
            return None
        from corral.errors import CorralFileNotFound
        raise CorralFileNotFound(f"Could not find or access '{needle}' (searched: {', '.join(dirs)})")
