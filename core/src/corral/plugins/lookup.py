"""Base class of lookup plugins (``lookup('file', ...)``, ``with_items``, ``query``)."""
from __future__ import annotations

import os
from typing import Any, Mapping

from corral.playbook.search_path import candidate_paths

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

    def search_paths(self, variables: Mapping[str, Any] | None) -> list[str]:
        """The task's ``ansible_search_path`` (its role's directory, the directory of
        its tasks file, the playbook's directory); without it (a templar used
        outside a run), ``role_path`` if set and the loader's base directory."""
        variables = variables if variables is not None else {}
        paths = variables["ansible_search_path"] if "ansible_search_path" in variables else None
        if isinstance(paths, (list, tuple)) and paths:
            return [str(path) for path in paths]
        role_path = variables["role_path"] if "role_path" in variables else None
        return ([str(role_path)] if role_path else []) + [self._loader.get_basedir() if self._loader else os.getcwd()]

    def search_candidates(self, variables: Mapping[str, Any] | None, subdir: str, needle: str) -> list[str]:
        """Where a relative ``needle`` is looked for, in Ansible's order: for each
        search path, ``PATH/subdir/needle`` then ``PATH/needle``, then the same
        under the loader's base directory (:mod:`corral.playbook.search_path`)."""
        basedir = self._loader.get_basedir() if self._loader else os.getcwd()
        return candidate_paths(self.search_paths(variables), subdir, needle, basedir)

    def find_file_in_search_path(self, variables: Mapping[str, Any] | None, subdir: str,
                                 needle: str, ignore_missing: bool = False) -> str | None:
        """Find ``needle`` as Ansible does (:meth:`search_candidates`); an absolute
        or ``~`` name is taken as it is.  A miss is ``None`` with ``ignore_missing``,
        else :class:`corral.errors.CorralFileNotFound`."""
        needle = os.path.expanduser(needle)
        candidates = [needle] if os.path.isabs(needle) else self.search_candidates(variables, subdir, needle)
        for candidate in candidates:
            if os.path.exists(candidate):
                return candidate
        if ignore_missing:
            return None
        from corral.errors import CorralFileNotFound
        raise CorralFileNotFound(f"Could not find or access '{needle}' (searched: {', '.join(candidates)})")

