"""Ansible-compatible ``boolean()`` (``ansible.module_utils.parsing.convert_bool``)."""
from __future__ import annotations

# typing is only for annotations (never evaluated): importing it costs the target time
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

from corral.module_utils.arg_spec import BOOLEANS_FALSE, BOOLEANS_TRUE
from corral.module_utils.arg_spec import boolean as _strict_boolean

__all__ = ["boolean", "BOOLEANS_TRUE", "BOOLEANS_FALSE"]


def boolean(value: Any, strict: bool = True) -> bool:
    """Ansible's booleans (``yes``, ``on``, ``1``...); with ``strict=False`` anything else is false."""
    try:
        return _strict_boolean(value)
    except TypeError:
        if strict:
            raise
        return False
