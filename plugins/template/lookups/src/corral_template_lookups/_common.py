"""Helpers shared by the lookups."""
from __future__ import annotations

import shlex
from collections.abc import Mapping, Sequence
from typing import Any

from jinja2 import Undefined, UndefinedError

from corral.errors import CorralError, CorralUndefinedVariable

__all__ = ["flatten_once", "reject_undefined", "reject_undefined_terms", "parse_kv", "check_options", "as_bool"]


def reject_undefined(*values: Any) -> None:
    """Raise :class:`CorralUndefinedVariable`, naming the variable, for the first
    undefined value (a lookup's errors are reported as they are raised)."""
    for value in values:
        if isinstance(value, Undefined):
            try:
                value._fail_with_undefined_error()
            except UndefinedError as exc:
                raise CorralUndefinedVariable(str(exc), orig_exc=exc) from exc


def reject_undefined_terms(terms: Sequence[Any]) -> None:
    """:func:`reject_undefined` for the terms and the items of list terms."""
    for term in terms:
        reject_undefined(term)
        if isinstance(term, (list, tuple)):
            reject_undefined(*term)


def flatten_once(terms: Sequence[Any]) -> list[Any]:
    """Terms with list terms spliced in (one level), as ``with_items`` does;
    an undefined term or item is the undefined-variable error."""
    reject_undefined_terms(terms)
    result: list[Any] = []
    for term in terms:
        if isinstance(term, (list, tuple)):
            result.extend(term)
        else:
            result.append(term)
    return result


def parse_kv(text: str, lookup: str) -> tuple[str, dict[str, str]]:
    """Split ``'first key=value key2="quoted value"'`` into the first word and
    the options."""
    try:
        words = shlex.split(text)
    except ValueError as exc:
        raise CorralError(f"{lookup} lookup: cannot parse {text!r}: {exc}") from exc
    first = ""
    options: dict[str, str] = {}
    for word in words:
        key, sep, value = word.partition("=")
        if sep and key.isidentifier():
            options[key] = value
        elif not first and not options:
            first = word
        else:
            raise CorralError(f"{lookup} lookup: unexpected word {word!r} in {text!r} (expected key=value)")
    return first, options


def check_options(lookup: str, options: Mapping[str, Any], allowed: set[str]) -> None:
    """Fail naming the options of ``lookup`` that it does not know (options written
    in a term, ``'path colour=red'``; keyword options a lookup does not know are
    ignored, as in Ansible)."""
    unknown = [name for name in options if name not in allowed]
    if unknown:
        raise CorralError(f"Unrecognized parameter(s) given to {lookup} lookup: {', '.join(unknown)}")


def as_bool(value: Any) -> bool:
    """Ansible's reading of an option's truth (``'yes'``, ``'true'``, ``1``...)."""
    if isinstance(value, str):
        return value.strip().lower() in ("yes", "on", "1", "true", "y", "t")
    return bool(value)
