"""``ansible.plugins``: ``AnsiblePlugin``, the options every plugin written for
Ansible reads with ``get_option``.

A plugin's options are the ``options:`` of its module's ``DOCUMENTATION`` (and of
the fragments it extends: :mod:`corral_content_ansible.doc_fragments`), resolved by
corral's option resolver (:func:`corral.plugins.options.resolve_options`) from, in
order, ``direct`` values, ``var_options`` (host variables), ``task_keys`` (task
keywords), the environment, the run's configuration file and the default.
"""
from __future__ import annotations

import dataclasses
import sys
from collections.abc import Mapping
from typing import Any

from corral.errors import CorralOptionsError
from corral.plugins.options import InvalidOptionValue, Option, ResolvedOptions, options_from_documentation, resolve_options
from corral_content_ansible import run_state
from corral_content_ansible.doc_fragments import FRAGMENTS

from ansible.errors import AnsibleOptionsError

__all__ = ["AnsiblePlugin", "PLUGIN_PATH_CACHE", "get_plugin_class", "plugin_options"]

#: options a plugin kind documents that are not set as options (a lookup's terms)
_INTERNAL: dict[str, tuple[str, ...]] = {"lookup": ("_terms",)}

#: Ansible's per-process cache of plugin paths (kept for plugins that read it)
PLUGIN_PATH_CACHE: dict[str, Any] = {}


def get_plugin_class(obj: Any) -> str:
    """The plugin kind of ``obj`` (``lookup``, ``callback``...), from its class name."""
    name = obj.__name__ if isinstance(obj, type) else type(obj).__name__
    return name.lower().replace("module", "")


def plugin_options(cls: type) -> dict[str, Option]:
    """The options ``cls`` declares in its module's ``DOCUMENTATION`` (its bases' first)."""
    found: dict[str, Option] = {}
    for klass in reversed(cls.__mro__):
        doc = getattr(sys.modules.get(klass.__module__), "DOCUMENTATION", None)
        if isinstance(doc, str) and klass.__module__.startswith(("ansible_collections.", "ansible.plugins.")):
            found.update(options_from_documentation(doc, FRAGMENTS))
    return found


class AnsiblePlugin:
    """The base of Ansible's plugins: options from ``DOCUMENTATION``."""

    allow_extras = False
    _load_name: str = ""

    def __init__(self) -> None:
        self._options: dict[str, Any] = {}
        self._defs: dict[str, Option] | None = None
        if not getattr(self, "_load_name", ""):
            self._load_name = type(self).__module__.rsplit(".", 1)[-1]

    @property
    def plugin_type(self) -> str:
        return get_plugin_class(self)

    def _option_defs(self) -> dict[str, Option]:
        if getattr(self, "_defs", None) is None:
            defs = plugin_options(type(self))
            for name in _INTERNAL.get(self.plugin_type, ()):
                if name in defs:    # documented as required, but never an option's value
                    defs[name] = dataclasses.replace(defs[name], required=False)
            self._defs = defs
        assert self._defs is not None
        return self._defs

    def get_options_specs(self) -> dict[str, Option]:
        """The declared options, by name."""
        return dict(self._option_defs())

    def set_options(self, task_keys: Mapping[str, Any] | None = None, var_options: Mapping[str, Any] | None = None,
                    direct: Mapping[str, Any] | None = None) -> None:
        """Resolve every declared option (see the module docstring)."""
        try:
            resolved: ResolvedOptions = resolve_options(
                self._option_defs(), plugin=f"{self.plugin_type} plugin '{self._load_name}'", direct=direct,
                variables=var_options, keywords=task_keys, ini=run_state.config())
        except InvalidOptionValue as exc:  # worded as Ansible words it
            origin = "Direct" if exc.origin == "direct" else exc.origin
            raise AnsibleOptionsError(
                f"Config '{exc.option.name}' for '{type(self).__module__}' {self.plugin_type} plugin from "
                f"'{origin}' has an invalid value: Invalid value provided for '{exc.option.type}': "
                f"{exc.value!r}", orig_exc=exc) from exc
        except CorralOptionsError as exc:  # raised again with Ansible's class
            raise AnsibleOptionsError(str(exc), orig_exc=exc) from exc
        if not hasattr(self, "_options") or self._options is None:
            self._options = {}
        self._options.update(resolved)

    def _ensure_options(self) -> None:
        if not getattr(self, "_options", None) and self._option_defs():
            self.set_options()

    def get_option(self, option: str, hostvars: Mapping[str, Any] | None = None) -> Any:
        """The value of ``option``; ``KeyError`` for an option the plugin does not declare."""
        self._ensure_options()
        if option not in self._options:
            raise KeyError(f"Requested entry (plugin_type: {self.plugin_type} plugin: {self._load_name}, "
                           f"setting: {option} ) was not defined in configuration.")
        return self._options[option]

    def get_option_and_origin(self, option: str, hostvars: Mapping[str, Any] | None = None) -> tuple[Any, str]:
        return self.get_option(option, hostvars), "corral"

    def get_options(self, hostvars: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """Every option's value."""
        self._ensure_options()
        return dict(self._options)

    def set_option(self, option: str, value: Any) -> None:
        self._ensure_options()
        spec = self._option_defs().get(option)
        self._options[option] = spec.convert(value) if spec is not None else value

    def has_option(self, option: str) -> bool:
        self._ensure_options()
        return option in self._options

    @property
    def option_definitions(self) -> dict[str, Option]:
        return self._option_defs()
