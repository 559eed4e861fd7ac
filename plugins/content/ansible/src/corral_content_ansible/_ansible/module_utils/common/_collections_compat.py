"""``ansible.module_utils.common._collections_compat``: the abstract collection types."""
from __future__ import annotations

from collections.abc import (Callable, Container, Hashable, ItemsView, Iterable, Iterator, KeysView, Mapping,
                             MappingView, MutableMapping, MutableSequence, MutableSet, Sequence, Set, Sized,
                             ValuesView)

__all__ = ["Callable", "Container", "Hashable", "ItemsView", "Iterable", "Iterator", "KeysView", "Mapping",
           "MappingView", "MutableMapping", "MutableSequence", "MutableSet", "Sequence", "Set", "Sized",
           "ValuesView"]
