"""``InventoryData``: the hosts and groups of an inventory, and their relations.

Parsers fill it through ``add_group``, ``add_host``, ``add_child`` and
``set_variable``; :class:`InventoryChanges` records the same calls so that a parser
can build a whole source and add it only when the source parsed completely.
"""
from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Mapping
from typing import Any, Callable

from corral.errors import CorralError
from corral.inventory.group import Group
from corral.inventory.group_names import check_group_name
from corral.inventory.host import Host
from corral.utils.unsafe import wrap_unsafe
from corral.vars.combine import merge_mappings

__all__ = ["InventoryData", "InventoryChanges", "LOCALHOST_NAMES"]

#: names that mean the controller itself
LOCALHOST_NAMES: frozenset[str] = frozenset({"localhost", "127.0.0.1", "::1"})


class InventoryData:
    """Hosts and groups by name, with the implicit groups ``all`` and ``ungrouped``.

    ``current_source`` is the source being parsed; a host added while it is set gets
    ``inventory_file``/``inventory_dir`` from the first source that lists it.
    ``warnings`` collects non-fatal problems (a name both host and group...);
    ``notes`` the warnings about group names and their ``-vvvv`` details, in order,
    as ``("warning" | "detail", text)``.  ``group_name_mode`` is
    Ansible's ``TRANSFORM_INVALID_GROUP_CHARS``: what :meth:`add_group` does with a
    name that is not a valid variable name (see :mod:`corral.inventory.group_names`).
    """

    def __init__(self, group_name_mode: str = "never") -> None:
        self.group_name_mode = group_name_mode
        self.groups: dict[str, Group] = {}
        self.hosts: dict[str, Host] = {}
        self.localhost: Host | None = None
        self._current_source: str | None = None
        self._current_dir: str | None = None
        self.processed_sources: list[str] = []
        self.warnings: list[str] = []
        self.notes: list[tuple[str, str]] = []
        self._groups_dict_cache: dict[str, list[str]] = {}
        #: ``hash_behaviour=merge``: a mapping set over a mapping merges into it
        self.merge_hashes = False
        self.add_group("all")
        self.add_group("ungrouped")
        self.add_child("all", "ungrouped")

    @property
    def current_source(self) -> str | None:
        """The source being parsed (hosts added now record it as ``inventory_file``)."""
        return self._current_source

    @current_source.setter
    def current_source(self, source: str | None) -> None:
        self._current_source = source
        self._current_dir = _basedir(source) if source else None

    def _implicit_localhost(self, name: str) -> Host:
        if self.localhost is None:
            host = Host(name)
            host.address = "127.0.0.1"
            host.implicit = True
            host.vars["ansible_python_interpreter"] = sys.executable or "/usr/bin/python3"
            host.vars["ansible_connection"] = "local"
            host.vars = {**self.groups["all"].get_vars(), **host.vars}
            self.localhost = host
        return self.localhost

    def get_host(self, name: str) -> Host | None:
        """The host ``name``; a localhost name that is not listed gives the
        implicit localhost (local connection, this Python)."""
        host = self.hosts.get(name)
        if host is None and name in LOCALHOST_NAMES:
            host = self._implicit_localhost(name)
        return host

    def safe_group_name(self, name: str) -> str:
        """The name a group called ``name`` gets under ``group_name_mode``; the
        warning and detail it calls for are recorded in ``notes``."""
        checked = check_group_name(name, self.group_name_mode)
        if checked.detail is not None:
            self.notes.append(("detail", checked.detail))
        if checked.warning is not None:
            self.notes.append(("warning", checked.warning))
        return checked.name

    def add_group(self, name: str) -> str:
        """Add the group ``name`` unless it exists; return its name (invalid
        characters replaced when ``group_name_mode`` says so)."""
        if not name or not isinstance(name, str):
            raise CorralError(f"Invalid empty/false group name provided: {name!r}")
        name = self.safe_group_name(name)
        if name not in self.groups:
            self.groups[name] = Group(name)
            self._groups_dict_cache = {}
        return name

    def add_host(self, name: str, group: str | None = None, port: int | str | None = None) -> str:
        """Add the host ``name`` (and put it in ``group`` when given); return the name.
        ``port`` sets ``ansible_port`` when the host is new (a host listed again
        keeps its first port, as in Ansible)."""
        if not name or not isinstance(name, str):
            raise CorralError(f"Invalid empty host name provided: {name!r}")
        target = None
        if group:
            target = self.groups.get(group)
            if target is None:
                raise CorralError(f"Could not find group {group} in inventory")
        host = self.hosts.get(name)
        if host is None:
            host = Host(name, port)
            self.hosts[name] = host
            host.vars["inventory_file"] = self._current_source
            host.vars["inventory_dir"] = self._current_dir
            if name in LOCALHOST_NAMES:
                if self.localhost is None or self.localhost.implicit:
                    self.localhost = host
                else:
                    self.warnings.append(f"A duplicate localhost-like entry was found ({name}). "
                                         f"First found localhost was {self.localhost.name}")
        if target is not None:
            target.add_host(host)
            self._groups_dict_cache = {}
        return name

    def remove_host(self, host: Host) -> None:
        self.hosts.pop(host.name, None)
        for group in list(host.groups):
            group.remove_host(host)
        self._groups_dict_cache = {}

    def remove_group(self, group: Group) -> None:
        self.groups.pop(group.name, None)
        for host in list(group.hosts):
            group.remove_host(host)
        self._groups_dict_cache = {}

    def set_variable(self, entity: str, key: str, value: Any) -> None:
        """Set ``key`` on the group or host named ``entity`` (groups first); with
        :attr:`merge_hashes` a mapping set over a mapping is merged into it."""
        self.set_variables(entity, ((key, value),))

    def set_variables(self, entity: str, items: Iterable[tuple[str, Any]]) -> None:
        """:meth:`set_variable` for each ``(key, value)`` of ``items``, in order."""
        target: Group | Host
        if entity in self.groups:
            target = self.groups[entity]
        elif entity in self.hosts:
            target = self.hosts[entity]
        else:
            raise CorralError(f"Could not identify group or host named {entity}")
        for key, value in items:
            if self.merge_hashes:
                current = target.vars.get(key)
                if isinstance(current, Mapping) and isinstance(value, Mapping):
                    value = merge_mappings(current, value)
            target.set_variable(key, value)

    def add_child(self, group: str, child: str) -> bool:
        """Put the group or host ``child`` into ``group``."""
        parent = self.groups.get(group)
        if parent is None:
            raise CorralError(f"{group} is not a known group")
        if child in self.groups:
            added = parent.add_child_group(self.groups[child])
        elif child in self.hosts:
            added = parent.add_host(self.hosts[child])
        else:
            raise CorralError(f"{child} is not a known host nor group")
        self._groups_dict_cache = {}
        return added

    def reconcile_inventory(self) -> None:
        """Apply the rules every inventory follows after sources were added:
        every group descends from ``all``; hosts in no other group are in
        ``ungrouped`` (and only those); the implicit localhost gets ``all``'s vars."""
        self.current_source = None
        all_group = self.groups["all"]
        ungrouped = self.groups["ungrouped"]
        for group in list(self.groups.values()):
            if group is not all_group and not group.parent_groups:
                self.add_child("all", group.name)
        for host in self.hosts.values():
            groups = host.groups
            if ungrouped in groups:
                if any(g is not all_group and g is not ungrouped for g in groups):
                    ungrouped.remove_host(host)
            elif not host.implicit and (not groups or (len(groups) == 1 and groups[0] is all_group)):
                self.add_child("ungrouped", host.name)
            if host.implicit:
                host.vars = {**all_group.get_vars(), **host.vars}
        for name in self.hosts.keys() & self.groups.keys():
            self.warnings.append(f"Found both group and host with same name: {name}")
        self._groups_dict_cache = {}

    def get_groups_dict(self) -> dict[str, list[str]]:
        """``{group: [host names]}`` for every group (the ``groups`` magic variable)."""
        if not self._groups_dict_cache:
            # names are data, never templates: add_host/group_by may take them from a host
            self._groups_dict_cache = wrap_unsafe({name: [h.name for h in group.get_hosts()]
                                                   for name, group in self.groups.items()})
        return self._groups_dict_cache


class InventoryChanges:
    """Records inventory changes to apply them all at once.

    It offers the writing methods of :class:`InventoryData` (``add_group``,
    ``add_host``, ``add_child``, ``set_variable``) and ``has_group``/``has_host``,
    which see both the target inventory and what was recorded.  A parser records a
    whole source, then calls :meth:`apply`; if it raises first, the inventory is
    unchanged.
    """

    def __init__(self, inventory: InventoryData) -> None:
        self.inventory = inventory
        self._ops: list[tuple[Callable[..., Any], tuple[Any, ...]]] = []
        self._groups: set[str] = set()
        self._hosts: set[str] = set()

    def has_group(self, name: str) -> bool:
        return name in self._groups or name in self.inventory.groups

    def has_host(self, name: str) -> bool:
        return name in self._hosts or name in self.inventory.hosts

    def _group(self, name: str) -> str:
        """The name a group recorded as ``name`` was given (a parser may go on
        naming it as its source does); any other name as it is."""
        if self.has_group(name) or self.has_host(name):
            return name
        safe = check_group_name(name, self.inventory.group_name_mode).name
        return safe if self.has_group(safe) else name

    def add_group(self, name: str) -> str:
        """Record adding the group ``name``; return the name it will have (see
        :meth:`InventoryData.add_group`)."""
        if not name or not isinstance(name, str):
            raise CorralError(f"Invalid empty/false group name provided: {name!r}")
        self._ops.append((InventoryData.add_group, (name,)))
        name = check_group_name(name, self.inventory.group_name_mode).name
        self._groups.add(name)
        return name

    def add_host(self, name: str, group: str | None = None, port: int | str | None = None) -> str:
        if not name or not isinstance(name, str):
            raise CorralError(f"Invalid empty host name provided: {name!r}")
        group = self._group(group) if group else group
        if group and not self.has_group(group):
            raise CorralError(f"Could not find group {group} in inventory")
        self._hosts.add(name)
        self._ops.append((InventoryData.add_host, (name, group, port)))
        return name

    def add_hosts(self, pattern: str, group: str | None = None, variables: Any = None,
                  source: str = "") -> list[str]:
        """Add every host a host pattern names (``web[01:03]``, ``db1:2222``) to
        ``group`` with ``variables``, as Ansible's inventory plugins populate hosts;
        returns the names.  A bad pattern raises :class:`CorralParserError` naming
        ``source`` and the pattern."""
        from corral.errors import CorralParserError
        from corral.inventory.addresses import expand_hostpattern
        try:
            names, port = expand_hostpattern(pattern)
        except CorralError as exc:
            raise CorralParserError(f"{source}: host '{pattern}': {exc.message}") from None
        for host in names:
            self.add_host(host, group=group, port=port)
            for key, value in (variables or {}).items():
                self.set_variable(host, key, value)
        return names

    def add_child(self, group: str, child: str) -> None:
        group, child = self._group(group), self._group(child)
        if not self.has_group(group):
            raise CorralError(f"{group} is not a known group")
        if not (self.has_group(child) or self.has_host(child)):
            raise CorralError(f"{child} is not a known host nor group")
        self._ops.append((InventoryData.add_child, (group, child)))

    def set_variable(self, entity: str, key: str, value: Any) -> None:
        self.set_variables(entity, ((key, value),))

    def set_variables(self, entity: str, items: Iterable[tuple[str, Any]]) -> None:
        """Record setting each ``(key, value)`` of ``items`` on ``entity``, in order
        (one record, however many: a host line's variables)."""
        entity = self._group(entity)
        if not (self.has_group(entity) or self.has_host(entity)):
            raise CorralError(f"Could not identify group or host named {entity}")
        self._ops.append((InventoryData.set_variables, (entity, tuple(items))))

    def apply(self) -> None:
        """Apply every recorded change to the inventory, in order."""
        inventory = self.inventory
        for method, args in self._ops:
            method(inventory, *args)
        self._ops = []


def _basedir(source: str) -> str | None:
    """The directory of an inventory source: itself, its file's folder, or None
    for a source that is not a path (``"a,b,"``)."""
    if os.path.isdir(source):
        return os.path.abspath(source)
    if os.path.isfile(source):
        return os.path.dirname(os.path.abspath(source))
    return None
