"""``vars``: every variable of a task, as one mapping (Ansible's ``vars`` variable)."""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

__all__ = ["VarsView"]


class VarsView(Mapping[str, Any]):
    """A read-only view of a variable mapping without its own ``vars`` key: what
    ``VariableManager.get_vars(...)["vars"]`` is, as callbacks written for Ansible
    read it (``get_vars(play=play)["vars"]["ansible_play_hosts_all"]``).  Values are
    as stored (untemplated); a template's ``vars`` is the templar's own view."""

    def __init__(self, variables: Mapping[str, Any]) -> None:
        self._variables = variables

    def __getitem__(self, key: str) -> Any:
        if key == "vars":
            raise KeyError(key)
        return self._variables[key]

    def __iter__(self) -> Iterator[str]:
        return (key for key in self._variables if key != "vars")

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def __repr__(self) -> str:
        return f"VarsView({dict(self)!r})"
