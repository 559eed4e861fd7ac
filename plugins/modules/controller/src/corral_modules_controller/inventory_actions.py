"""``add_host`` and ``group_by``: change the in-memory inventory for the rest of the run."""
from __future__ import annotations

from typing import Any

from corral.errors import CorralError
from corral.plugins.action import ActionBase

__all__ = ["AddHostAction", "GroupByAction"]

class AddHostAction(ActionBase):
    """Add a host (and its groups and variables) to the inventory, once per batch
    (as in Ansible, it bypasses the host loop)."""

    NEEDS_CONNECTION = False
    BYPASS_HOST_LOOP = True
    CHANGES_INVENTORY = True

    def run(self, tmp: str | None = None, task_vars: Any = None) -> dict[str, Any]:
        args = dict(self._task.args)
        name = args.pop("name", None) or args.pop("hostname", None) or args.pop("host", None)
        if not name:
            raise CorralError("name, host or hostname needs to be provided")
        groups: list[str] = []
        for key in ("groups", "group", "groupname"):
            value = args.pop(key, None)
            if value:
                groups += [g.strip() for g in value.split(",")] if isinstance(value, str) else list(value)
        host_vars = {k: v for k, v in args.items() if k != "_raw_params"}
        if ":" in str(name) and str(name).count(":") == 1:
            name, port = str(name).split(":")
            host_vars["ansible_port"] = int(port)
        return {"changed": True, "add_host": {"host_name": str(name), "groups": groups, "host_vars": host_vars}}


class GroupByAction(ActionBase):
    """Put the host into the group named by ``key`` (and its ``parents``)."""

    _VALID_ARGS = frozenset({"key", "parents"})
    NEEDS_CONNECTION = False
    CHANGES_INVENTORY = True

    def run(self, tmp: str | None = None, task_vars: Any = None) -> dict[str, Any]:
        super().run(tmp, task_vars)
        key = self._task.args.get("key")
        if not key:
            raise CorralError("the 'key' param is required when using group_by")
        parents = self._task.args.get("parents", ["all"])
        parents = [parents] if isinstance(parents, str) else list(parents)
        # the key is the name as given, and spaces in the parents' names become dashes (as ansible-core
        # 2.21 does); invalid characters are the inventory's to handle (TRANSFORM_INVALID_GROUP_CHARS)
        group = str(key)
        return {"changed": True, "add_group": group, "parent_groups": [str(p).replace(" ", "-") for p in parents]}
