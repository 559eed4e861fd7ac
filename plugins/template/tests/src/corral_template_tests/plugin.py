"""Entry point ``tests`` of group ``corral.template``: contributes the tests."""
from __future__ import annotations

import functools
import re
from typing import Any, Callable, Mapping, cast

import jinja2.tests

from corral.errors import CorralTemplateError, CorralUndefinedVariable
from corral.plugins import hookimpl
from corral_template_tests import general, network, results, vault, versions

__all__ = ["corral_template_tests", "all_tests"]

_FQCN_PREFIXES = ("ansible.builtin.", "ansible.legacy.")


def all_tests() -> dict[str, Callable[..., Any]]:
    """Every test of this distribution, by its short name; its errors name it
    (:func:`_named_errors`).  The same functions at every call."""
    return dict(_named_tests())


@functools.cache
def _named_tests() -> dict[str, Callable[..., Any]]:
    found: dict[str, Callable[..., Any]] = {}
    for module in (general, results, vault, versions, network):
        found.update({name: _named_errors(name, func) for name, func in module.TESTS.items()})
    return found


def _named_errors(name: str, func: Callable[..., Any]) -> Callable[..., Any]:
    """``func`` whose failures (other than an undefined variable) read
    ``The test plugin 'ansible.builtin.NAME' failed: ...``, as Ansible words them.
    Jinja2's markers on ``func`` (``pass_context``...) are kept."""
    @functools.wraps(func)
    def named(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except (CorralUndefinedVariable, jinja2.UndefinedError):
            raise
        except CorralTemplateError as exc:
            raise CorralTemplateError(f"The test plugin 'ansible.builtin.{name}' failed: {exc.message}",
                                      orig_exc=exc) from exc
        except (ValueError, TypeError, OSError, re.error) as exc:
            raise CorralTemplateError(f"The test plugin 'ansible.builtin.{name}' failed: {exc}",
                                      orig_exc=exc) from exc

    return named


@hookimpl
def corral_template_tests() -> dict[str, Callable[..., Any]]:
    """Ansible's tests that Jinja2 lacks, by short name and as
    ``ansible.builtin.X``/``ansible.legacy.X`` (Jinja2's own tests get those long
    names too)."""
    short = all_tests()
    # jinja2's TESTS is inferred as dict[str, function]: its values are test callables
    named = {**cast("Mapping[str, Callable[..., Any]]", jinja2.tests.TESTS), **short}
    found = dict(short)
    for prefix in _FQCN_PREFIXES:
        found.update({prefix + name: func for name, func in named.items()})
    return found
