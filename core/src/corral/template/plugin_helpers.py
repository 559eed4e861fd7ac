"""Decorators for authors of template plugins (filters and tests).

- :func:`strict`: the function raises the templar's undefined-variable error (naming
  the variable) when any argument is undefined, as Ansible's filters and tests do
  unless they are built to handle undefined input (``default``, ``defined``).
- :func:`volatile`: Jinja2 calls the function at every rendering.  Jinja2 computes a
  filter or test whose arguments are constants once, at compile time, and the
  templar caches compiled templates: results that depend on randomness, the clock or
  the file system must not be frozen that way.
"""
from __future__ import annotations

import functools
from typing import Any, Callable, TypeVar

from jinja2 import Undefined, pass_context

__all__ = ["strict", "volatile", "reject_undefined"]

F = TypeVar("F", bound=Callable[..., Any])


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
    """Make Jinja2 call ``func`` at every rendering (Jinja2 never folds functions
    that take the context)."""
    @pass_context
    @functools.wraps(func)
    def at_render_time(_context: Any, *args: Any, **kwargs: Any) -> Any:
        return func(*args, **kwargs)

    return at_render_time  # type: ignore[return-value]
