"""``ansible.plugins.loader``: the ``*_loader`` objects plugins use to reach other
plugins by name (``lookup_loader.get("ns.coll.x", loader=..., templar=...)``).

Under corral a loader finds the plugins of collections (by fully qualified name,
in the collection roots of the run) and returns instances of their Ansible classes.
``find_plugin`` also finds corral's own modules and actions (``ansible.builtin.copy``,
``copy``: installed corral plugins); ``get`` does not return those (they are not
Ansible classes) and gives ``None``, as Ansible's does for a name it cannot find.
"""
from __future__ import annotations

import importlib
import inspect
import threading
from typing import Any

_lock = threading.Lock()
_installed: list[Any] = []


def _installed_plugins() -> Any:
    """The installed corral plugins (one plugin manager for the process, made on first use)."""
    from corral.plugins.manager import PluginManager
    with _lock:
        if not _installed:
            _installed.append(PluginManager())
        return _installed[0]

__all__ = ["PluginLoader", "action_loader", "become_loader", "cache_loader", "callback_loader",
           "cliconf_loader", "connection_loader", "doc_fragment_loader", "filter_loader", "httpapi_loader",
           "inventory_loader", "lookup_loader", "module_loader", "netconf_loader", "shell_loader",
           "strategy_loader", "terminal_loader", "test_loader", "vars_loader"]


class PluginLoader:
    """The plugins of one kind: ``get``, ``find_plugin``, ``has_plugin``."""

    def __init__(self, class_name: str, subdir: str) -> None:
        self.class_name = class_name
        self.subdir = subdir

    def _module(self, name: str) -> Any:
        parts = name.split(".")
        if len(parts) < 3 or parts[0] in ("ansible", "corral") and parts[1] in ("builtin", "legacy"):
            return None
        try:
            return importlib.import_module(f"ansible_collections.{parts[0]}.{parts[1]}.plugins.{self.subdir}."
                                           f"{'.'.join(parts[2:])}")
        except ImportError:
            return None

    def find_plugin(self, name: str, mod_type: str = "", ignore_deprecated: bool = False,
                    check_aliases: bool = False, collection_list: Any = None) -> str | None:
        """The file of plugin ``name``, or ``None``."""
        module = self._module(name)
        if module is not None:
            return getattr(module, "__file__", None)
        return self._corral_file(name)

    def _corral_file(self, name: str) -> str | None:
        """The file of corral's own module or action ``name`` (short, ``ansible.builtin.``
        or ``ansible.legacy.``), or ``None``."""
        kind = {"modules": "module", "action": "action"}.get(self.subdir)
        parts = name.split(".")
        if kind is None or (len(parts) != 1 and parts[:2] not in (["ansible", "builtin"], ["ansible", "legacy"])):
            return None
        found = _installed_plugins().resolve(kind, parts[-1])
        if found is None:
            return None
        path = getattr(found, "path", None)
        return str(path) if path else inspect.getfile(found)

    def has_plugin(self, name: str, collection_list: Any = None) -> bool:
        return self.find_plugin(name) is not None

    __contains__ = has_plugin

    def get(self, name: str, *args: Any, **kwargs: Any) -> Any:
        """An instance of plugin ``name`` built with ``args``/``kwargs``, or ``None``."""
        module = self._module(name)
        cls = getattr(module, self.class_name, None) if module is not None and self.class_name else None
        if cls is None:
            return None
        kwargs.pop("class_only", None)
        plugin = cls(*args, **kwargs)
        plugin._load_name = name
        return plugin


action_loader = PluginLoader("ActionModule", "action")
become_loader = PluginLoader("BecomeModule", "become")
cache_loader = PluginLoader("CacheModule", "cache")
callback_loader = PluginLoader("CallbackModule", "callback")
cliconf_loader = PluginLoader("Cliconf", "cliconf")
connection_loader = PluginLoader("Connection", "connection")
doc_fragment_loader = PluginLoader("ModuleDocFragment", "doc_fragments")
filter_loader = PluginLoader("FilterModule", "filter")
httpapi_loader = PluginLoader("HttpApi", "httpapi")
inventory_loader = PluginLoader("InventoryModule", "inventory")
lookup_loader = PluginLoader("LookupModule", "lookup")
module_loader = PluginLoader("", "modules")
netconf_loader = PluginLoader("Netconf", "netconf")
shell_loader = PluginLoader("ShellModule", "shell")
strategy_loader = PluginLoader("StrategyModule", "strategy")
terminal_loader = PluginLoader("TerminalModule", "terminal")
test_loader = PluginLoader("TestModule", "test")
vars_loader = PluginLoader("VarsModule", "vars")
