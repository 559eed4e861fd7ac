"""``ansible.utils.listify``: lookup terms as a list."""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

__all__ = ["listify_lookup_plugin_terms"]


def listify_lookup_plugin_terms(terms: Any, templar: Any = None, loader: Any = None, fail_on_undefined: bool = True,
                                convert_bare: bool = False) -> list[Any]:
    """``terms`` (templated with ``templar`` when it is a string) as a list."""
    if isinstance(terms, str):
        terms = templar.template(terms) if templar is not None else terms
    if isinstance(terms, str) or not isinstance(terms, Iterable):
        return [terms]
    return list(terms)
