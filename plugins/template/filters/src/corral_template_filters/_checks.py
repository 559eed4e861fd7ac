"""Argument checks shared by the filters.

Ansible's filters fail on undefined input unless they are built to handle it
(``default``, ``mandatory``), and fail with a plain message on input of the wrong
type.  :func:`strict` gives a filter the first behaviour; :func:`fail` builds the
error for the second.
"""
from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any, Callable, TypeVar

from jinja2 import Undefined, pass_context

from corral.errors import CorralTemplateError

F = TypeVar("F", bound=Callable[..., Any])

__all__ = ["strict", "volatile", "reject_undefined", "fail", "type_name", "require_mapping",
           "require_text"]


def reject_undefined(*values: Any) -> None:
    """Raise the templar's undefined-variable error for the first undefined value."""
    for value in values:
        if isinstance(value, Undefined):
            value._fail_with_undefined_error()


def strict(func: F) -> F:
    """Make ``func`` raise the undefined error when any argument is undefined.

    The Jinja2 markers of ``func`` (``pass_environment``...) are kept; the
    environment that Jinja2 then passes first is never undefined.
    """
    @functools.wraps(func)
    def checked(*args: Any, **kwargs: Any) -> Any:
        reject_undefined(*args, *kwargs.values())
        return func(*args, **kwargs)

    return checked  # type: ignore[return-value]


def volatile(func: F) -> F:
    """Make Jinja2 call ``func`` at every rendering.

    Jinja2 calls a filter or test whose arguments are constants once, when it
    compiles the template, and the templar caches compiled templates: results
    that depend on randomness, the clock or the file system must not be frozen
    that way.  Jinja2 never folds functions that take the context.
    """
    @pass_context
    @functools.wraps(func)
    def at_render_time(_context: Any, *args: Any, **kwargs: Any) -> Any:
        return func(*args, **kwargs)

    return at_render_time  # type: ignore[return-value]


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
