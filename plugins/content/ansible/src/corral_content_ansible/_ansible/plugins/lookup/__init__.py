"""``ansible.plugins.lookup``: ``LookupBase`` for lookups written for Ansible.

It is a :class:`corral.plugins.lookup.LookupBase` (the kernel builds it with the
run's ``loader`` and ``templar`` and calls ``run(terms, variables, **kwargs)``) with
Ansible's options (``set_options(var_options=..., direct=kwargs)``, ``get_option``)
and helpers.
"""
from __future__ import annotations

import collections
import functools
import os
from collections.abc import Callable, Mapping
from typing import Any

from corral.plugins.lookup import LookupBase as _KernelLookupBase

from ansible.errors import AnsibleFileNotFound
from ansible.plugins import AnsiblePlugin
from ansible.template import Templar

__all__ = ["LookupBase"]


def _with_variables_as_a_dict(run: Callable[..., Any]) -> Callable[..., Any]:
    """``run`` receiving the run's (lazily rendered) variables as a mutable mapping
    with ``copy()``, as Ansible's lookups get a dict; what the lookup sets stays its own."""
    @functools.wraps(run)
    def wrapper(self: Any, terms: Any, variables: Any = None, **kwargs: Any) -> Any:
        if variables is not None and not isinstance(variables, dict):
            variables = collections.ChainMap({}, variables)
        return run(self, terms, variables, **kwargs)
    return wrapper


class LookupBase(AnsiblePlugin, _KernelLookupBase):
    """Ansible's lookup base class."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "run" in cls.__dict__:
            setattr(cls, "run", _with_variables_as_a_dict(cls.__dict__["run"]))

    def __init__(self, loader: Any = None, templar: Any = None, **kwargs: Any) -> None:
        AnsiblePlugin.__init__(self)
        _KernelLookupBase.__init__(self, loader=loader, templar=Templar.of(templar))

    def get_basedir(self, variables: Mapping[str, Any] | None) -> str:
        """The role's directory when the lookup runs in a role, else the playbook's."""
        if variables and "role_path" in variables:
            return str(variables["role_path"])
        return str(self._loader.get_basedir()) if self._loader is not None else os.getcwd()

    @staticmethod
    def _flatten(terms: Any) -> list[Any]:
        """``terms`` with nested lists and tuples flattened one level per nesting."""
        flat: list[Any] = []
        for term in terms:
            if isinstance(term, (list, tuple)):
                flat.extend(LookupBase._flatten(term))
            else:
                flat.append(term)
        return flat

    @staticmethod
    def _combine(a: Any, b: Any) -> list[Any]:
        """Every pair of an element of ``a`` and one of ``b``, as flat lists."""
        return [LookupBase._flatten([x, y]) for x in a for y in b]

    @staticmethod
    def _flatten_hash_to_list(terms: Mapping[str, Any]) -> list[dict[str, Any]]:
        """``{"key": k, "value": v}`` for each item of ``terms``."""
        return [{"key": key, "value": value} for key, value in terms.items()]

    def find_file_in_search_path(self, myvars: Mapping[str, Any] | None, subdir: str, needle: str,
                                 ignore_missing: bool = False) -> str | None:
        """Find ``needle`` in the role's and playbook's ``subdir`` and directories;
        ``AnsibleFileNotFound`` when it is nowhere (unless ``ignore_missing``)."""
        found = _KernelLookupBase.find_file_in_search_path(self, myvars, subdir, needle, ignore_missing=True)
        if found is None and not ignore_missing:
            raise AnsibleFileNotFound(file_name=needle)
        return found

