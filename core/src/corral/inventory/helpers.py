"""Helpers shared by the inventory manager and inventory plugins."""
from __future__ import annotations

from typing import Any, Iterable

from corral.inventory.group import Group

__all__ = ["sort_groups", "get_group_vars", "combine_vars"]


def sort_groups(groups: Iterable[Group]) -> list[Group]:
    """Groups in variable precedence order: depth, then priority, then name."""
    return sorted(groups, key=lambda g: (g.depth, g.priority, g.name))


def combine_vars(*layers: dict[str, Any]) -> dict[str, Any]:
    """Later layers replace earlier keys (Ansible's default ``hash_behaviour``)."""
    result: dict[str, Any] = {}
    for layer in layers:
        if layer:
            result.update(layer)
    return result


def get_group_vars(groups: Iterable[Group]) -> dict[str, Any]:
    """The inventory variables of ``groups`` merged in precedence order."""
    result: dict[str, Any] = {}
    for group in sort_groups(groups):
        result.update(group.vars)
    return result
