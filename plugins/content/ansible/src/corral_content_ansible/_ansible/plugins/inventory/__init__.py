"""``ansible.plugins.inventory``: the bases of inventory plugins written for Ansible.

``parse(inventory, loader, path, cache)`` receives corral's inventory under
Ansible's API (:class:`ansible.inventory.data.InventoryData`: ``add_host``,
``add_group``, ``add_child``, ``set_variable``, ``hosts``, ``groups``, ``get_host``).  ``Constructable``'s
``compose``/``groups``/``keyed_groups`` are computed by corral's ``constructed``
inventory parser's rules; ``Cacheable`` keeps data in one of the run's cache
plugins (``memory``, ``jsonfile``...).
"""
from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from typing import Any

from corral.errors import CorralError
from corral.inventory.addresses import expand_hostpattern
from corral.inventory.data import InventoryChanges
from corral_inventory_constructed import _Run, _Templates

from ansible.errors import AnsibleError, AnsibleParserError
from ansible.inventory.group import to_safe_group_name as _group_name
from ansible.plugins import AnsiblePlugin
from ansible.template import Templar
from ansible.utils.display import Display

__all__ = ["BaseInventoryPlugin", "BaseFileInventoryPlugin", "Constructable", "Cacheable", "InventoryCache",
           "expand_hostname_range", "detect_range", "to_safe_group_name"]

display = Display()


def to_safe_group_name(name: str) -> str:
    """``name`` with every character not allowed in group names replaced by ``_``,
    silently, whatever ``TRANSFORM_INVALID_GROUP_CHARS`` says (what inventory plugins'
    ``_sanitize_group_name`` does in Ansible)."""
    return _group_name(name, force=True, silent=True)


def detect_range(line: str | None = None) -> bool:
    """Whether ``line`` holds a host range (``web[1:3]``)."""
    return bool(line) and "[" in str(line) and "]" in str(line)


def expand_hostname_range(line: str | None = None) -> list[str]:
    """The host names a range expands to (``web[01:03]`` -> ``web01``...)."""
    if not line:
        return []
    try:
        names, _port = expand_hostpattern(line)
    except CorralError as exc:
        raise AnsibleError(f"host range must be begin:end or begin:end:step ({exc.message})") from None
    return list(names)


class BaseInventoryPlugin(AnsiblePlugin):
    """The base of inventory plugins: ``verify_file`` and ``parse``."""

    TYPE = "generator"
    NAME = ""
    _sanitize_group_name = staticmethod(to_safe_group_name)

    def __init__(self) -> None:
        super().__init__()
        self.inventory: Any = None
        self.loader: Any = None
        self.templar: Any = None
        self.display = display
        self._vars: dict[str, Any] = {}
        self._corral_plugins: Any = None

    def parse(self, inventory: Any, loader: Any, path: str, cache: bool = True) -> None:
        """Start parsing ``path`` into ``inventory`` (subclasses call this first)."""
        self.loader = loader
        self.inventory = inventory
        self.templar = Templar(loader=loader)
        self._vars = {}

    def verify_file(self, path: str) -> bool:
        """Whether ``path`` is a readable file (subclasses add their own checks)."""
        return os.path.exists(path) and os.access(path, os.R_OK)

    def _populate_host_vars(self, hosts: list[str], variables: Mapping[str, Any], group: str | None = None,
                            port: int | None = None) -> None:
        for host in hosts:
            self.inventory.add_host(host, group=group, port=port)
            for key, value in (variables or {}).items():
                self.inventory.set_variable(host, key, value)

    def _read_config_data(self, path: str) -> dict[str, Any]:
        """The YAML configuration ``path``, its values set as this plugin's options."""
        try:
            config = self.loader.load_from_file(path, cache=False)
        except Exception as exc:
            raise AnsibleParserError(str(exc), orig_exc=exc) from exc
        if not config:
            raise AnsibleParserError(f"{path} is empty")
        if not isinstance(config, Mapping):
            raise AnsibleParserError(f"inventory source '{path}' has an invalid structure, it should be a "
                                     f"dictionary, got: {type(config).__name__}")
        plugin = config.get("plugin")
        if plugin is not None and self.NAME and plugin not in (self.NAME, self.NAME.rsplit(".", 1)[-1]) \
                and not str(plugin).endswith("." + self.NAME.rsplit(".", 1)[-1]):
            raise AnsibleParserError(f"Incorrect plugin name in file: {plugin}")
        self.set_options(direct=dict(config), var_options=self._vars)
        if self.has_option("cache") and self.get_option("cache"):
            self._cache = _open_cache(self)
        return dict(config)

    def _consume_options(self, data: Mapping[str, Any]) -> None:
        self.set_options(direct=dict(data))

    def _expand_hostpattern(self, hostpattern: str) -> tuple[list[str], int | None]:
        """The host names and port a pattern (``web[1:3]:2222``) stands for."""
        try:
            names, port = expand_hostpattern(hostpattern)
        except CorralError as exc:
            raise AnsibleParserError(exc.message) from None
        return list(names), (int(port) if port is not None else None)


class BaseFileInventoryPlugin(BaseInventoryPlugin):
    """The base of inventory plugins that read a file of their own format."""

    TYPE = "storage"


class Constructable:
    """``compose``, ``groups`` and ``keyed_groups`` for an inventory plugin."""

    def _constructed(self, source: str, strict: bool) -> tuple[_Run, InventoryChanges]:
        plugins = getattr(self, "_corral_plugins", None)
        filters = plugins.template_filters() if plugins is not None else {}
        inventory = getattr(self, "inventory")
        changes = InventoryChanges(getattr(inventory, "_inventory", inventory))  # corral's, under Ansible's API
        leading = self._option_or("leading_separator", True)
        return _Run(changes, _Templates(filters), strict, source, bool(leading)), changes

    def _option_or(self, name: str, default: Any) -> Any:
        try:
            value = getattr(self, "get_option")(name)
        except KeyError:
            return default
        return default if value is None else value

    def _host_variables(self, variables: Mapping[str, Any] | None, host: str, fetch_hostvars: bool) -> dict[str, Any]:
        merged = dict(variables or {})
        found = getattr(self, "inventory").get_host(host) if fetch_hostvars else None
        if found is not None:
            merged.update(found.get_vars())
        return merged

    def _compose(self, template: Any, variables: Mapping[str, Any], disable_lookups: bool = True) -> Any:
        """The value of the Jinja2 expression ``template`` with ``variables``."""
        run, _changes = self._constructed("compose", strict=True)
        return run.templates.evaluate(template, dict(variables))

    def _set_composite_vars(self, compose: Mapping[str, Any] | None, variables: Mapping[str, Any] | None,
                            host: str, strict: bool = False) -> None:
        if compose:
            run, changes = self._constructed(host, strict)
            run.compose(host, compose, self._host_variables(variables, host, True))
            changes.apply()

    def _add_host_to_composed_groups(self, groups: Mapping[str, Any] | None, variables: Mapping[str, Any] | None,
                                     host: str, strict: bool = False, fetch_hostvars: bool = True) -> None:
        if groups:
            run, changes = self._constructed(host, strict)
            run.conditional_groups(host, groups, self._host_variables(variables, host, fetch_hostvars))
            changes.apply()

    def _add_host_to_keyed_groups(self, keys: list[Any] | None, variables: Mapping[str, Any] | None, host: str,
                                  strict: bool = False, fetch_hostvars: bool = True) -> None:
        if keys:
            run, changes = self._constructed(host, strict)
            try:
                run.keyed_groups(host, list(keys), self._host_variables(variables, host, fetch_hostvars))
            except CorralError as exc:
                raise AnsibleParserError(exc.message) from None
            changes.apply()


class InventoryCache(dict[str, Any]):
    """An inventory plugin's ``self._cache``: the entries read from the run's cache
    plugin ``store`` (``_plugin`` is the cache plugin itself, as in Ansible);
    :meth:`update_cache_if_changed` writes changed entries back."""

    def __init__(self, store: Any) -> None:
        super().__init__()
        self._store = store
        self._plugin = getattr(store, "_plugin", store)
        for key in store.keys():
            value = store.get(key)
            if value is not None:
                self[key] = _unwrapped(value)
        self._loaded = dict(self)

    def update_cache_if_changed(self) -> None:
        if dict(self) != self._loaded:
            for key, value in self.items():
                self._store.set(key, {_WRAPPED: value})
            self._loaded = dict(self)

    def flush(self) -> None:
        self._store.flush()
        self.clear()
        self._loaded = {}


def _open_cache(plugin: Any) -> InventoryCache:
    """The cache the options ``cache_plugin``, ``cache_connection``, ``cache_timeout``
    and ``cache_prefix`` of ``plugin`` name, from the run's cache plugins."""
    plugins = getattr(plugin, "_corral_plugins", None)
    if plugins is None:
        raise AnsibleError("inventory caching needs the run's plugins")

    def option(name: str) -> Any:
        if not plugin.has_option(name):
            raise AnsibleError(f"No config definition exists for '{name}' for '{plugin._load_name}' "
                               f"{plugin.plugin_type} plugin.")
        return plugin.get_option(name)

    connection, timeout, prefix = option("cache_connection"), option("cache_timeout"), option("cache_prefix")
    cls = plugins.cache_class(str(option("cache_plugin") or "memory"))
    return InventoryCache(cls(connection=connection, timeout=int(timeout if timeout is not None else 3600),
                              prefix=str(prefix or "")))


class Cacheable:
    """Inventory data kept between runs in a cache plugin (``cache``,
    ``cache_plugin``, ``cache_timeout``, ``cache_connection``, ``cache_prefix``).

    ``self._cache`` (an :class:`InventoryCache`) holds the data read from the cache
    by cache key; :meth:`update_cache_if_changed` writes it back."""

    _cache: Any = {}

    def load_cache_plugin(self) -> None:
        """Open the configured cache plugin and read its entries."""
        self._cache = _open_cache(self)

    def get_cache_key(self, path: str) -> str:
        """A key naming this plugin and source."""
        name = getattr(self, "NAME", "inventory").replace(".", "_")
        digest = hashlib.sha1(os.path.abspath(path).encode()).hexdigest()[:5]
        return f"{name}_{digest}_{os.path.basename(path).replace('.', '_')}"

    def _get_cache_prefix(self, path: str) -> str:
        return "s_" + hashlib.sha1(path.encode()).hexdigest()[:5]

    def update_cache_if_changed(self) -> None:
        """Write ``self._cache`` to the cache plugin when it changed."""
        if isinstance(self._cache, InventoryCache):
            self._cache.update_cache_if_changed()

    def clear_cache(self) -> None:
        """Forget every cached entry."""
        if isinstance(self._cache, InventoryCache):
            self._cache.flush()


_WRAPPED = "__corral_inventory_cache__"


def _unwrapped(value: Any) -> Any:
    """A cache plugin keeps dicts: inventory data is stored wrapped in one."""
    if isinstance(value, Mapping) and set(value) == {_WRAPPED}:
        return value[_WRAPPED]
    return value
