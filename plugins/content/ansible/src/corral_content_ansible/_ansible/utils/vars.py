"""``ansible.utils.vars``: merging and checking variables."""
from __future__ import annotations

import keyword
from collections.abc import Mapping, MutableMapping
from typing import Any

from corral.inventory.helpers import combine_vars as _replace_vars

from ansible.errors import AnsibleError

__all__ = ["merge_hash", "combine_vars", "isidentifier"]


def merge_hash(x: Mapping[str, Any], y: Mapping[str, Any], recursive: bool = True,
               list_merge: str = "replace") -> dict[str, Any]:
    """``y`` merged over a copy of ``x``: dicts merged (recursively when
    ``recursive``), lists by ``list_merge`` (``replace``, ``keep``, ``append``,
    ``prepend``, ``append_rp``, ``prepend_rp``), other values replaced."""
    if list_merge not in ("replace", "keep", "append", "prepend", "append_rp", "prepend_rp"):
        raise AnsibleError("merge_hash: 'list_merge' argument can only be equal to 'replace', 'keep', "
                           "'append', 'prepend', 'append_rp' or 'prepend_rp'")
    merged: dict[str, Any] = dict(x)
    for key, new in y.items():
        old = merged.get(key)
        if key not in merged:
            merged[key] = new
        elif isinstance(old, MutableMapping) and isinstance(new, MutableMapping):
            merged[key] = merge_hash(old, new, recursive, list_merge) if recursive else {**old, **new}
        elif isinstance(old, list) and isinstance(new, list):
            merged[key] = _merge_lists(old, new, list_merge)
        else:
            merged[key] = new
    return merged


def _merge_lists(old: list[Any], new: list[Any], how: str) -> list[Any]:
    if how == "keep":
        return old
    if how == "append":
        return old + new
    if how == "prepend":
        return new + old
    if how == "append_rp":
        return [item for item in old if item not in new] + new
    if how == "prepend_rp":
        return new + [item for item in old if item not in new]
    return new


def combine_vars(a: Mapping[str, Any], b: Mapping[str, Any], merge: bool | None = None) -> dict[str, Any]:
    """``b`` over ``a``: replaced keys (corral's ``hash_behaviour``), merged when ``merge``."""
    return merge_hash(a, b) if merge else _replace_vars(dict(a), dict(b))


def isidentifier(ident: Any) -> bool:
    """Whether ``ident`` may be a variable name."""
    return isinstance(ident, str) and ident.isidentifier() and not keyword.iskeyword(ident) \
        and ident not in ("True", "False", "None")

