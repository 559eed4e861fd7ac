"""Entry point ``tests`` of group ``corral.template``: contributes the tests."""
from __future__ import annotations

from typing import Any, Callable

from corral.plugins import hookimpl
from corral_template_tests import general, results, versions

__all__ = ["corral_template_tests", "all_tests"]


def all_tests() -> dict[str, Callable[..., Any]]:
    """Every test of this distribution, by name."""
    found: dict[str, Callable[..., Any]] = {}
    for module in (general, results, versions):
        found.update(module.TESTS)
    return found


@hookimpl
def corral_template_tests() -> dict[str, Callable[..., Any]]:
    """Ansible's tests that Jinja2 lacks."""
    return all_tests()
