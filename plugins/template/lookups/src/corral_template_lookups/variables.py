"""Lookups of variables and settings: env, vars, config."""
from __future__ import annotations

import os
import re
from collections.abc import Mapping
from typing import Any

from corral.config import SETTINGS, Config
from corral.errors import CorralError, CorralUndefinedVariable
from corral.plugins.lookup import LookupBase
from corral_template_lookups._common import reject_undefined

__all__ = ["EnvLookup", "VarsLookup", "VarnamesLookup", "ConfigLookup"]

_MISSING = object()


class EnvLookup(LookupBase):
    """``lookup('env', 'HOME')``: environment variables of the controller;
    ``default`` (default ``''``) for those that are not set."""

    def run(self, terms: list[Any], variables: Mapping[str, Any] | None = None, **kwargs: Any) -> list[Any]:
        default = kwargs.get("default", "")
        result = []
        for term in terms:
            reject_undefined(term)
            value = os.environ.get(str(term), _MISSING)
            if value is _MISSING:
                reject_undefined(default)
                value = default
            result.append(value)
        return result


class VarsLookup(LookupBase):
    """``lookup('vars', 'name')``: the (rendered) values of variables named by
    strings, also the current host's ``hostvars``; ``default`` for missing ones,
    else an undefined-variable error."""

    def run(self, terms: list[Any], variables: Mapping[str, Any] | None = None, **kwargs: Any) -> list[Any]:
        variables = variables if variables is not None else {}
        result = []
        for term in terms:
            reject_undefined(term)
            if not isinstance(term, str):
                raise CorralError(f'vars lookup: invalid variable name, "{term!r}" is not a string, '
                                  f"it is a {type(term).__name__}")
            value = self._find(variables, term)
            if value is _MISSING:
                if "default" not in kwargs:
                    raise CorralUndefinedVariable(f"No variable named '{term}' was found.")
                value = kwargs["default"]
            reject_undefined(value)
            result.append(value)
        return result

    @staticmethod
    def _find(variables: Mapping[str, Any], name: str) -> Any:
        if name in variables:
            return variables[name]
        hostvars = variables.get("hostvars") if "hostvars" in variables else None
        host = variables.get("inventory_hostname") if "inventory_hostname" in variables else None
        if isinstance(hostvars, Mapping) and host in hostvars:
            own = hostvars[host]
            if isinstance(own, Mapping) and name in own:
                return own[name]
        return _MISSING


class VarnamesLookup(LookupBase):
    """``lookup('varnames', '^qz_.+', ...)``: the names of the variables that each
    term (a Python regular expression, searched in the name) matches, term after
    term, in the order of the variables."""

    def run(self, terms: list[Any], variables: Mapping[str, Any] | None = None, **kwargs: Any) -> list[Any]:
        names = list(variables) if variables is not None else []
        result: list[str] = []
        for term in terms:
            reject_undefined(term)
            if not isinstance(term, str):
                raise CorralError(f'Invalid setting identifier, "{term}" is not a string, it is a {type(term)}')
            try:
                pattern = re.compile(term)
            except re.error as exc:
                raise CorralError(f'Unable to use "{term}" as a search parameter: {exc}') from exc
            result.extend(name for name in names if pattern.search(name))
        return result


class ConfigLookup(LookupBase):
    """``lookup('config', 'NAME')``: values of corral's settings, by corral's name
    (``forks``) or Ansible's (``DEFAULT_FORKS``).  ``on_missing``: ``error``
    (default), ``skip`` or ``warn`` (both leave the setting out)."""

    def run(self, terms: list[Any], variables: Mapping[str, Any] | None = None, **kwargs: Any) -> list[Any]:
        on_missing = kwargs.get("on_missing", "error")
        if on_missing not in ("error", "skip", "warn"):
            raise CorralError(f'config lookup: "on_missing" must be error, warn or skip, not {on_missing!r}')
        config = Config()
        result = []
        for term in terms:
            reject_undefined(term)
            name = self._setting_name(str(term))
            if name is None:
                if on_missing == "error":
                    raise CorralError(f"Unable to find setting {term}")
                continue
            result.append(config.get(name))
        return result

    @staticmethod
    def _setting_name(term: str) -> str | None:
        if term in SETTINGS:
            return term
        wanted = term.upper()
        for name, setting in SETTINGS.items():
            if wanted in (setting.env, "DEFAULT_" + setting.env):
                return name
        return None
