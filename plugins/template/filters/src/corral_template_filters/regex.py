"""Regular expression filters (Python :mod:`re` syntax)."""
from __future__ import annotations

import re
from typing import Any

from corral_template_filters._checks import fail, strict

__all__ = ["regex_replace", "regex_search", "regex_findall", "regex_escape", "FILTERS"]

# A group reference argument of regex_search: '\1' or '\g<name>'.  Ansible's
# templates keep backslashes of string literals as written, plain Jinja2 halves
# doubled ones: accept one or more.
_GROUP_NUMBER = re.compile(r"^\\+(\d+)$")
_GROUP_NAME = re.compile(r"^\\+g<(\w+)>$")


def _compile(name: str, pattern: Any, ignorecase: bool, multiline: bool) -> re.Pattern[str]:
    flags = (re.IGNORECASE if ignorecase else 0) | (re.MULTILINE if multiline else 0)
    try:
        return re.compile(str(pattern), flags)
    except re.error as exc:
        raise fail(f"{name}: invalid regular expression {pattern!r}: {exc}") from exc


@strict
def regex_replace(value: Any = "", pattern: Any = "", replacement: Any = "", ignorecase: bool = False,
                  multiline: bool = False, count: int = 0, mandatory_count: int = 0) -> str:
    """Replace matches of ``pattern`` in the text of ``value`` (``\\1``,
    ``\\g<name>`` refer to groups); at most ``count`` replacements (0: all); fail
    unless exactly ``mandatory_count`` were made, when it is set."""
    text = str(value)
    try:
        result, made = _compile("regex_replace", pattern, ignorecase, multiline).subn(str(replacement), text, count=count)
    except re.error as exc:
        raise fail(f"regex_replace: invalid replacement {replacement!r}: {exc}") from exc
    if mandatory_count and made != mandatory_count:
        raise fail(f"regex_replace: '{pattern}' should match {mandatory_count} times, "
                   f"but matches {made} times in '{text}'")
    return result


@strict
def regex_findall(value: Any, regex: Any, multiline: bool = False, ignorecase: bool = False) -> list[Any]:
    """Every match of ``regex`` in the text of ``value``; with groups, each match
    is its group (one group) or the list of its groups."""
    found = _compile("regex_findall", regex, ignorecase, multiline).findall(str(value))
    return [list(item) if isinstance(item, tuple) else item for item in found]


def _group_ref(arg: Any) -> int | str:
    text = str(arg)
    number = _GROUP_NUMBER.match(text)
    if number:
        return int(number.group(1))
    name = _GROUP_NAME.match(text)
    if name:
        return name.group(1)
    raise fail(f"regex_search: unknown argument {arg!r}: group references are written '\\1' or '\\g<name>'")


@strict
def regex_search(value: Any, regex: Any, *args: Any, ignorecase: bool = False, multiline: bool = False) -> Any:
    """The first match of ``regex`` in the text of ``value`` (None if none); with
    group arguments (``'\\1'``, ``'\\g<name>'``) the list of those groups."""
    groups = [_group_ref(arg) for arg in args]
    match = _compile("regex_search", regex, ignorecase, multiline).search(str(value))
    if match is None:
        return None
    if not groups:
        return match.group()
    try:
        return [match.group(group) for group in groups]
    except IndexError as exc:
        raise fail(f"regex_search: {regex!r} has no group {exc}") from exc


_POSIX_BASIC_SPECIAL = re.compile(r"([].[^$*\\])")


@strict
def regex_escape(value: Any, re_type: str = "python") -> str:
    """Escape the regex metacharacters of ``value`` for ``re_type`` (``python``
    or ``posix_basic``)."""
    text = str(value)
    if re_type == "python":
        return re.escape(text)
    if re_type == "posix_basic":
        return _POSIX_BASIC_SPECIAL.sub(r"\\\1", text)
    if re_type == "posix_extended":
        raise fail("regex_escape: regex type (posix_extended) not yet implemented")
    raise fail(f"regex_escape: invalid regex type ({re_type})")


FILTERS = {
    "regex_replace": regex_replace,
    "regex_search": regex_search,
    "regex_findall": regex_findall,
    "regex_escape": regex_escape,
}
