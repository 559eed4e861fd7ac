"""``ansible.module_utils.common.dict_transformations``: key case conversion, deep merge and diff."""
from __future__ import annotations

import re
from collections.abc import MutableMapping
# typing is only for annotations (never evaluated): importing it costs the target time
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["camel_dict_to_snake_dict", "snake_dict_to_camel_dict", "dict_merge", "recursive_diff"]

#: a plural abbreviation at the end (``TargetGroupARNs``): kept as one word
_PLURAL_ABBREVIATION = re.compile(r"[A-Z]{3,}s$")
#: a capitalized word after any character, then a run of capitals after a lower-case letter or digit
_WORD_START = re.compile(r"(.)([A-Z][a-z]+)")
_CAPITALS_RUN = re.compile(r"([a-z0-9])([A-Z]+)")


def _camel_to_snake(name: str, reversible: bool = False) -> str:
    """``HTTPEndpoint`` -> ``http_endpoint``; ``reversible`` marks every capital
    (``h_t_t_p_endpoint``) so that :func:`_snake_to_camel` can restore it."""
    marker = re.compile(r"[A-Z]") if reversible else _PLURAL_ABBREVIATION
    text = marker.sub(lambda match: "_" + match.group(0).lower(), name)
    if text.startswith("_") and not name.startswith("_"):
        text = text[1:]
    if reversible:
        return text
    text = _WORD_START.sub(r"\1_\2", text)
    return _CAPITALS_RUN.sub(r"\1_\2", text).lower()


def _snake_to_camel(snake: str, capitalize_first: bool = False) -> str:
    """``some_name`` -> ``someName`` (``SomeName`` with ``capitalize_first``)."""
    words = snake.split("_")
    head = words[0].capitalize() if capitalize_first else words[0]
    return head + "".join(word.capitalize() for word in words[1:])


def camel_dict_to_snake_dict(camel_dict: dict, reversible: bool = False, ignore_list: tuple = ()) -> dict:
    """``camel_dict`` with its keys (recursively, in lists too) in snake_case; the
    values of its own (top-level) keys in ``ignore_list`` are kept as they are."""
    def convert(value: Any) -> Any:
        if isinstance(value, dict):
            return camel_dict_to_snake_dict(value, reversible)
        if isinstance(value, list):
            return [convert(item) for item in value]
        return value

    return {_camel_to_snake(key, reversible): (value if key in ignore_list else convert(value))
            for key, value in camel_dict.items()}


def snake_dict_to_camel_dict(snake_dict: Any, capitalize_first: bool = False) -> Any:
    """``snake_dict`` with its keys (recursively, in lists too) in camelCase."""
    if isinstance(snake_dict, dict):
        return {_snake_to_camel(key, capitalize_first): snake_dict_to_camel_dict(value, capitalize_first)
                for key, value in snake_dict.items()}
    if isinstance(snake_dict, list):
        return [snake_dict_to_camel_dict(item, capitalize_first) for item in snake_dict]
    return snake_dict


def dict_merge(a: dict, b: dict) -> dict:
    """A new dict: ``a`` deep-merged with ``b`` (``b`` wins; dicts in both are merged)."""
    if not isinstance(b, dict):
        return b
    result = dict(a)
    for key, value in b.items():
        if key in result and isinstance(result[key], dict) and isinstance(value, dict):
            result[key] = dict_merge(result[key], value)
        else:
            result[key] = value
    return result


def recursive_diff(dict1: MutableMapping, dict2: MutableMapping) -> tuple[dict, dict] | None:
    """``None`` when the two dicts are equal, else ``(only in dict1, only in dict2)``:
    the differing keys with each side's value (nested dicts diffed the same way)."""
    if not isinstance(dict1, MutableMapping) or not isinstance(dict2, MutableMapping):
        raise TypeError("Unable to diff 'dict1' %s and 'dict2' %s. Both must be a dictionary."
                        % (type(dict1), type(dict2)))
    left = {key: value for key, value in dict1.items() if key not in dict2}
    right = {key: value for key, value in dict2.items() if key not in dict1}
    for key in dict1.keys() & dict2.keys():
        first, second = dict1[key], dict2[key]
        if isinstance(first, dict) and isinstance(second, dict):
            nested = recursive_diff(first, second)
            if nested:
                left[key], right[key] = nested
        elif first != second:
            left[key], right[key] = first, second
    return (left, right) if left or right else None
