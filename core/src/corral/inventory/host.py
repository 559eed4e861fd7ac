"""``Host``: one inventory host, its own inventory variables and its groups."""
from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from corral.inventory.group import Group

__all__ = ["Host"]

_IP_LIKE = re.compile(r"^(?:\d{1,3}(?:\.\d{1,3}){3}|[0-9a-fA-F:]*:[0-9a-fA-F:.]*)$")


class Host:
    """A host of the inventory.

    ``vars`` holds the variables set on the host by inventory sources (not those
    of its groups); ``groups`` lists every group the host belongs to, ancestors
    included, in the order they were joined.  Hosts compare and hash by name.
    ``implicit`` marks the localhost that is created on demand when it is targeted
    without being listed.
    """

    __slots__ = ("name", "address", "vars", "groups", "implicit", "_group_set")

    def __init__(self, name: str, port: int | str | None = None) -> None:
        self.name: str = name
        self.address: str = name
        self.vars: dict[str, Any] = {}
        self.groups: list[Group] = []
        self._group_set: set[str] = set()
        self.implicit: bool = False
        if port:
            self.vars["ansible_port"] = int(port)

    def __repr__(self) -> str:
        return self.name

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Host) and other.name == self.name

    def __hash__(self) -> int:
        return hash(self.name)

    def __getstate__(self) -> dict[str, Any]:
        # A pickled host carries its groups (and their ancestors) without the
        # other hosts of those groups, so sending a host to a worker stays small.
        return {"name": self.name, "address": self.address, "vars": self.vars,
                "groups": self.groups, "implicit": self.implicit}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.name = state["name"]
        self.address = state["address"]
        self.vars = state["vars"]
        self.groups = state["groups"]
        self._group_set = {g.name for g in self.groups}
        self.implicit = state["implicit"]

    def get_name(self) -> str:
        return self.name

    def get_groups(self) -> list[Group]:
        """Every group of the host, ancestors included."""
        return self.groups

    def set_variable(self, key: str, value: Any) -> None:
        self.vars[key] = value

    def get_vars(self) -> dict[str, Any]:
        """The host's own variables plus ``inventory_hostname``,
        ``inventory_hostname_short`` and ``group_names``."""
        result = dict(self.vars)
        result.update(self.get_magic_vars())
        return result

    def get_magic_vars(self) -> dict[str, Any]:
        short = self.name if _IP_LIKE.match(self.name) else self.name.split(".")[0]
        return {
            "inventory_hostname": self.name,
            "inventory_hostname_short": short,
            "group_names": sorted(g.name for g in self.groups if g.name != "all"),
        }

    def add_group(self, group: Group) -> bool:
        """Join ``group`` and its ancestors; return whether ``group`` was new."""
        for ancestor in group.get_ancestors():
            if ancestor.name not in self._group_set:
                self._group_set.add(ancestor.name)
                self.groups.append(ancestor)
        if group.name in self._group_set:
            return False
        self._group_set.add(group.name)
        self.groups.append(group)
        return True

    def populate_ancestors(self, additions: list[Group]) -> None:
        for group in additions:
            if group.name not in self._group_set:
                self._group_set.add(group.name)
                self.groups.append(group)

    def remove_group(self, group: Group) -> bool:
        """Leave ``group``, and each ancestor no other group of the host still needs."""
        if group.name not in self._group_set:
            return False
        self.groups.remove(group)
        self._group_set.discard(group.name)
        for ancestor in group.get_ancestors():
            if ancestor.name == "all":
                continue
            if not any(ancestor in other.get_ancestors() for other in self.groups):
                self.remove_group(ancestor)
        return True
