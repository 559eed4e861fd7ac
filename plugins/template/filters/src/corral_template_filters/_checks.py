"""Argument checks shared by the filters.

Ansible's filters fail on undefined input unless they are built to handle it
(``default``, ``mandatory``), and fail with a plain message on input of the wrong
type.  :func:`strict` (from :mod:`corral.template.plugin_helpers`) gives a filter the
first behaviour; :func:`fail` builds the
error for the second.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from corral.errors import CorralTemplateError
from corral.template.plugin_helpers import strict, volatile

__all__ = ["strict", "volatile", "fail", "type_name", "require_mapping",
           "require_text"]


def type_name(value: Any) -> str:
    """The name a user knows for ``value``'s type: corral's subclasses of the
    builtin types (YAML positions, unsafe text) are shown as the builtin."""
    kind = type(value)
    if kind.__module__.split(".")[0] == "corral":
        for klass in kind.__mro__[1:-1]:
            if klass.__module__ == "builtins":
                return klass.__name__
    return kind.__name__


def fail(message: str) -> CorralTemplateError:
    """The error a filter raises for bad input (the caller raises it)."""
    return CorralTemplateError(message)


def require_mapping(name: str, value: Any, what: str = "a dictionary") -> Mapping[Any, Any]:
    """Return ``value`` if it is a mapping, else raise naming filter ``name``."""
    if not isinstance(value, Mapping):
        raise fail(f"{name} requires {what}, got {type_name(value)} ({value!r}) instead.")
    return value


def require_text(name: str, value: Any) -> str:
    """Return ``value`` if it is a string, else raise naming filter ``name``."""
    if not isinstance(value, str):
        raise fail(f"{name} requires a string, got {type_name(value)} ({value!r}) instead.")
    return value
