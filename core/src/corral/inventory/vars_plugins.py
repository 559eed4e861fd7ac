"""Running the vars plugins of one inventory (``host_group_vars`` and others).

Which plugins run, in order: every installed vars plugin whose class sets
``REQUIRES_ENABLED = False`` (by name), then those of the run's content that run
without being enabled (``corral_content_names``: Ansible's ``vars_plugins/``
folders, whose plugins do not set ``REQUIRES_ENABLED = True``; the list is made
again when a playbook or role adds a folder), then those named in ``[defaults]
vars_plugins_enabled`` (``ANSIBLE_VARS_PLUGINS_ENABLED``; ``host_group_vars`` by
default), in that order.  A plugin that ``vars_plugins_enabled`` names explicitly
but is not installed is a warning that names the distribution providing it; the
default ``host_group_vars`` missing from a custom distribution is skipped quietly,
as Ansible skips an enabled vars plugin it cannot find.  At each *stage* (``task``: a task's
variables; ``inventory``: after the sources are parsed; ``all``: ``corral-inventory``
and ``constructed``) a plugin runs when its ``stage`` option allows it, or, when it
has none, as ``[defaults] run_vars_plugins`` says (``demand``: not at the
``inventory`` stage; ``start``: not at the ``task`` stage).
"""
from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from corral.errors import CorralPluginError
from corral.plugins.options import declared_options, resolve_options

if TYPE_CHECKING:
    from corral.inventory.group import Group
    from corral.inventory.host import Host
    from corral.plugins.vars import VarsBase

__all__ = ["VarsPlugins"]


class VarsPlugins:
    """The vars plugins of one inventory, created on first use.

    ``plugins`` is the run's plugin manager; ``config`` the run's
    :class:`corral.config.Config` (read from the environment and the working
    directory when ``None``); ``warn`` receives the warnings.
    """

    def __init__(self, plugins: Any, loader: Any, config: Any = None,
                 warn: Callable[[str], None] | None = None) -> None:
        self._plugins = plugins
        self._loader = loader
        self._config = config
        self._warn = warn or (lambda message: None)
        self._active: list[VarsBase] | None = None
        self._content_version: int | None = None
        # per stage: the instances it was worked out for, and those of them that run then
        self._staged: dict[str, tuple[list[VarsBase], list[VarsBase]]] = {}
        self._lock = threading.Lock()

    def clear(self) -> None:
        """Forget the plugin instances, and so their caches (the inventory is re-read)."""
        with self._lock:
            self._active = None

    def _settings(self) -> Any:
        if self._config is None:
            from corral.config import Config
            self._config = Config()
        return self._config

    def _instances(self) -> list[VarsBase]:
        content = getattr(self._plugins, "content", None)
        version = getattr(content, "version", None)
        with self._lock:
            if self._active is None or version != self._content_version:
                self._content_version = version
                self._active = self._create()
            return self._active

    def _create(self) -> list[VarsBase]:
        config = self._settings()
        self._plugins.load_all("vars")
        installed = self._plugins.names("vars")
        names = [name for name in installed if not getattr(self._class(name), "REQUIRES_ENABLED", True)]
        in_content = [name for name in self._plugins.content_names("vars") if name not in names]
        names += [name for name in in_content if not getattr(self._class(name), "REQUIRES_ENABLED", True)]
        names += [name for name in config.get("vars_plugins_enabled") or () if name not in names]
        explicit = config.origin("vars_plugins_enabled") != "default"
        active = []
        for name in names:
            cls = self._class(name) if name in installed or name in in_content or explicit else None
            if cls is None:
                continue
            options = resolve_options(declared_options(cls), plugin=f"vars plugin '{name}'", ini=config)
            active.append(cls(options))
        return active

    def _class(self, name: str) -> Any:
        try:
            return self._plugins.vars_class(name)
        except CorralPluginError as exc:
            self._warn(str(exc.message))
            return None

    def _runs_at(self, plugin: VarsBase, stage: str) -> bool:
        allowed = plugin.get_option("stage")
        if allowed:
            return bool(allowed in ("all", stage))
        mode = self._settings().get("run_vars_plugins")
        return not ((mode == "demand" and stage == "inventory") or (mode == "start" and stage == "task"))

    def _running_at(self, stage: str) -> list[VarsBase]:
        """The plugins that run at ``stage``, worked out once per set of instances
        (the inventory asks once per host and directory: 60,000 times for 10,000 hosts)."""
        instances = self._instances()
        staged = self._staged.get(stage)
        if staged is None or staged[0] is not instances:
            staged = (instances, [plugin for plugin in instances if self._runs_at(plugin, stage)])
            self._staged[stage] = staged
        return staged[1]

    def runs_at(self, stage: str) -> bool:
        """Whether any plugin runs at ``stage``."""
        return bool(self._running_at(stage))

    def get_vars(self, path: str, entities: Sequence[Host | Group], stage: str) -> dict[str, Any]:
        """The variables of ``entities`` the plugins that run at ``stage`` find for
        the directory ``path``, later plugins winning."""
        return self.collector(stage)(path, entities)

    def collector(self, stage: str) -> Callable[[str, Sequence[Host | Group]], dict[str, Any]]:
        """:meth:`get_vars` at ``stage`` with the plugins that run then as they are
        now: one host's variables ask the plugins six times (three kinds of entity,
        two directories), and this looks the plugins up once."""
        running = self._running_at(stage)
        loader = self._loader

        def collect(path: str, entities: Sequence[Host | Group]) -> dict[str, Any]:
            data: dict[str, Any] = {}
            for plugin in running:
                data.update(plugin.get_vars(loader, path, entities))
            return data
        return collect
