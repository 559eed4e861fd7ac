"""``ansible.module_utils.common.collections``: predicates on containers and an immutable dict."""
from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
# typing is only for annotations (never evaluated): importing it costs the target time
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Iterator

__all__ = ["ImmutableDict", "is_string", "is_iterable", "is_sequence", "count"]


class ImmutableDict(Hashable, Mapping):
    """A dict that cannot be changed (and so can be hashed); ``union`` and
    ``difference`` return new ones."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._store = dict(*args, **kwargs)

    def __getitem__(self, key: Any) -> Any:
        return self._store[key]

    def __iter__(self) -> Iterator[Any]:
        return iter(self._store)

    def __len__(self) -> int:
        return len(self._store)

    def __hash__(self) -> int:
        return hash(frozenset(self.items()))

    def __repr__(self) -> str:
        return f"ImmutableDict({self._store!r})"

    def union(self, overriding_mapping: Mapping) -> ImmutableDict:
        """A new ImmutableDict with these items updated by ``overriding_mapping``'s."""
        return ImmutableDict(self._store, **overriding_mapping)

    def difference(self, subtractive_iterable: Iterable) -> ImmutableDict:
        """A new ImmutableDict without the keys in ``subtractive_iterable``."""
        drop = set(subtractive_iterable)
        return ImmutableDict((k, v) for k, v in self._store.items() if k not in drop)


def is_string(seq: Any) -> bool:
    """Whether ``seq`` is text or bytes."""
    return isinstance(seq, (str, bytes))


def is_iterable(seq: Any, include_strings: bool = False) -> bool:
    """Whether ``seq`` can be iterated (strings only with ``include_strings``)."""
    if not include_strings and is_string(seq):
        return False
    try:
        iter(seq)
    except TypeError:
        return False
    return True


def is_sequence(seq: Any, include_strings: bool = False) -> bool:
    """Whether ``seq`` is a sequence (list, tuple...; strings only with ``include_strings``)."""
    if not include_strings and is_string(seq):
        return False
    return isinstance(seq, Sequence)


def count(seq: Iterable) -> dict[Any, int]:
    """How many times each item occurs in ``seq``; raises ``Exception`` for a non-iterable."""
    if not is_iterable(seq):
        raise Exception("Argument provided  is not an iterable")
    counts: dict[Any, int] = {}
    for item in seq:
        counts[item] = counts.get(item, 0) + 1
    return counts
