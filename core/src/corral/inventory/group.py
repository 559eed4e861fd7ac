"""``Group``: a named set of hosts and child groups with variables."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from corral.errors import CorralError

if TYPE_CHECKING:
    from corral.inventory.host import Host

__all__ = ["Group"]


class Group:
    """A group of the inventory.

    ``hosts`` are the hosts listed directly in the group; ``get_hosts()`` adds the
    hosts of every descendant group (breadth first, each host once).  ``depth`` is
    the longest path from ``all``; with ``priority`` (``ansible_group_priority``) and
    the name it orders group variables.  Groups compare and hash by name.
    """

    def __init__(self, name: str) -> None:
        self.name: str = name
        self.depth: int = 0
        self.priority: int = 1
        self.vars: dict[str, Any] = {}
        self.hosts: list[Host] = []
        self._host_names: set[str] = set()
        self.child_groups: list[Group] = []
        self.parent_groups: list[Group] = []
        self._hosts_cache: list[Host] | None = None
        self._ancestors_cache: set[Group] | None = None

    def __repr__(self) -> str:
        return self.name

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Group) and other.name == self.name

    def __hash__(self) -> int:
        return hash(self.name)

    def __getstate__(self) -> dict[str, Any]:
        # Pickled without its hosts and children (see Host.__getstate__).
        return {"name": self.name, "depth": self.depth, "priority": self.priority, "vars": self.vars,
                "parent_groups": self.parent_groups}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["name"])  # type: ignore[misc]
        self.depth = state["depth"]
        self.priority = state["priority"]
        self.vars = state["vars"]
        self.parent_groups = state["parent_groups"]

    def get_name(self) -> str:
        return self.name

    @property
    def host_names(self) -> set[str]:
        return self._host_names

    # -- relationships -----------------------------------------------------------

    def _walk(self, rel: str, include_self: bool = False) -> list[Group]:
        """Groups reachable through ``rel`` breadth first, each once, in list order."""
        ordered: list[Group] = [self] if include_self else []
        seen = {self.name} if include_self else set()
        frontier = [self]
        while frontier:
            following: list[Group] = []
            for group in frontier:
                for other in getattr(group, rel):
                    if other.name not in seen:
                        seen.add(other.name)
                        ordered.append(other)
                        following.append(other)
            frontier = following
        return ordered

    def get_ancestors(self) -> set[Group]:
        """Every group above this one (cached until the graph changes)."""
        if self._ancestors_cache is None:
            self._ancestors_cache = set(self._walk("parent_groups"))
        return set(self._ancestors_cache)

    def get_descendants(self, include_self: bool = False, preserve_ordering: bool = False) -> Any:
        """Every group below this one: a list breadth first when
        ``preserve_ordering``, else a set."""
        found = self._walk("child_groups", include_self)
        return found if preserve_ordering else set(found)

    def add_child_group(self, group: Group) -> bool:
        """Make ``group`` a child; refuse loops; update depths and host ancestries."""
        if group is self or group.name == self.name:
            raise CorralError(f"Cannot add group '{self.name}' to itself.")
        if group in self.child_groups:
            return False
        my_ancestors = self.get_ancestors()
        if group in my_ancestors:
            raise CorralError(f"Adding group '{group.name}' as child to '{self.name}' "
                              f"creates a recursive dependency loop.")
        new_ancestors = (my_ancestors | {self}) - group.get_ancestors()
        self.child_groups.append(group)
        group.parent_groups.append(self)
        for below in group._walk("child_groups", include_self=True):
            below._ancestors_cache = None
        group._deepen(self.depth + 1)
        if new_ancestors:
            additions = list(new_ancestors)
            for host in group.get_hosts():
                host.populate_ancestors(additions)
        self.clear_hosts_cache()
        return True

    def _deepen(self, depth: int) -> None:
        frontier = [(self, depth)]
        while frontier:
            group, level = frontier.pop()
            if group.depth < level:
                group.depth = level
                frontier.extend((child, level + 1) for child in group.child_groups)

    # -- hosts ---------------------------------------------------------------------

    def add_host(self, host: Host) -> bool:
        if host.name in self._host_names:
            return False
        self.hosts.append(host)
        self._host_names.add(host.name)
        host.add_group(self)
        self.clear_hosts_cache()
        return True

    def remove_host(self, host: Host) -> bool:
        if host.name not in self._host_names:
            return False
        self.hosts.remove(host)
        self._host_names.discard(host.name)
        host.remove_group(self)
        self.clear_hosts_cache()
        return True

    def clear_hosts_cache(self) -> None:
        if self._hosts_cache is None and not self.parent_groups:
            return
        self._hosts_cache = None
        for group in self.get_ancestors():
            group._hosts_cache = None

    def get_hosts(self) -> list[Host]:
        """Hosts of this group and its descendants, each once; ``all`` leaves out
        the implicit localhost."""
        if self._hosts_cache is None:
            hosts: list[Host] = []
            seen: set[str] = set()
            skip_implicit = self.name == "all"
            for group in self._walk("child_groups", include_self=True):
                for host in group.hosts:
                    if host.name not in seen:
                        seen.add(host.name)
                        if skip_implicit and host.implicit:
                            continue
                        hosts.append(host)
            self._hosts_cache = hosts
        return self._hosts_cache

    # -- variables -----------------------------------------------------------------

    def set_variable(self, key: str, value: Any) -> None:
        if key == "ansible_group_priority":
            self.set_priority(value)
        else:
            self.vars[key] = value

    def set_priority(self, priority: int | str) -> None:
        try:
            self.priority = int(priority)
        except (TypeError, ValueError):
            pass

    def get_vars(self) -> dict[str, Any]:
        return dict(self.vars)
