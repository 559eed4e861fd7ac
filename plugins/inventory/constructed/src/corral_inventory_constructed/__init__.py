"""Inventory plugin ``constructed``: variables and groups computed from the
variables already in the inventory.

A configuration file (``.yml``, ``.yaml``, ``.json``, ``.config``)::

    plugin: constructed          # or ansible.builtin.constructed
    strict: false                # raise on template errors instead of skipping
    compose:                     # new host variables from Jinja2 expressions
      ansible_host: private_ip
    groups:                      # groups from Jinja2 conditions
      webservers: "'web' in inventory_hostname"
    keyed_groups:                # groups named from variable values
      - key: os                  # -> group "os_linux"
        prefix: os
        separator: "_"           # default "_"
        default_value: unknown   # name used when the value is ""
        parent_group: by_os
    leading_separator: true      # "_value" when prefix is empty
    use_vars_plugins: false      # also read group_vars/host_vars beside the sources

Expressions see each host's variables: its groups' inventory variables (by
depth, priority, name), with ``use_vars_plugins`` the ``group_vars`` files
beside the sources parsed so far, its own variables plus
``inventory_hostname`` and ``group_names``, then its ``host_vars`` files; compose results are visible to ``groups`` and ``keyed_groups``.
Group names are made safe (characters other than letters, digits and ``_``
become ``_``).  The Jinja2 filters of installed template plugins are available.
Sources listed before this file (or sorted before it in a directory) are the
ones whose hosts it sees.
"""
from __future__ import annotations

import os
import re
from collections.abc import Mapping
from typing import Any, Callable

from corral.errors import CorralParserError
from corral.inventory.data import InventoryChanges
from corral.inventory.helpers import get_group_vars
from corral.plugins import hookimpl
from corral.plugins.inventory import InventoryPlugin
from corral.utils.unsafe import wrap_unsafe

__all__ = ["ConstructedInventory", "safe_group_name"]

_NAMES = ("constructed", "ansible.builtin.constructed", "corral.builtin.constructed")
_INVALID = re.compile(r"^[\d\W]|[^\w]")
_EXTENSIONS = (".yml", ".yaml", ".json", ".config")


_VARIABLE_PATH = re.compile(r"^\s*[A-Za-z_]\w*(?:\.\w+|\[(?:\d+|'[^']*'|\"[^\"]*\")\])*\s*$")


def _passed_through(expression: Any, value: Any, variables: dict[str, Any]) -> bool:
    """Whether ``value`` is an existing variable's value rather than something the
    expression built (ansible-core keeps those as they were)."""
    if isinstance(expression, str) and _VARIABLE_PATH.match(expression):
        return True
    return any(value is existing for existing in variables.values())


def safe_group_name(name: str) -> str:
    """Replace characters not allowed in group names with ``_``."""
    return _INVALID.sub("_", name)


class _Templates:
    """Compiled expressions for one parse (Jinja2 is imported then: an inventory
    without a constructed source never needs it)."""

    def __init__(self, filters: Mapping[str, Callable[..., Any]]) -> None:
        import jinja2
        from jinja2.nativetypes import NativeEnvironment
        self._undefined = jinja2.Undefined
        self.env = NativeEnvironment(undefined=jinja2.StrictUndefined)
        self.env.filters.update(filters)
        self._compiled: dict[str, Any] = {}

    def evaluate(self, expression: Any, variables: dict[str, Any]) -> Any:
        if not isinstance(expression, str):
            return expression
        compiled = self._compiled.get(expression)
        if compiled is None:
            compiled = self.env.compile_expression(expression, undefined_to_none=False)
            self._compiled[expression] = compiled
        value = compiled(**variables)
        if isinstance(value, self._undefined):
            value._fail_with_undefined_error()
        return value

    def render(self, text: str, variables: dict[str, Any]) -> Any:
        if "{{" not in text and "{%" not in text:
            return text
        return self.env.from_string(text).render(**variables)


def _filters(options: dict[str, Any]) -> Mapping[str, Callable[..., Any]]:
    plugins = options.get("plugins")
    if plugins is None:
        return {}
    try:
        return plugins.template_filters()
    except Exception:  # noqa: BLE001 - filters are optional here
        return {}


class ConstructedInventory(InventoryPlugin):
    NAME = "constructed"

    def verify_source(self, source: str) -> bool:
        return os.path.isfile(source) and os.path.splitext(source)[1] in _EXTENSIONS

    def parse(self, inventory: Any, loader: Any, source: str, **options: Any) -> None:
        config = loader.load_from_file(source, cache=False)
        if not isinstance(config, Mapping) or config.get("plugin") not in _NAMES:
            raise CorralParserError(f"{source} is not a constructed configuration "
                                    f"(it needs 'plugin: constructed')")
        strict = bool(config.get("strict", False))
        compose = config.get("compose") or {}
        groups = config.get("groups") or {}
        keyed = config.get("keyed_groups") or []
        for key, kind, word in (("compose", Mapping, "mapping"), ("groups", Mapping, "mapping"),
                                ("keyed_groups", list, "list")):
            if config.get(key) is not None and not isinstance(config[key], kind):
                raise CorralParserError(f"{source}: '{key}' must be a {word}")
        templates = _Templates(_filters(options))
        changes = InventoryChanges(inventory)
        run = _Run(changes, templates, strict, source, bool(config.get("leading_separator", True)))
        vars_plugins = options.get("vars_plugins") if config.get("use_vars_plugins") else None
        for host in list(inventory.hosts.values()):
            variables = _host_variables(host, vars_plugins)
            run.compose(host.name, compose, variables)
            run.conditional_groups(host.name, groups, variables)
            run.keyed_groups(host.name, keyed, variables)
        changes.apply()


def _host_variables(host: Any, vars_plugins: Callable[[list[Any]], dict[str, Any]] | None) -> dict[str, Any]:
    """A host's variables as constructed sees them: its groups' inventory
    variables, (with ``use_vars_plugins``) what the vars plugins give its groups
    (group_vars files), the host's own variables, then what they give the host."""
    variables = get_group_vars(host.get_groups())
    if vars_plugins is not None:
        variables.update(vars_plugins(host.get_groups()))
    variables.update(host.get_vars())
    if vars_plugins is not None:
        variables.update(vars_plugins([host]))
    return variables


class _Run:
    def __init__(self, changes: InventoryChanges, templates: _Templates, strict: bool, source: str,
                 leading_separator: bool) -> None:
        self.changes = changes
        self.templates = templates
        self.strict = strict
        self.source = source
        self.leading_separator = leading_separator

    def _fail(self, message: str) -> None:
        if self.strict:
            raise CorralParserError(f"{self.source}: {message}")

    def compose(self, host: str, compose: Mapping[str, Any], variables: dict[str, Any]) -> None:
        for name, expression in compose.items():
            try:
                value = self.templates.evaluate(expression, variables)
            except Exception as exc:  # noqa: BLE001 - template errors are skipped unless strict
                self._fail(f"Could not set {name} for host {host}: {exc}")
                continue
            if not _passed_through(expression, value, variables):
                value = wrap_unsafe(value)  # a new string made by a template is never templated again
            variables[name] = value
            self.changes.set_variable(host, name, value)

    def conditional_groups(self, host: str, groups: Mapping[str, Any], variables: dict[str, Any]) -> None:
        for name, condition in groups.items():
            try:
                result = bool(self.templates.evaluate(condition, variables))
            except Exception as exc:  # noqa: BLE001
                self._fail(f"Could not add host {host} to group {name}: {exc}")
                continue
            if result:
                group = self.changes.add_group(safe_group_name(str(name)))
                self.changes.add_child(group, host)

    def keyed_groups(self, host: str, entries: list[Any], variables: dict[str, Any]) -> None:
        for entry in entries:
            if not isinstance(entry, Mapping):
                raise CorralParserError(f"{self.source}: Invalid keyed group entry, it must be a dictionary: {entry}")
            try:
                key = self.templates.evaluate(entry.get("key"), variables)
            except Exception as exc:  # noqa: BLE001
                self._fail(f"Could not generate group for host {host} from {entry.get('key')} entry: {exc}")
                continue
            default = entry.get("default_value")
            trailing = entry.get("trailing_separator")
            if trailing is not None and default is not None:
                raise CorralParserError(f"{self.source}: parameters are mutually exclusive for keyed groups: "
                                        f"default_value|trailing_separator")
            if not (key or (key == "" and default is not None)):
                if key not in ([], {}):
                    self._fail(f"No key or key resulted empty for {entry.get('key')} in host {host}, invalid entry")
                continue
            prefix = entry.get("prefix", "")
            separator = entry.get("separator", "_")
            parent = entry.get("parent_group")
            if parent:
                try:
                    parent = self.templates.render(str(parent), variables)
                except Exception as exc:  # noqa: BLE001
                    self._fail(f"Could not generate parent group {parent} for group {key}: {exc}")
                    continue
            names = self._bare_names(key, default, trailing, separator)
            if prefix == "" and not self.leading_separator:
                separator = ""
            for bare in names:
                group = self.changes.add_group(safe_group_name(f"{prefix}{separator}{bare}"))
                self.changes.add_host(host, group)
                if parent:
                    parent_name = self.changes.add_group(safe_group_name(str(parent)))
                    self.changes.add_child(parent_name, group)

    def _bare_names(self, key: Any, default: Any, trailing: Any, separator: str) -> list[str]:
        if isinstance(key, str):
            return [default if key == "" and default is not None else key]
        if isinstance(key, list):
            return [str(default) if item == "" and default is not None else str(item) for item in key]
        if isinstance(key, Mapping):
            names = []
            for name, value in key.items():
                bare = f"{name}{separator}{value}"
                if value == "":
                    if default is not None:
                        bare = f"{name}{separator}{default}"
                    elif trailing is False:
                        bare = str(name)
                names.append(bare)
            return names
        raise CorralParserError(f"{self.source}: Invalid group name format, expected a string or a list of "
                                f"them or dictionary, got: {type(key).__name__}")


@hookimpl
def corral_inventory_plugins() -> list[InventoryPlugin]:
    return [ConstructedInventory()]
