"""The vars plugin contract: variables for inventory hosts and groups from outside
the inventory source (``group_vars``/``host_vars`` folders, a database, ...).

A vars plugin provides a subclass of :class:`VarsBase` through the
``corral_vars(name)`` hook.  The kernel creates one instance per inventory, with
its resolved options, and asks it for the variables of hosts and groups beside
each inventory source and beside the playbook (:mod:`corral.inventory.vars_plugins`).
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from corral.plugins.options import Option

if TYPE_CHECKING:
    from corral.inventory.group import Group
    from corral.inventory.host import Host
    from corral.parsing.dataloader import DataLoader

__all__ = ["VarsBase", "STAGES"]

#: when a vars plugin may run: ``inventory`` (while the inventory is read and
#: shown: ``corral-inventory``, ``constructed``), ``task`` (when a task's
#: variables are built), ``all`` (both)
STAGES = ("all", "task", "inventory")


class VarsBase:
    """Base class of vars plugins.

    Contract:

    - ``__init__(options)`` receives the plugin's resolved options (declared in
      ``OPTIONS`` or a ``DOCUMENTATION`` string, :mod:`corral.plugins.options`);
      ``get_option(name)`` reads one.  Every plugin has ``stage`` (one of
      :data:`STAGES`, or ``None``: then ``[defaults] run_vars_plugins`` decides:
      ``demand``, the default, runs plugins for tasks and ``corral-inventory``,
      ``start`` while the inventory is read).  A plugin declares where ``stage``
      may be set by overriding it in its ``OPTIONS``.
    - ``get_vars(loader, path, entities)`` returns the variables of ``entities``
      (:class:`corral.inventory.host.Host` and :class:`corral.inventory.group.Group`
      objects, in precedence order: a later entity's value wins) that this plugin
      finds for the directory ``path`` (an inventory source's directory, or the
      playbook's).  ``loader`` is the run's
      :class:`corral.parsing.dataloader.DataLoader` (vault-aware file reading).
      Return one merged dict (empty when there is nothing); the kernel merges it
      over earlier plugins' and paths' results and never changes it, so it may be
      cached.  Values are trusted like the inventory (they may hold templates).
      Raise :class:`corral.errors.CorralParserError` for a malformed source.
    - ``REQUIRES_ENABLED``: ``True`` (the default) runs the plugin only when
      ``[defaults] vars_plugins_enabled`` names it; ``False`` runs it whenever it
      is installed.
    - Instances are used from several threads: guard caches with a lock.
    """

    REQUIRES_ENABLED: ClassVar[bool] = True
    OPTIONS: ClassVar[dict[str, Option]] = {
        "stage": Option("stage", None, "str", choices=STAGES,
                        description="When the plugin runs: all, task or inventory (default: run_vars_plugins)."),
    }

    def __init__(self, options: Mapping[str, Any] | None = None) -> None:
        self._options = dict(options or {})

    def get_option(self, name: str) -> Any:
        """The resolved value of the option ``name`` (``None`` when not declared)."""
        return self._options.get(name)

    def get_vars(self, loader: DataLoader, path: str, entities: Sequence[Host | Group]) -> dict[str, Any]:
        raise NotImplementedError
