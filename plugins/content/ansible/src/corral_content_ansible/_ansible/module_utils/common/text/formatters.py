"""``ansible.module_utils.common.text.formatters``: sizes between numbers and text."""
from __future__ import annotations

# typing is only for annotations (never evaluated): importing it costs the target time
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

from corral.module_utils.arg_spec import human_to_bytes as _human_to_bytes

__all__ = ["human_to_bytes", "bytes_to_human", "lenient_lowercase", "SIZE_RANGES"]

#: unit letter -> its size in bytes (powers of 1024)
SIZE_RANGES = {"Y": 1 << 80, "Z": 1 << 70, "E": 1 << 60, "P": 1 << 50, "T": 1 << 40, "G": 1 << 30,
               "M": 1 << 20, "K": 1 << 10, "B": 1}


def lenient_lowercase(lst: Any) -> list[Any]:
    """The items of ``lst`` lower-cased where they are strings, the others as they are."""
    return [item.lower() if isinstance(item, str) else item for item in lst]


def human_to_bytes(number: Any, default_unit: str | None = None, isbits: bool = False) -> int:
    """``'10M'`` -> 10485760 (``'10Mb'`` with ``isbits``); a bare number takes
    ``default_unit``.  Raises ``ValueError`` for text that is not a size."""
    text = str(number).strip()
    if default_unit and text.replace(".", "", 1).isdigit():
        text += default_unit
    return _human_to_bytes(text, isbits)


def bytes_to_human(size: float, isbits: bool = False, unit: str | None = None) -> str:
    """``1048576`` -> ``'1.00 MB'`` (``'Mb'`` with ``isbits``); ``unit`` forces one unit."""
    suffix = "bits" if isbits else "Bytes"
    letter = "b" if isbits else "B"
    for name, limit in SIZE_RANGES.items():
        if (unit is None and size >= limit) or (unit is not None and unit.upper() == name[0]):
            break
    else:
        name, limit = "B", 1
    if limit == 1:
        return f"{size:.2f} {suffix}"
    return f"{size / limit:.2f} {name}{letter}"
