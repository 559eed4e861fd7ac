"""The corral object for a plugin written for Ansible: :func:`adapt`.

The content resolver finds and imports a plugin file (``filter_plugins/x.py``,
``ansible_collections.ns.coll.plugins.lookup.x``) and asks :func:`adapt` for what
the kernel expects of that kind (:data:`corral.plugins.content.CONTENT_KINDS`):

- ``filter``/``test``: the function named ``name`` in the file's
  ``FilterModule().filters()``/``TestModule().tests()``;
- ``lookup``: the file's ``LookupModule`` (a :class:`corral.plugins.lookup.LookupBase`
  through ``ansible.plugins.lookup``), named ``name`` for its options;
- ``callback``: the file's ``CallbackModule`` (a :class:`corral.plugins.callback.CallbackBase`);
- ``action``: the file's ``ActionModule`` (a :class:`corral.plugins.action.ActionBase`
  through ``ansible.plugins.action``);
- ``inventory``: a :class:`corral.plugins.inventory.InventoryPlugin` that drives the
  file's ``InventoryModule`` over corral's inventory;
- ``vars``: a :class:`corral.plugins.vars.VarsBase` that asks the file's ``VarsModule``;
- ``cache``: a :class:`corral.plugins.cache.CacheBase` over the file's ``CacheModule``;
- ``connection``/``become``: see :mod:`corral_content_ansible.remote_adapters`.

``None`` when the file does not hold that kind of plugin.
"""
from __future__ import annotations

import functools
import inspect
import types
from collections.abc import Mapping, Sequence
from typing import Any

import jinja2

from corral.errors import CorralError, CorralParserError, CorralUndefinedVariable
from corral.plugins.cache import CacheBase
from corral.plugins.inventory import InventoryPlugin
from corral.plugins.options import Option
from corral.plugins.vars import VarsBase
from corral_content_ansible import remote_adapters, run_state

__all__ = ["adapt", "template_plugin"]


def _short(name: str) -> str:
    return name.rsplit(".", 1)[-1]


def _failure(kind: str, name: str, exc: Exception) -> Exception:
    """What a template plugin's failure is reported as: Ansible's "The filter plugin
    'x' failed: <reason>"; an undefined variable stays one (``default`` handles it)."""
    from ansible.errors import AnsibleLookupError, AnsibleTemplateError
    if isinstance(exc, (jinja2.UndefinedError, CorralUndefinedVariable)):
        return exc
    reason = exc.message if isinstance(exc, CorralError) else str(exc)
    error = AnsibleLookupError if kind == "lookup" else AnsibleTemplateError
    return error(f"The {kind} plugin '{name}' failed: {reason}", orig_exc=exc)


def template_plugin(kind: str, name: str, function: Any) -> Any:
    """The filter or test ``function`` of an Ansible plugin file as the template named
    ``name`` uses it: its failures read "The filter plugin 'name' failed: ..." as in
    Ansible (``None`` stays ``None``)."""
    if function is None:
        return None

    @functools.wraps(function)      # keeps Jinja2's pass_context/pass_environment marks
    def reporting(*args: Any, **kwargs: Any) -> Any:
        try:
            return function(*args, **kwargs)
        except Exception as exc:  # noqa: BLE001 - every failure of the plugin is reported as Ansible does
            failure = _failure(kind, name, exc)
            if failure is exc:
                raise
            raise failure from exc
    return reporting


def _template_function(module: types.ModuleType, holder: str, method: str, name: str) -> Any:
    cls = getattr(module, holder, None)
    if cls is None:
        return None
    functions = getattr(cls(), method)() or {}
    return template_plugin("filter" if holder == "FilterModule" else "test", name,
                           functions.get(name) or functions.get(_short(name)))


def _lookup_class(cls: type, name: str) -> type:
    """``cls`` whose failures read as Ansible reports a lookup's."""
    run = getattr(cls, "run")

    def reporting_run(self: Any, terms: Any, variables: Any = None, **kwargs: Any) -> Any:
        try:
            return run(self, terms, variables, **kwargs)
        except Exception as exc:  # noqa: BLE001 - every failure of the plugin is reported as Ansible does
            failure = _failure("lookup", name, exc)
            if failure is exc:
                raise
            raise failure from exc
    return _named(cls, name, run=reporting_run)


def _named(cls: Any, name: str, **attributes: Any) -> Any:
    """``cls`` as a subclass that knows the name it was loaded by."""
    return type(cls.__name__, (cls,), {"__module__": cls.__module__, "_load_name": name, **attributes})


def _callback_class(cls: type, name: str) -> type:
    """``cls`` taking the kernel's ``cls(display=...)`` and ``set_options(ini=config)``
    even when it overrides ``__init__`` or ``set_options`` with Ansible's signatures (the
    display and configuration then reach it through :mod:`corral_content_ansible.run_state`)."""
    original = cls.set_options  # type: ignore[attr-defined]
    takes_ini = "ini" in inspect.signature(original).parameters

    def set_options(self: Any, task_keys: Any = None, var_options: Any = None, direct: Any = None,
                    ini: Any = None) -> None:
        run_state.use_config(ini)
        if takes_ini:
            original(self, task_keys=task_keys, var_options=var_options, direct=direct, ini=ini)
        else:
            original(self, task_keys=task_keys, var_options=var_options, direct=direct)

    init = getattr(cls, "__init__")
    init_parameters = inspect.signature(init).parameters
    takes_display = "display" in init_parameters or any(
        p.kind is inspect.Parameter.VAR_KEYWORD for p in init_parameters.values())

    def __init__(self: Any, display: Any = None, options: Any = None) -> None:
        run_state.use_display(display)
        if takes_display:
            init(self, display=display)
        else:
            init(self)      # Ansible's callbacks may take no arguments: they get the run's display anyway
            if display is not None:
                self._display = display
        if options is not None:
            self.set_options(direct=dict(options))

    def set_cli_args(self: Any, args: Any) -> None:
        run_state.use_cli_args(dict(args))      # what context.CLIARGS reads
        cls.set_cli_args(self, args)  # type: ignore[attr-defined]

    attributes: dict[str, Any] = {"set_options": set_options, "__init__": __init__, "set_cli_args": set_cli_args}
    if not getattr(cls, "CALLBACK_NAME", None) or getattr(cls, "CALLBACK_NAME") == "unnamed":
        attributes["CALLBACK_NAME"] = name
    return _named(cls, name, **attributes)


class AnsibleInventory(InventoryPlugin):
    """Drives an Ansible ``InventoryModule`` class as a corral inventory parser."""

    def __init__(self, module_class: type, name: str) -> None:
        self._module_class = module_class
        self.NAME = name  # type: ignore[misc]

    def _plugin(self, plugins: Any = None) -> Any:
        plugin = self._module_class()
        plugin._load_name = self.NAME
        plugin._corral_plugins = plugins
        return plugin

    def verify_source(self, source: str) -> bool:
        try:
            return bool(self._plugin().verify_file(source))
        except Exception:  # noqa: BLE001 - a plugin that cannot tell does not take the source
            return False

    def parse(self, inventory: Any, loader: Any, source: str, **options: Any) -> None:
        from ansible.inventory.data import InventoryData
        from ansible.plugins.inventory import InventoryCache
        plugins = options.get("plugins")
        if plugins is not None:
            run_state.use_config(plugins.content.config)
        plugin = self._plugin(plugins)
        try:
            plugin.parse(InventoryData(inventory), loader, source, cache=bool(options.get("cache", True)))
            cache = getattr(plugin, "_cache", None)
            if isinstance(cache, InventoryCache):
                cache.update_cache_if_changed()
        except CorralParserError:
            raise
        except Exception as exc:  # noqa: BLE001 - any failure of the plugin is this source's parse error
            message = getattr(exc, "message", None) or f"{type(exc).__name__}: {exc}"
            raise CorralParserError(message, orig_exc=exc) from exc


class _AnsibleVars(VarsBase):
    """A corral vars plugin asking an Ansible ``VarsModule``."""

    _module_class: Any = None
    _load_name = ""
    REQUIRES_ENABLED = True

    def __init__(self, options: Mapping[str, Any] | None = None) -> None:
        super().__init__(options)
        self._plugin = self._module_class()
        self._plugin._load_name = self._load_name
        self._plugin.set_options(direct={k: v for k, v in self._options.items() if v is not None})

    def get_vars(self, loader: Any, path: str, entities: Sequence[Any]) -> dict[str, Any]:
        found = self._plugin.get_vars(loader, path, list(entities))
        return dict(found or {})


def _vars_class(cls: type, name: str) -> type[VarsBase]:
    from ansible.plugins import plugin_options
    options: dict[str, Option] = {**VarsBase.OPTIONS, **plugin_options(cls)}
    return type("VarsModule", (_AnsibleVars,), {
        "_module_class": cls, "_load_name": name, "OPTIONS": options,
        "REQUIRES_ENABLED": bool(getattr(cls, "REQUIRES_ENABLED", getattr(cls, "REQUIRES_WHITELIST", True)))})


class _AnsibleCache(CacheBase):
    """A corral fact cache over an Ansible ``CacheModule``."""

    _module_class: Any = None
    _load_name = ""

    def __init__(self, connection: str | None = None, timeout: int = 86400, prefix: str = "") -> None:
        super().__init__(connection, timeout, prefix)
        direct = {"_uri": connection, "_timeout": timeout, "_prefix": prefix}
        self._plugin = self._module_class(**{k: v for k, v in direct.items() if v is not None})

    def get(self, key: str) -> dict[str, Any] | None:
        if not self._plugin.contains(key):
            return None
        try:
            value = self._plugin.get(key)
        except KeyError:
            return None
        return dict(value) if value is not None else None

    def set(self, key: str, value: dict[str, Any]) -> None:
        self._plugin.set(key, value)

    def delete(self, key: str) -> None:
        self._plugin.delete(key)

    def keys(self) -> list[str]:
        return list(self._plugin.keys())

    def flush(self) -> None:
        self._plugin.flush()


def adapt(kind: str, module: types.ModuleType, name: str) -> Any | None:
    """The corral object for the Ansible plugin ``module`` of ``kind`` named ``name``
    (see the module docstring), or ``None``."""
    if kind == "filter":
        return _template_function(module, "FilterModule", "filters", name)
    if kind == "test":
        return _template_function(module, "TestModule", "tests", name)
    holder = {"lookup": "LookupModule", "callback": "CallbackModule", "action": "ActionModule",
              "inventory": "InventoryModule", "vars": "VarsModule", "cache": "CacheModule",
              "connection": "Connection", "become": "BecomeModule"}.get(kind)
    cls = getattr(module, holder, None) if holder else None
    if cls is None:
        return None
    if kind == "lookup":
        return _lookup_class(cls, name)
    if kind == "action":
        return _named(cls, name)
    if kind == "callback":
        return _callback_class(cls, name)
    if kind == "inventory":
        return AnsibleInventory(cls, name)
    if kind == "vars":
        return _vars_class(cls, name)
    if kind == "connection":
        return remote_adapters.connection_class(cls, module, name)
    if kind == "become":
        return remote_adapters.become_class(cls, module, name)
    return type("CacheModule", (_AnsibleCache,), {"_module_class": cls, "_load_name": name})
