"""Entry point ``tests`` of group ``corral.template``: contributes the tests."""
from __future__ import annotations

from typing import Any, Callable, Mapping, cast

import jinja2.tests

from corral.plugins import hookimpl
from corral_template_tests import general, results, vault, versions

__all__ = ["corral_template_tests", "all_tests"]

_FQCN_PREFIXES = ("ansible.builtin.", "ansible.legacy.")


def all_tests() -> dict[str, Callable[..., Any]]:
    """Every test of this distribution, by its short name."""
    found: dict[str, Callable[..., Any]] = {}
    for module in (general, results, vault, versions):
        found.update(module.TESTS)
    return found


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
