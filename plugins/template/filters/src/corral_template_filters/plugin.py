"""Entry point ``filters`` of group ``corral.template``: contributes the filters."""
from __future__ import annotations

from typing import Any, Callable

import jinja2.filters

from corral.plugins import hookimpl
from corral_template_filters import core, data, lists, mathstuff, passwords, paths, regex, timeurl, vaults

__all__ = ["corral_template_filters", "all_filters", "FQCN_PREFIXES"]

#: collection prefixes under which playbooks may name a builtin filter or test
FQCN_PREFIXES = ("ansible.builtin.", "ansible.legacy.")


def all_filters() -> dict[str, Callable[..., Any]]:
    """Every filter of this distribution, by its short name."""
    found: dict[str, Callable[..., Any]] = {}
    for module in (core, data, lists, mathstuff, passwords, paths, regex, timeurl, vaults):
        found.update(module.FILTERS)
    return found


@hookimpl
def corral_template_filters() -> dict[str, Callable[..., Any]]:
    """Ansible's filters that Jinja2 lacks or defines differently, by short name
    and as ``ansible.builtin.X``/``ansible.legacy.X`` (Jinja2's own filters get
    those long names too); ``json_query`` also as ``community.general.json_query``."""
    short = all_filters()
    named = {**jinja2.filters.FILTERS, **short}
    found = dict(short)
    for prefix in FQCN_PREFIXES:
        found.update({prefix + name: func for name, func in named.items()})
    found["community.general.json_query"] = short["json_query"]
    return found
