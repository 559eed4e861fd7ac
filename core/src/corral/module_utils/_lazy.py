"""``lazy_module(name)``: a standard-library module imported when first used.

Every module run on a target starts a fresh interpreter (or a fresh child of a
module server) and imports the runtime library; the library's rarely needed
imports (``subprocess``, ``tempfile``, ``hashlib``...) cost that interpreter
milliseconds of CPU per module when imported at the top.  A ``lazy_module`` stands
in for the module under its usual name and imports it on the first attribute read.
"""
from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["lazy_module"]


class _LazyModule:
    """Forwards attribute reads to the module ``name``, imported on the first one."""

    __slots__ = ("_name", "_module")

    def __init__(self, name: str) -> None:
        self._name = name
        self._module: Any = None

    def __getattr__(self, attr: str) -> Any:
        module = self._module
        if module is None:
            module = self._module = __import__(self._name)
        return getattr(module, attr)

    def __repr__(self) -> str:
        return f"<lazy module {self._name!r}>"


def lazy_module(name: str) -> Any:
    """A stand-in for the top-level module ``name``, imported on first attribute access."""
    return _LazyModule(name)
