"""Base class of inventory source parsers."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple

if TYPE_CHECKING:
    from corral.inventory.data import InventoryData
    from corral.parsing.dataloader import DataLoader

__all__ = ["DEFAULT_ENABLED_PLUGINS", "InventoryPlugin", "InventoryCheck"]

#: the default ``[inventory] enable_plugins``: the parsers tried on each source, in
#: order (Ansible's).  ``auto`` hands a YAML source with ``plugin: NAME`` to the
#: installed parser ``NAME``, enabled or not.
DEFAULT_ENABLED_PLUGINS: tuple[str, ...] = ("host_list", "script", "auto", "yaml", "ini", "toml")


class InventoryCheck(NamedTuple):
    """What an inventory plugin's checker found in one source (the
    ``corral_inventory_check`` hook): ``checker`` is the parser's ``NAME``;
    ``problems`` break the source's format (loading would fail or misread it);
    ``notes`` are forms that work but are deprecated; ``passed`` is the line shown
    after the source's name when there is no problem."""

    checker: str
    problems: list[str]
    notes: list[str]
    passed: str = "OK, no problems found."


class InventoryPlugin:
    """Parses one kind of inventory source into an :class:`InventoryData`.

    Contract:

    - ``NAME`` is the parser's name (``ini``, ``yaml``, ``script``, ``constructed``);
      a YAML source with ``plugin: NAME`` goes to the parser of that name.
    - ``verify_source(source)`` says, cheaply and without side effects, whether this
      parser should try ``source`` (a path, or a string such as ``"a,b,"``).
    - ``parse(inventory, loader, source)`` adds hosts, groups and variables to
      ``inventory``.  On bad input it raises :class:`corral.errors.CorralParserError`
      naming the source and line; the kernel then tries the next parser and, when
      none succeeds, reports every parser's error for that source.  A parse must not
      leave half a source behind when it fails: build, then add.  ``options`` carries
      ``cache``, ``plugins`` (the run's PluginManager), ``parsers`` (the enabled
      parsers, for parsers that delegate) and ``vars_plugins(entities)`` (what the
      vars plugins, such as ``host_group_vars``, give these hosts or groups beside
      the sources parsed so far, for constructed-style parsers).
    - To warn without failing, append a message to ``inventory.warnings``.
    - A plugin may offer a checker for its sources (``corral-inventory
      --check-script``) through the ``corral_inventory_check`` hook.
    """

    NAME: ClassVar[str] = ""

    def verify_source(self, source: str) -> bool:
        raise NotImplementedError

    def parse(self, inventory: InventoryData, loader: DataLoader, source: str, **options: Any) -> None:
        raise NotImplementedError
