"""Lookups that shape their terms into loop items: items, list, dict, together, nested,
indexed_items, random_choice, subelements, sequence."""
from __future__ import annotations

import itertools
import random
import re
from collections.abc import Mapping
from typing import Any

from corral.errors import CorralError
from corral.plugins.lookup import LookupBase
from corral_template_filters.data import subelements as subelements_filter
from corral_template_lookups._common import (as_bool, check_options, flatten_once, parse_kv, reject_undefined,
                                             reject_undefined_terms)

__all__ = ["ItemsLookup", "ListLookup", "DictLookup", "TogetherLookup", "NestedLookup",
           "IndexedItemsLookup", "RandomChoiceLookup", "SubelementsLookup", "SequenceLookup"]


def _lists(name: str, terms: list[Any]) -> list[list[Any]]:
    reject_undefined_terms(terms)
    lists = []
    for term in terms:
        if isinstance(term, (str, Mapping)) or not isinstance(term, (list, tuple)):
            lists.append([term])
        else:
            lists.append(list(term))
    if not lists:
        raise CorralError(f"with_{name} requires at least one element in each list")
    return lists


class ItemsLookup(LookupBase):
    """``with_items``: the terms, with list terms spliced in (one level)."""

    def run(self, terms: list[Any], variables: Mapping[str, Any] | None = None, **kwargs: Any) -> list[Any]:
        return flatten_once(terms)


class ListLookup(LookupBase):
    """``with_list``: the terms as they are."""

    def run(self, terms: list[Any], variables: Mapping[str, Any] | None = None, **kwargs: Any) -> list[Any]:
        reject_undefined_terms(terms)
        return list(terms)


class DictLookup(LookupBase):
    """``with_dict``: each dict term as ``{'key': k, 'value': v}`` items."""

    def run(self, terms: list[Any], variables: Mapping[str, Any] | None = None, **kwargs: Any) -> list[Any]:
        result: list[dict[str, Any]] = []
        for term in terms:
            reject_undefined(term)
            if not isinstance(term, Mapping):
                raise CorralError(f"the 'dict' lookup plugin expects a dictionary, got '{term}' of type "
                                  f"{type(term)!r})")     # the unbalanced parenthesis is ansible-core's
            result.extend({"key": key, "value": value} for key, value in term.items())
        return result


class TogetherLookup(LookupBase):
    """``with_together``: the n-th items of each list together, shorter lists
    padded with None."""

    def run(self, terms: list[Any], variables: Mapping[str, Any] | None = None, **kwargs: Any) -> list[Any]:
        return [list(group) for group in itertools.zip_longest(*_lists("together", terms))]


class NestedLookup(LookupBase):
    """``with_nested``: every combination of one item from each list, in order."""

    def run(self, terms: list[Any], variables: Mapping[str, Any] | None = None, **kwargs: Any) -> list[Any]:
        return [flatten_once(group) for group in itertools.product(*_lists("nested", terms))]


class IndexedItemsLookup(LookupBase):
    """``with_indexed_items``: ``[index, item]`` for the items (list terms spliced in)."""

    def run(self, terms: list[Any], variables: Mapping[str, Any] | None = None, **kwargs: Any) -> list[Any]:
        return [[index, item] for index, item in enumerate(flatten_once(terms))]


class RandomChoiceLookup(LookupBase):
    """``with_random_choice``: one term chosen at random (nothing from no terms)."""

    def run(self, terms: list[Any], variables: Mapping[str, Any] | None = None, **kwargs: Any) -> list[Any]:
        reject_undefined_terms(terms)
        return [random.SystemRandom().choice(terms)] if terms else []


class SubelementsLookup(LookupBase):
    """``with_subelements: [list_or_dict, 'key.path', {skip_missing: true}]``:
    ``[element, sub]`` for each sub in each element's list at the key path; the
    element comes without that list.  A skipped task's result gives nothing."""

    def run(self, terms: list[Any], variables: Mapping[str, Any] | None = None, **kwargs: Any) -> list[Any]:
        reject_undefined(*terms)
        if len(terms) not in (2, 3) or not isinstance(terms[1], str):
            raise CorralError("subelements lookup expects a list of two or three items: a list (or dict), "
                              "a key name (string) and optionally a dict of flags")
        flags = dict(kwargs)
        if len(terms) == 3:
            if not isinstance(terms[2], Mapping):
                raise CorralError("subelements lookup: the third term must be a dict of flags "
                                  f"(skip_missing), got {terms[2]!r}")
            check_options("subelements", terms[2], {"skip_missing"})
            flags.update(terms[2])
        source = terms[0]
        if isinstance(source, Mapping) and "skipped" in source and as_bool(source["skipped"]):
            return []
        pairs = subelements_filter(source, terms[1], skip_missing=as_bool(flags.get("skip_missing", False)))
        # Unlike the filter, the lookup gives each element without the list it iterates.
        path = terms[1].split(".")
        stripped: dict[int, Any] = {}
        for pair in pairs:
            element = pair[0]
            if id(element) not in stripped:
                stripped[id(element)] = _without(element, path)
            pair[0] = stripped[id(element)]
        return pairs


def _without(element: Mapping[str, Any], path: list[str]) -> dict[str, Any]:
    """A copy of ``element`` whose nested key ``path`` is removed."""
    copy = dict(element)
    if len(path) == 1:
        copy.pop(path[0], None)
    else:
        copy[path[0]] = _without(copy[path[0]], path[1:])
    return copy


_NUMBER = r"(?:0x[0-9a-fA-F]+|0o[0-7]+|\d+)"
_SHORTCUT = re.compile(rf"^(?:(?P<start>-?{_NUMBER})-)?(?P<end>-?{_NUMBER})(?:/(?P<stride>-?{_NUMBER}))?"
                       r"(?::(?P<format>.+))?$")


def _int(name: str, value: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    try:
        return int(str(value).strip(), 0)
    except ValueError as exc:
        raise CorralError(f"sequence lookup: can't parse {name}={value} as an integer") from exc


class SequenceLookup(LookupBase):
    """``with_sequence``: numbers as formatted strings.

    A term is ``start=N end=N count=N stride=N format=FMT`` (any subset) or the
    short form ``[start-]end[/stride][:format]``; keyword arguments give the same
    options.  ``end`` and ``count`` exclude each other; the default format is
    ``%d``.  Numbers may be written in hex (``0x1f``) or octal (``0o17``).
    """

    OPTIONS = {"start", "end", "count", "stride", "format"}

    def run(self, terms: list[Any], variables: Mapping[str, Any] | None = None, **kwargs: Any) -> list[Any]:
        if not terms and kwargs:
            terms = [""]
        result: list[str] = []
        for term in terms:
            reject_undefined(term)
            options = dict(kwargs)
            options.update(self._parse(str(term)))
            result.extend(self._generate(options))
        return result

    def _parse(self, term: str) -> dict[str, Any]:
        term = term.strip()
        if not term:
            return {}
        match = _SHORTCUT.match(term)
        if match:
            return {key: value for key, value in match.groupdict().items() if value is not None}
        first, options = parse_kv(term, "sequence")
        if first:
            raise CorralError(f"sequence lookup: unrecognized term {term!r}")
        check_options("sequence", options, self.OPTIONS)
        return options

    @staticmethod
    def _generate(options: Mapping[str, Any]) -> list[str]:
        if "count" in options and "end" in options:
            raise CorralError("can't specify both count and end in with_sequence")
        if "count" not in options and "end" not in options:
            raise CorralError("must specify count or end in with_sequence")
        start = _int("start", options.get("start", 1))
        stride = _int("stride", options.get("stride", 1))
        fmt = str(options.get("format", "%d"))
        if "count" in options:
            count = _int("count", options["count"])
            if count == 0:
                return []
            end = start + (count - 1) * stride
        else:
            end = _int("end", options["end"])
        if stride == 0:
            return []
        if stride > 0 and end < start:
            raise CorralError("to count backwards make stride negative")
        if stride < 0 and end > start:
            raise CorralError("to count forward don't make stride negative")
        numbers = range(start, end + (1 if stride > 0 else -1), stride)
        try:
            return [fmt % number for number in numbers]
        except (TypeError, ValueError) as exc:
            raise CorralError(f"bad formatting string: {fmt}") from exc
