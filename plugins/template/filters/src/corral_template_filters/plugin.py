"""Entry point ``filters`` of group ``corral.template``: contributes the filters."""
from __future__ import annotations

from typing import Any, Callable

from corral.plugins import hookimpl
from corral_template_filters import core, data, lists, mathstuff, passwords, paths, regex, timeurl

__all__ = ["corral_template_filters", "all_filters"]


def all_filters() -> dict[str, Callable[..., Any]]:
    """Every filter of this distribution, by name."""
    found: dict[str, Callable[..., Any]] = {}
    for module in (core, data, lists, mathstuff, passwords, paths, regex, timeurl):
        found.update(module.FILTERS)
    return found


@hookimpl
def corral_template_filters() -> dict[str, Callable[..., Any]]:
    """Ansible's filters that Jinja2 lacks or defines differently."""
    return all_filters()
