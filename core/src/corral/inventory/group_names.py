"""Group names that are not valid variable names, and what an inventory does with them.

Ansible's ``TRANSFORM_INVALID_GROUP_CHARS`` (``[defaults] force_valid_group_names``)
decides: ``never`` (the default) keeps the name and warns, ``ignore`` keeps it
silently, ``always`` replaces every invalid character with ``_`` and warns,
``silently`` replaces without a warning.  A character is invalid when it is not a
word character, or a digit that starts the name.  The warning names no group; the
detail (shown at ``-vvvv``) names the characters and the group.
"""
from __future__ import annotations

import dataclasses
import re

from corral.errors import CorralOptionsError

__all__ = ["GROUP_NAME_MODES", "GroupName", "check_group_name", "group_name_mode"]

#: the values of ``TRANSFORM_INVALID_GROUP_CHARS``
GROUP_NAME_MODES: tuple[str, ...] = ("always", "never", "ignore", "silently")

_INVALID = re.compile(r"^[\d\W]|[^\w]")

_REPLACED = "Invalid characters were found in group names and automatically replaced, use -vvvv to see details"
_KEPT = "Invalid characters were found in group names but not replaced, use -vvvv to see details"


@dataclasses.dataclass(frozen=True)
class GroupName:
    """The name a group gets, with the warning and the ``-vvvv`` detail to show (or None)."""

    name: str
    warning: str | None = None
    detail: str | None = None


def group_name_mode(value: object) -> str:
    """The mode ``value`` names (case-insensitive); any other value is an options error."""
    mode = str(value).strip().lower() if value is not None else ""
    if mode not in GROUP_NAME_MODES:
        raise CorralOptionsError(f"Invalid value {str(value)!r} for config 'TRANSFORM_INVALID_GROUP_CHARS'. "
                                 f"Valid values are: {', '.join(GROUP_NAME_MODES)}")
    return mode


def check_group_name(name: str, mode: str = "never", *, force: bool = False, silent: bool = False,
                     replacer: str = "_") -> GroupName:
    """What ``mode`` does with the group name ``name``.  ``force`` replaces invalid
    characters (with ``replacer``) whatever the mode (as ``keyed_groups`` names are);
    ``silent`` drops the warning and detail of a replacement."""
    found = _INVALID.findall(name) if name else []
    if not found:
        return GroupName(name)
    what = f'invalid character(s) "{set(found)!r}" in group name ({name})'
    if force or mode in ("always", "silently"):
        replaced = _INVALID.sub(replacer, name)
        if silent or mode == "silently":
            return GroupName(replaced)
        return GroupName(replaced, _REPLACED, f"Replacing {what}")
    if mode == "never":
        return GroupName(name, _KEPT, f"Not replacing {what}")
    return GroupName(name)
