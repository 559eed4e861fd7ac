"""Argument checks shared by the tests: undefined input fails as in Ansible."""
from __future__ import annotations

import functools
from typing import Any, Callable, TypeVar

from jinja2 import Undefined, pass_context

from corral.errors import CorralTemplateError

F = TypeVar("F", bound=Callable[..., Any])

__all__ = ["strict", "volatile", "fail"]


def strict(func: F) -> F:
    """Make the test ``func`` raise the undefined error when any argument is undefined."""
    @functools.wraps(func)
    def checked(*args: Any, **kwargs: Any) -> Any:
        for value in (*args, *kwargs.values()):
            if isinstance(value, Undefined):
                value._fail_with_undefined_error()
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


def fail(message: str) -> CorralTemplateError:
    """The error a test raises for bad input (the caller raises it)."""
    return CorralTemplateError(message)
