"""The warnings and deprecations a module run collects for its result.

One store per module process: :meth:`AnsibleModule.warn`/``deprecate`` and the
module-level :func:`warn`/:func:`deprecate` (``ansible.module_utils.common.warnings``)
add to it, and ``exit_json``/``fail_json`` put what it holds into the result.
"""
from __future__ import annotations

# typing is only for annotations (never evaluated): importing it costs the target time
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["warn", "deprecate", "get_warning_messages", "get_deprecation_messages"]

_warnings: list[str] = []
_deprecations: list[dict[str, Any]] = []


def warn(warning: str) -> None:
    """Add ``warning`` to the module's result (a string; anything else is a ``TypeError``)."""
    if not isinstance(warning, str):
        raise TypeError(f"warn requires a string not a {type(warning)}")
    _warnings.append(warning)


def deprecate(msg: str, version: str | None = None, date: str | None = None,
              collection_name: str | None = None) -> None:
    """Add a deprecation notice (with the version or date of removal) to the result."""
    if not isinstance(msg, str):
        raise TypeError(f"deprecate requires a string not a {type(msg)}")
    entry: dict[str, Any] = {"msg": msg}
    if date is not None:
        entry["date"] = date
    else:
        entry["version"] = version
    entry["collection_name"] = collection_name
    _deprecations.append(entry)


def get_warning_messages() -> tuple[str, ...]:
    """The warnings added so far."""
    return tuple(_warnings)


def get_deprecation_messages() -> tuple[dict[str, Any], ...]:
    """The deprecation notices added so far."""
    return tuple(_deprecations)
