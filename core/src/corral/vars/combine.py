"""How two layers of variables combine: Ansible's ``hash_behaviour``.

``replace`` (the default): a key of the higher layer replaces the lower one's.
``merge``: mappings found under the same key in both layers are merged, recursively;
any other value (lists included) is replaced.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Iterable

__all__ = ["combine_vars", "combine_layers", "merge_mappings"]


def merge_mappings(low: Mapping[str, Any], high: Mapping[str, Any]) -> dict[str, Any]:
    """A new dict: ``high`` over ``low``, mappings under the same key merged recursively."""
    merged = dict(low)
    for key, value in high.items():
        current = merged.get(key)
        if isinstance(current, Mapping) and isinstance(value, Mapping):
            merged[key] = merge_mappings(current, value)
        else:
            merged[key] = value
    return merged


def combine_vars(low: Mapping[str, Any], high: Mapping[str, Any], merge: bool = False) -> dict[str, Any]:
    """A new dict: ``high`` over ``low``, merged when ``merge`` (``hash_behaviour=merge``)."""
    return merge_mappings(low, high) if merge else {**low, **high}


def combine_layers(layers: Iterable[Mapping[str, Any]], merge: bool = False) -> dict[str, Any]:
    """``layers`` (lowest first) combined into one new dict."""
    result: dict[str, Any] = {}
    for layer in layers:
        if layer:
            if merge:
                result = merge_mappings(result, layer)
            else:
                result.update(layer)
    return result
